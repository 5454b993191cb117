"""The map as a new user reads it, at 1600 and 390 px: flow arcs and their legend, the header, the time slider.

Screenshots land in artifacts/screenshots/legible_*.png; look at them after a change.
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from apphelpers import TIMEOUT_MS, click_first_marker, map_frame, settled

from geo import pipeline
from geo.store import query, gpkg as store
from geo.web import mapview, timeline

REPO = Path(__file__).resolve().parents[2]


# Hover the middle of an SVG path (an arc's bounding-box centre is off the arc, often under a legend).
HOVER_JS = """e => { const p = e.getPointAtLength(e.getTotalLength() / 2).matrixTransform(e.getScreenCTM());
  for (const type of ["mouseover", "mousemove"])
    e.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: p.x, clientY: p.y})); }"""


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("legible") / "projects.gpkg"
    pipeline.build(REPO / "seeds", db)
    return db


@pytest.mark.parametrize("width", [1600, 390])
def test_flow_arcs_legend_and_origins_in_view(seeds_db, streamlit_app, page, net_log, save_screenshot, width):
    url = streamlit_app(REPO / "app.py", env={"GEO_DB": str(seeds_db)})
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(url)
    settled(page)
    flows = mapview.flow_table(store.read_records(seeds_db))
    frame = map_frame(page)
    # one arc and one arrowhead per flow, each arc a curve of many points
    expect(frame.locator("path.geo-flow")).to_have_count(2 * len(flows), timeout=TIMEOUT_MS)
    legend = frame.locator(".geo-legend-flows")
    for text in ("10 亿元", "100 亿元", *[mapview.ORIGIN_LABELS[r] for r in set(flows["region"])]):
        expect(legend).to_contain_text(text)
    for region in {"guangdong", "jingjinji", "yangtze_delta"} - set(flows["region"]):
        expect(legend).not_to_contain_text(mapview.ORIGIN_LABELS[region])
    # the header's numbers are shown whole (not cut with an ellipsis)
    for value in page.get_by_test_id("stMetricValue").all():
        assert value.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), value.inner_text()
    save_screenshot(page, f"legible_map_{width}")
    # the layer control, opened, lies above the legends (the flows legend covered it at 390 px)
    frame.locator(".leaflet-control-layers").hover()
    expect(frame.locator(".leaflet-control-layers-expanded")).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)
    covered = frame.locator(".leaflet-control-layers label").evaluate_all("""labels => labels.filter(e => {
        const r = e.getBoundingClientRect(), y = r.top + r.height / 2;
        if (y < 0 || y > innerHeight) return false;
        return [0.1, 0.5, 0.9].some(f => {
            const x = r.left + r.width * f;
            if (x < 0 || x > innerWidth) return false;
            const hit = document.elementFromPoint(x, y);
            return !(hit && (e.contains(hit) || hit.contains(e)));
        });
    }).map(e => e.textContent)""")
    assert not covered, covered
    save_screenshot(page, f"legible_layers_{width}")
    page.mouse.move(0, 0)
    # zoomed out to the origins (the sidebar's checkbox, shared as ?fit=flows): every arc is in the frame
    page.goto(url + "?fit=flows")
    settled(page)
    frame = map_frame(page)
    expect(frame.locator("path.geo-flow")).to_have_count(2 * len(flows), timeout=TIMEOUT_MS)
    page.wait_for_timeout(800)
    box = frame.locator(".leaflet-container").bounding_box()
    for arc in frame.locator("path.geo-flow").all():
        b = arc.bounding_box()
        assert b and box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1, (b, box)
    frame.locator("path.geo-flow").first.evaluate(HOVER_JS)
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("合计 total", timeout=TIMEOUT_MS)
    save_screenshot(page, f"legible_flows_{width}")

    # a popup says what the record is, its whole date range and its article
    frame = map_frame(page)
    for _ in range(6):  # zoom into clusters until a single marker shows
        if frame.locator("path.geo-marker").count():
            break
        frame.locator(".marker-cluster").first.click()
        page.wait_for_timeout(800)
    popup = click_first_marker(page)
    expect(popup).to_contain_text("类型 Kind:", timeout=TIMEOUT_MS)
    expect(popup).to_contain_text("文章 Article:")
    page.wait_for_timeout(600)  # the map pans the popup into view
    # no wider than the map: at 390 px a 380 px popup ran past the frame's right edge
    box = frame.locator(".leaflet-container").bounding_box()
    pop = frame.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert pop and pop["width"] <= box["width"] and box["x"] - 1 <= pop["x"] and pop["x"] + pop["width"] <= box["x"] + box["width"] + 1, (pop, box)
    # the legends step behind the map while a popup is open (they covered its text)
    assert frame.locator(".geo-legend-flows").evaluate("e => getComputedStyle(e).zIndex") == "300"
    # and so do the zoom, scale and layer controls (the zoom buttons covered the popup's top-left corner)
    assert frame.locator(".leaflet-top.leaflet-left").evaluate("e => getComputedStyle(e).zIndex") == "300"
    save_screenshot(page, f"legible_popup_{width}")
    # charts: the months on a time axis, every chain named
    page.get_by_role("tab", name="月份 Months").click()
    chart = page.get_by_test_id("stVegaLiteChart").filter(visible=True).first
    chart.scroll_into_view_if_needed()
    expect(chart).to_contain_text("月份 Month", timeout=TIMEOUT_MS)
    save_screenshot(page, f"legible_chart_months_{width}")
    page.get_by_role("tab", name="产业链 Chains").click()
    chart = page.get_by_test_id("stVegaLiteChart").filter(visible=True).first
    chains = store.read_records(seeds_db)["chain"].dropna().unique()
    for chain in chains:
        expect(chart).to_contain_text(chain)
    save_screenshot(page, f"legible_chart_chains_{width}")
    net_log.assert_clean()


def _metric(page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").inner_text()


def _until(page) -> str | None:
    return (parse_qs(urlsplit(page.url).query).get("until") or [None])[0]


def test_time_slider_shows_investment_up_to_a_quarter_and_plays(seeds_db, streamlit_app, page, net_log,
                                                                  save_screenshot):
    url = streamlit_app(REPO / "app.py", env={"GEO_DB": str(seeds_db)})
    gdf = store.read_records(seeds_db)
    expected = query.apply(gdf, query.Filters(date_to="2023-03-31"))
    assert 0 < len(expected) < len(gdf)
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(url + "?until=2023-Q1&step=quarter")
    settled(page)
    expect(page.get_by_role("heading", name=re.compile(r"^记录 Records"))).to_have_text(
        f"记录 Records ({len(expected)})", timeout=TIMEOUT_MS)
    slider = page.get_by_test_id("stSidebar").get_by_test_id("stSlider")
    expect(slider).to_contain_text("2023-Q1")
    save_screenshot(page, "legible_time_1600")

    page.get_by_role("button", name="▶ 播放 Play").click()
    seen = set()
    deadline = time.monotonic() + 60
    while len(seen) < 3 and time.monotonic() < deadline:  # the slider moves on by itself
        seen.add(_until(page))
        page.wait_for_timeout(300)
    assert len(seen - {None}) >= 3, seen
    assert all(re.fullmatch(r"20\d\d-Q[1-4]", u) for u in seen - {None}), seen
    page.get_by_role("button", name="⏸ 暂停 Pause").click()
    expect(page.get_by_role("button", name="▶ 播放 Play")).to_be_visible(timeout=TIMEOUT_MS)
    settled(page)
    stopped = _until(page)
    page.wait_for_timeout(2500)
    assert _until(page) == stopped  # paused: it stays
    records = int(re.search(r"\((\d+)\)", page.get_by_role("heading", name=re.compile(r"^记录 Records")).inner_text())[1])
    assert records == len(query.apply(gdf, query.Filters(date_to=timeline.period_end(stopped))))
    net_log.assert_clean()
