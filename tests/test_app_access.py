"""app.py's editor password and read-only mode, run headless with Streamlit's AppTest (no browser)."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from geo.store import corrections
from geo.web import access

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "晋-editor-2026"


def _app(db: Path) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.session_state["upload_open"] = True  # the upload expander opened, where editing allows it
    at.run()
    assert not at.exception
    return at


@pytest.fixture()
def db(seeded, tmp_path, monkeypatch):
    """A fresh copy of the seeded store, used by the app through GEO_DB."""
    path = tmp_path / "projects.gpkg"
    path.write_bytes(seeded.read_bytes())
    monkeypatch.setenv("GEO_DB", str(path))
    monkeypatch.delenv(access.PASSWORD_ENV, raising=False)
    return path


@pytest.fixture()
def exposed():
    """The app as if bound to every interface (restored afterwards)."""
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def _labels(at) -> set[str]:
    return {b.label for b in at.button}


def test_wrong_password_is_refused_and_the_right_one_lets_an_edit_be_saved(db, monkeypatch):
    monkeypatch.setenv(access.PASSWORD_ENV, PASSWORD)
    at = _app(db)
    assert "保存 Save" not in _labels(at) and "添加文件 Add files" not in _labels(at)
    at.text_input(key="editor_password").input("wrong password")
    next(b for b in at.button if b.label == "解锁编辑 Unlock editing").click().run()
    assert any("密码错误" in e.value for e in at.error)
    assert "保存 Save" not in _labels(at) and not at.session_state["editor"]

    at.text_input(key="editor_password").input(PASSWORD)
    next(b for b in at.button if b.label == "解锁编辑 Unlock editing").click().run()
    assert "保存 Save" in _labels(at) and "添加文件 Add files" in _labels(at)
    assert at.session_state["editor_password"] == ""  # the typed password does not stay in the session
    rid = at.session_state["fix_target"]
    at.text_input(key=f"fx_{rid}_name").input("密码解锁后的更正")
    next(b for b in at.button if b.label == "保存 Save").click().run()
    assert not at.exception
    (saved,) = corrections.load(db)
    assert saved.record_id == rid and saved.fields == {"name": "密码解锁后的更正"}


def test_exposed_without_a_password_is_read_only(db, exposed):
    at = _app(db)
    labels = _labels(at)
    assert "保存 Save" not in labels and "添加文件 Add files" not in labels
    assert "重建数据库 Rebuild the store" not in labels
    assert any("只读 Read-only" in i.value for i in at.info)
    assert len(at.dataframe[0].value) > 0  # viewers still read
    assert corrections.load(db) == []


def test_exposed_with_a_password_asks_for_it(db, exposed, monkeypatch):
    monkeypatch.setenv(access.PASSWORD_ENV, PASSWORD)
    at = _app(db)
    assert "解锁编辑 Unlock editing" in _labels(at) and "保存 Save" not in _labels(at)
