"""app.py's project lifecycle section, run headless with Streamlit's AppTest, on invented articles,
on both stores (`new_db`: a GeoPackage file, a fresh PostGIS database)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from geo.store import corrections
from geo.web import access
from geo.pipeline import add_articles
from geo.store.backend import open_store
from geo.models import Article
from tests.link.test_entities import articles

REPO = Path(__file__).resolve().parents[1]
# Invented: a fourth report of the glass-fibre project, in an article without a date.
UNDATED = Article(id="invented-undated", source="invented-undated.txt", title="鸿远玻纤项目建设进展", date=None,
                  text="原平市鸿远玻纤年产30万吨高性能玻璃纤维智造项目建设进展顺利，项目总投资35.3亿元。")


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
    assert funnel.set_index("城市 city").loc["忻州市", ["签约 signed", "开工 started", "投产 in production"]].tolist() \
        == [2, 2, 1]
    timeline = next(t for t in tables if "stage" in t.columns and "article_title" in t.columns)
    assert list(timeline["stage"]) == ["签约 signed", "开工 started", "投产 in production"]
    at.number_input(key="stalled_months").set_value(0).run()
    assert not at.exception


def _vega_charts(at) -> list[tuple[dict, list[dict]]]:
    """Each Vega-Lite chart on the page: its spec and its (first) dataset's rows (sent as Arrow)."""
    return [(json.loads(e.proto.spec), pa.ipc.open_stream(e.proto.datasets[0].data.data).read_all().to_pylist())
            for e in at.get("vega_lite_chart")]


def test_funnel_by_chain_and_a_project_timeline_on_a_time_axis(new_db, monkeypatch):
    db = new_db()
    add_articles(db, [*articles(), UNDATED])
    monkeypatch.setenv("GEO_DB", str(db))
    monkeypatch.delenv(access.PASSWORD_ENV, raising=False)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.radio(key="funnel_by").set_value("chain").run()
    assert not at.exception
    funnel = next(t.value for t in at.dataframe if "产业链 chain" in t.value.columns)
    # the glass-fibre project, reported four times, counts once
    assert funnel.set_index("产业链 chain").loc["玻璃", ["签约 signed", "开工 started", "投产 in production"]].tolist() \
        == [1, 1, 1]
    assert funnel[["签约 signed"]].sum().item() == 2
    (points,) = [rows for spec, rows in _vega_charts(at) if spec["title"] == "项目时间线 Project timeline"]
    assert [p["date"] for p in points] == ["2022-05-10", "2023-03-01", "2024-06-01"]
    assert [p["stage"] for p in points] == ["签约 signed", "开工 started", "投产 in production"]
    assert all(p["sentence"] and p["article_title"] for p in points)
    table = next(t.value for t in at.dataframe if "sentence" in t.value.columns)
    assert len(table) == 4 and pd.isna(table["date"].iloc[-1])  # the undated report is listed, last
    assert any("1 undated report" in c.value for c in at.caption)


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
