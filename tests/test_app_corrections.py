"""app.py's correction wiring, run headless with Streamlit's AppTest (no browser): hide, unhide, show
hidden, add by hand, orphans. The browser tests in tests/browser/test_curation.py cover the rest."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import corrections

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def app(seeded, tmp_path, monkeypatch):
    """(AppTest after its first run, db) on a fresh copy of the seeded store."""
    db = tmp_path / "projects.gpkg"
    db.write_bytes(seeded.read_bytes())
    monkeypatch.setenv("GEO_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    return at, db


def _click(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def _total_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("数据库 store"))


def test_hide_unhide_and_show_hidden(app):
    at, db = app
    rid = at.session_state["fix_target"]
    shown = len(corrections.read_current(db)[0])
    _click(at, "标记错误并隐藏 Hide (mark wrong)")
    assert not at.exception and [c.action for c in corrections.load(db)] == ["hide"]
    assert f"共 {shown - 1} 条 total · 已隐藏 hidden 1" in _total_caption(at)
    assert len(at.dataframe[0].value) == shown - 1  # the table drops it
    assert at.session_state["fix_target"] == rid  # still chosen, so it can be unhidden
    at.toggle(key="show_hidden").set_value(True).run()
    assert "已更正 corrected · 已隐藏 hidden" in set(at.dataframe[0].value["来源 Source"])
    _click(at, "取消隐藏 Unhide")
    assert [c.action for c in corrections.load(db)] == ["hide", "unhide"]
    assert "已隐藏 hidden 0" in _total_caption(at)


def test_add_a_record_by_hand(app):
    at, db = app
    assert "add_note" not in [t.key for t in at.text_area]  # the closed form is not drawn
    at.session_state["add_open"] = True  # the expander opened
    at.run()
    article = at.selectbox(key="add_article").value
    at.text_input(key="add_name").input("手工录入项目")
    at.selectbox(key="add_county_adcode").set_value("140105")
    at.number_input(key="add_amount_yi").set_value(3.5)
    at.text_area(key="add_note").input("原文第三段")
    _click(at, "添加记录 Add record")
    assert not at.exception and not at.error
    current, orphans = corrections.read_current(db)
    manual = current[current["record_source"] == "manual"].iloc[0]
    assert manual["name"] == "手工录入项目" and manual["county"] == "小店区" and manual["amount_yi"] == 3.5
    assert manual["article_id"] == article and manual["sentence"] == "原文第三段" and not orphans
    assert "手工 manual" in set(at.dataframe[0].value["来源 Source"])


def test_a_correction_without_its_record_is_listed(app):
    at, db = app
    corrections.save(db, "no-such-record", "edit", {"chain": "光伏"})
    at.run()
    (expander,) = [e for e in at.expander if "Corrections without a record" in e.label]
    assert "no-such-record" in set(expander.dataframe[0].value["record_id"])


def test_a_damaged_corrections_log_is_a_message_not_a_traceback(seeded, tmp_path, monkeypatch):
    db = tmp_path / "projects.gpkg"
    db.write_bytes(seeded.read_bytes())
    corrections.corrections_path(db).write_bytes(b"not a database" * 400)
    monkeypatch.setenv("GEO_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "corrections log" in message and "recover\\-corrections" in message  # markdown-escaped
    assert not [b for b in at.button if b.key == "rebuild_broken"]  # rebuilding the store would not help
