"""Map performance figures: `.venv/bin/python benchmarks/bench_map.py [--records 10000]`.

Prints, for fixed-seed synthetic records over the real county boundaries:
1. server-side re-render after a filter change (query.apply + build_map + HTML render), for
   the browser-built markers ("fast", geo.web.markers.RecordMarkers, the FastMarkerCluster
   approach) and folium's MarkerCluster ("classic"), target ≤ 300 ms for fast; plus the same
   with st_folium's own preparation (what one app rerun costs);
2. payload sizes: the whole map and the county layer alone (target ≤ 250 KB);
3. browser paint of the markers in headless Chromium (page load → cluster icons drawn), both
   modes, target ≤ 2 s for fast;
4. cold start of `streamlit run app.py`, then of `python -m geo.web.serve` (the same with the caches
   warmed while Streamlit starts, as scripts/run_app.sh does), on a store of those records → county
   polygons and markers painted in the st_folium iframe (`--cold-runs N` times it N times and prints the range;
   `--cold-only` skips 1-3).
Needs /usr/bin/chromium (see tests/browser/conftest.py, whose launch settings it reuses).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "browser"))

from apphelpers import MAP_FRAME, run_streamlit  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from geo import synthetic  # noqa: E402
from geo.places import spatial
from geo.store import query
from geo.web import mapview
from geo.store.gpkg import write_store  # noqa: E402

# Markers, clusters or (above the app's marker limit) the grid cells that stand for them.
MARKER_SELECTOR = ".marker-cluster, path.geo-marker, path.geo-cell"
PAINTED_JS = f"() => document.querySelectorAll('{MARKER_SELECTOR}').length > 0"


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time in ms of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def server_side(gdf, counties, cities, cluster: str, repeat: int) -> tuple[float, str]:
    """ms to filter (one chain dropped) + build + render the map; returns (ms, html)."""
    chains = query.options(gdf)["chains"]
    filters = query.Filters(chains=[c for c in chains if c != chains[0]])

    def render():
        m = mapview.build_map(query.apply(gdf, filters), counties=counties, cities=cities, cluster=cluster,
                              asset_base_url="static/vendor", max_markers=None)  # markers, never grid cells
        return m.get_root().render()

    return timed(render, repeat)


def st_folium_path(gdf, counties, cities, repeat: int) -> float:
    """ms for what the app does per rerun: filter, build, and st_folium's own preparation.

    st_folium renders the figure, renders the map again and walks it into one script
    (streamlit_folium._get_html / _get_header / _get_map_string); the browser side is separate.
    """
    from streamlit_folium import _get_header, _get_html, _get_map_string

    chains = query.options(gdf)["chains"]
    filters = query.Filters(chains=[c for c in chains if c != chains[0]])

    def prepare():
        m = mapview.build_map(query.apply(gdf, filters), counties=counties, cities=cities,
                              asset_base_url="/app/static/vendor", max_markers=None)
        m.get_root().render()
        m.render()
        return _get_html(m), _get_header(m), _get_map_string(m)

    return timed(prepare, repeat)[0]


def county_layer_bytes(gdf, counties) -> int:
    """Bytes the choropleth adds to an empty map."""
    empty = len(mapview.payload(mapview.base_map("none")).encode())
    m = mapview.base_map("none")
    mapview.add_choropleth(m, counties, query.county_metrics(gdf, counties), "investment_yi")
    return len(mapview.payload(m).encode()) - empty


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve `folder` on 127.0.0.1:<free port> in a thread; returns (url, server)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def browser_paint(browser, url: str) -> float:
    """ms from navigation start to the first marker/cluster drawn (mean of 2 loads)."""
    results = []
    for _ in range(2):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(PAINTED_JS, timeout=120_000)
        results.append((time.perf_counter() - t0) * 1000)
        page.close()
    return statistics.mean(results)


def cold_start(browser, records, articles, tmp: Path, warm: bool = False) -> float:
    """s from `streamlit run` (`warm`: `python -m geo.web.serve`) to the map's counties and markers painted."""
    db = tmp / "bench.gpkg"
    write_store(db, articles, records)
    t0 = time.perf_counter()
    with run_streamlit(REPO / "app.py", {"GEO_DB": str(db)}, tmp, warm=warm) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.geo-county").first.wait_for(state="attached", timeout=120_000)
        frame.locator(MARKER_SELECTOR).first.wait_for(state="attached", timeout=120_000)
        elapsed = time.perf_counter() - t0
        page.close()
    return elapsed


def main() -> None:
    """Run every measurement and print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--cold-runs", type=int, default=1, help="cold starts to time (their range is printed)")
    parser.add_argument("--cold-only", action="store_true", help="time only the cold start")
    args = parser.parse_args()
    counties = spatial.load_counties(simplified=True)
    cities = spatial.load_cities(simplified=True)
    records, articles = synthetic.synthetic_records(args.records, counties, seed=7)
    if args.cold_only:
        cold_starts(records, articles, args.cold_runs)
        return cold_starts(records, articles, args.cold_runs, warm=True)
    gdf = synthetic.records_frame(records, articles)
    print(f"records: {len(gdf)} synthetic (seed 7); located below city level: "
          f"{int(gdf['precision'].isin(query.COUNTY_PRECISIONS).sum())}")
    print(f"county layer payload: {county_layer_bytes(gdf, counties) / 1024:.0f} KB (target ≤ 250 KB)")
    pages = {}
    for cluster, repeat in (("fast", 5), ("classic", 1)):
        ms, html = server_side(gdf, counties, cities, cluster, repeat)
        pages[cluster] = html
        target = " (target ≤ 300 ms)" if cluster == "fast" else ""
        print(f"re-render after filter change, {cluster}: {ms:.0f} ms{target}; "
              f"map payload {len(html.encode()) / 1024:.0f} KB")
    print(f"re-render as the app does it (incl. st_folium's preparation), fast: "
          f"{st_folium_path(gdf, counties, cities, 5):.0f} ms")
    if args.no_browser:
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as pw:
        tmp = Path(tmp_name)
        (tmp / "static").symlink_to(REPO / "static")
        for cluster, html in pages.items():
            (tmp / f"{cluster}.html").write_text(html, encoding="utf-8")
        url, server = serve(tmp)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for cluster in pages:
                target = " (target ≤ 2000 ms)" if cluster == "fast" else ""
                print(f"browser paint of markers, {cluster}: {browser_paint(browser, f'{url}/{cluster}.html'):.0f} ms"
                      f"{target}")
        finally:
            browser.close()
            server.shutdown()
    cold_starts(records, articles, args.cold_runs)
    cold_starts(records, articles, args.cold_runs, warm=True)


def cold_starts(records, articles, runs: int, warm: bool = False) -> None:
    """Print the cold start to painted map, `runs` times (a fresh server and store each time)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            times = [cold_start(browser, records, articles, Path(tmp_name), warm) for _ in range(runs)]
        finally:
            browser.close()
    how = "python -m geo.web.serve, as run_app.sh" if warm else "streamlit run app.py"
    print(f"cold start to painted map ({how} + Chromium): {statistics.median(times):.1f} s"
          + (f" (median of {runs}: {min(times):.1f}–{max(times):.1f} s; {', '.join(f'{t:.1f}' for t in times)})"
             if runs > 1 else ""))


if __name__ == "__main__":
    main()
