"""app.py on a PostGIS store (GEO_DB=postgresql://…), run headless with Streamlit's AppTest."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store import corrections
from geo.store.backend import open_store

REPO = Path(__file__).resolve().parents[1]


def _run(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("GEO_DB", url)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception and not at.error
    return at


def test_app_builds_an_empty_database_and_saves_corrections_into_it(pg_url, monkeypatch):
    at = _run(pg_url, monkeypatch)  # an empty database: the app builds the store from seeds/
    store = open_store(pg_url)
    assert store.counts().articles == 5
    caption = next(c.value for c in at.caption if c.value.startswith("数据库 store"))
    assert caption.startswith(f"数据库 store: {pg_url.rsplit('/', 1)[1]} · 共 {len(store.read_records())} 条")
    next(b for b in at.button if b.label == "标记错误并隐藏 Hide (mark wrong)").click().run()
    assert not at.exception and [c.action for c in corrections.load(pg_url)] == ["hide"]
    assert "已隐藏 hidden 1" in next(c.value for c in at.caption if c.value.startswith("数据库 store"))


def test_app_reports_a_server_that_is_down(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GEO_DB", f"postgresql://nobody@127.0.0.1:{port}/geo")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("Is the server running" in e.value for e in at.error)
