"""The project lifecycle section as a reader sees it, at 1600 and 390 px: the funnel by chain and one
project's reports on a time axis, with tooltips and the undated report named.

Invented articles (tests/link/test_entities.py, plus an undated report and a hostile title and link).
Screenshots land in artifacts/screenshots/projects_*.png; look at them after a change.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apphelpers import TIMEOUT_MS, settled

from geo.pipeline import add_articles
from tests.link.test_entities import articles
from tests.test_app_projects import UNDATED

REPO = Path(__file__).resolve().parents[2]
HOSTILE_TITLE = "原平市重点项目集中开工<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def projects_db(tmp_path_factory):
    signed, started, produced, other = articles()
    db = tmp_path_factory.mktemp("projects") / "projects.gpkg"
    add_articles(db, [dataclasses.replace(signed, url="https://news.example.org/yuanping-signing"),
                      dataclasses.replace(started, title=HOSTILE_TITLE, url="javascript:alert(2)"),
                      produced, other, UNDATED])
    return db


def _boxes_apart(boxes: list[dict]) -> bool:
    """No two boxes overlap vertically (axis labels one above the other)."""
    spans = sorted((b["y"], b["y"] + b["height"]) for b in boxes)
    return all(top >= bottom - 0.5 for (_, bottom), (top, _) in zip(spans, spans[1:]))


@pytest.mark.parametrize("width", [1600, 390])
def test_funnel_by_chain_and_a_project_timeline(projects_db, streamlit_app, page, net_log, save_screenshot, width):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    url = streamlit_app(REPO / "app.py", env={"GEO_DB": str(projects_db)})
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(url)
    settled(page)

    page.get_by_role("tab", name="漏斗 签约→开工→投产 Funnel").click()
    page.get_by_test_id("stRadio").filter(has_text="按 By").get_by_text("产业链 chain").click()
    settled(page)
    funnel = page.get_by_role("tabpanel").filter(has_text="按 By").get_by_test_id("stDataFrame")
    expect(funnel).to_be_visible(timeout=TIMEOUT_MS)
    funnel.scroll_into_view_if_needed()
    save_screenshot(page, f"projects_funnel_chain_{width}")

    page.get_by_role("tab", name="项目时间线 Timeline").click()
    chart = page.get_by_test_id("stVegaLiteChart").filter(has_text="项目时间线 Project timeline")
    expect(chart).to_be_visible(timeout=TIMEOUT_MS)
    chart.scroll_into_view_if_needed()
    points = chart.locator("g.mark-symbol path")
    expect(points).to_have_count(3, timeout=TIMEOUT_MS)  # three dated reports; the undated one is in the table
    expect(page.get_by_text("1 undated report(s)", exact=False)).to_be_visible()
    # every stage is named whole, on its own row, and the chart fits the page
    labels = chart.locator("g.role-axis-label text")
    texts = labels.all_text_contents()
    for stage in ("签约 signed", "开工 started", "投产 in production"):
        assert stage in texts, texts
    assert not any(t.endswith("…") for t in texts), texts
    stage_labels = [labels.nth(i).bounding_box() for i, t in enumerate(texts) if t in
                    ("签约 signed", "开工 started", "投产 in production")]
    assert _boxes_apart(stage_labels), stage_labels
    box = chart.locator("svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box

    # a point's tooltip gives its sentence and article title, as text
    points.nth(1).hover()
    tip = page.locator("#vg-tooltip-element")
    expect(tip).to_contain_text("鸿远玻纤项目开工建设", timeout=TIMEOUT_MS)
    expect(tip).to_contain_text(HOSTILE_TITLE)
    expect(tip).to_contain_text("2023-03-01")
    assert tip.locator("img").count() == 0
    # and opens inside the screen, at 390 px too (it opened off the left edge)
    page.wait_for_timeout(300)
    tip_box = tip.bounding_box()
    assert tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= width, tip_box
    save_screenshot(page, f"projects_timeline_{width}")
    # the table links only the http(s) article, and says "open"
    table = page.get_by_role("tabpanel").filter(has_text="项目 Project").get_by_test_id("stDataFrame")
    table.scroll_into_view_if_needed()
    expect(table).to_be_visible()
    save_screenshot(page, f"projects_timeline_table_{width}")
    assert dialogs == []
    net_log.assert_clean()
