"""app.py's project lifecycle section, run headless with Streamlit's AppTest, on invented articles."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo import access
from geo.pipeline import add_articles
from tests.test_entities import articles

REPO = Path(__file__).resolve().parents[1]


def test_lifecycle_section_shows_funnel_stalled_signings_and_a_timeline(tmp_path, monkeypatch):
    db = tmp_path / "projects.gpkg"
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
