"""app.py's record tables, run headless with Streamlit's AppTest (no browser)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo import synthetic
from geo.places import spatial
from geo.store.gpkg import write_store
from geo.web import view

REPO = Path(__file__).resolve().parents[1]


def test_unresolved_table_is_drawn_only_while_open(tmp_path, monkeypatch):
    records, articles = synthetic.synthetic_records(300, spatial.load_counties(simplified=True), seed=3)
    unresolved = sum(r.precision == "unresolved" for r in records)
    assert unresolved
    db = tmp_path / "projects.gpkg"
    write_store(db, articles, records)
    monkeypatch.setenv("GEO_DB", str(db))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    label = f"未定位记录 Unresolved records ({unresolved}) — 不在地图上 not on the map"
    assert [e.label for e in at.expander if "Unresolved" in e.label] == [label]
    closed = len(at.dataframe)
    at.session_state["unresolved_open"] = True  # the expander opened
    at.run()
    assert not at.exception and len(at.dataframe) == closed + 1
    table = at.dataframe[1].value  # after the records table
    assert len(table) == min(unresolved, view.PAGE_SIZE) and (table.shape[1] == at.dataframe[0].value.shape[1])
