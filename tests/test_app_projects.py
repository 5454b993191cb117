"""app.py's project lifecycle section, run headless with Streamlit's AppTest, on invented articles,
on both stores (`new_db`: a GeoPackage file, a fresh PostGIS database)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store import corrections
from geo.web import access
from geo.pipeline import add_articles
from geo.store.backend import open_store
from tests.link.test_entities import articles

REPO = Path(__file__).resolve().parents[1]


def test_lifecycle_section_shows_funnel_stalled_signings_and_a_timeline(new_db, monkeypatch):
    db = new_db()
    add_articles(db, articles())
    monkeypatch.setenv("GEO_DB", str(db))
    monkeypatch.delenv(access.PASSWORD_ENV, raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any(h.value.startswith("项目进展 Project lifecycle (2") for h in at.subheader)
    assert at.metric[1].value == "2"  # 项目 Projects: the project reported three times counts once
    tables = [t.value for t in at.dataframe]
    funnel = next(t for t in tables if "签约 signed" in t.columns)
    assert funnel.set_index("city").loc["忻州市", ["签约 signed", "开工 started", "投产 in production"]].tolist() == [2, 2, 1]
    timeline = next(t for t in tables if "stage" in t.columns and "article_title" in t.columns)
    assert list(timeline["stage"]) == ["signed", "started", "in_production"]
    at.number_input(key="stalled_months").set_value(0).run()
    assert not at.exception


def test_an_editor_splits_a_record_out_and_merges_it_back(new_db, monkeypatch):
    db = new_db()
    add_articles(db, articles())
    monkeypatch.setenv("GEO_DB", str(db))
    monkeypatch.delenv(access.PASSWORD_ENV, raising=False)  # on 127.0.0.1 without a password: editing is open
    recs = open_store(db).read_records().query("kind == 'project'")
    started = recs[recs["date"] == "2023-03-01"]["id"].iloc[0]
    produced = recs[recs["date"] == "2024-06-01"]["id"].iloc[0]
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.session_state["link_open"] = True  # the merge/split expander opened
    at.run()
    at.text_input(key="link_a").input(started)
    at.button(key="link_split").click().run()
    assert not at.exception
    assert any(h.value.startswith("项目进展 Project lifecycle (3") for h in at.subheader)
    at.text_input(key="link_b").input(produced)
    at.button(key="link_merge").click().run()
    assert any(h.value.startswith("项目进展 Project lifecycle (2") for h in at.subheader)
    at.text_input(key="link_a").input("no-such-record")
    at.button(key="link_split").click().run()
    assert any("未保存 Not saved" in e.value and "no record" in e.value for e in at.error)
    assert [c.action for c in corrections.load_links(db)] == ["split", "merge"]
