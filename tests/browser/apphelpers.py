"""Helpers shared by the app's browser tests: waiting for Streamlit runs and reading the map iframe.

The st_folium iframe is replaced on every script run, so never hold a Frame object across a
rerun: go through `map_frame(page)`, a FrameLocator that finds the current iframe each time.
"""
from playwright.sync_api import expect

MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
TIMEOUT_MS = 30_000
# Markers drawn right now: singles plus the sizes of the clusters (all of Shanxi is in view).
MARKER_TOTAL_JS = """() => {
  let n = document.querySelectorAll('path.geo-marker').length;
  document.querySelectorAll('.marker-cluster span').forEach(s => { n += parseInt(s.textContent, 10); });
  return n;
}"""


def map_frame(page):
    """The current map iframe (re-resolved on every use)."""
    return page.frame_locator(MAP_FRAME)


def settled(page) -> None:
    """Wait for the script run to end: no "Running" widget, no stale element, one map iframe."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT_MS)
    expect(map_frame(page).locator("path.geo-county")).to_have_count(117, timeout=TIMEOUT_MS)


def marker_total(page) -> int:
    """Project markers on the map now (cluster icons appear after the first zoom animation)."""
    page.wait_for_timeout(800)
    return map_frame(page).locator("body").evaluate(MARKER_TOTAL_JS)


def click_first_marker(page):
    """Open the popup of the first single project marker; returns the popup locator."""
    frame = map_frame(page)
    frame.locator("path.geo-marker").first.dispatch_event("click", timeout=TIMEOUT_MS)
    return frame.locator(".leaflet-popup-content")
