"""A localized folium map renders in Chromium with zero requests leaving localhost.

Covers the standalone page (served over http and inlined from file://) and the same map
inside Streamlit through streamlit-folium's st_folium.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import branca.colormap
import folium
import pytest
from folium import plugins
from shapely.geometry import box, mapping

from geo.web.offline import DEFAULT_BASE_URL, VENDOR_DIR, blank_tiles, render_html

pytestmark = pytest.mark.browser

# Two boxes over Shanxi (lon 110-114, lat 34.5-40.7); markers avoid the first so hovering it
# reaches the polygon, not a cluster icon.
HOVER_BOX = box(110.3, 38.6, 111.3, 39.8)
OTHER_BOX = box(112.0, 35.0, 113.6, 36.2)
N_POINTS = 1000


def build_map() -> folium.Map:
    """Polygons with CJK tooltips, 1000 clustered points, a flow with arrows, legend, minimap."""
    m = folium.Map(location=[37.6, 112.2], zoom_start=6, tiles=None, maxZoom=18)
    counties = folium.FeatureGroup(name="县区 counties").add_to(m)
    features = [
        {"type": "Feature", "properties": {"name": name, "amount": amount}, "geometry": mapping(geom)}
        for name, amount, geom in [("忻州市 测试区", 12.5, HOVER_BOX), ("长治市 测试县", 80.0, OTHER_BOX)]
    ]
    colormap = branca.colormap.LinearColormap(
        ["#fff5eb", "#d94801"], vmin=0, vmax=100, caption="投资额 亿元 (investment, 100 million yuan)"
    )
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {"fillColor": colormap(f["properties"]["amount"]),
                                  "color": "#444", "weight": 1, "fillOpacity": 0.7},
        tooltip=folium.GeoJsonTooltip(["name", "amount"], aliases=["县区", "亿元"]),
    ).add_to(counties)
    rng = random.Random(7)
    points = [[rng.uniform(34.8, 40.5), rng.uniform(111.6, 114.0)] for _ in range(N_POINTS)]
    plugins.FastMarkerCluster(points, name="项目 projects").add_to(m)
    flows = folium.FeatureGroup(name="资金流向 flows").add_to(m)
    line = folium.PolyLine([[39.90, 116.40], [37.87, 112.55]], color="#3366cc", weight=3).add_to(flows)
    plugins.PolyLineTextPath(line, "  ►  ", repeat=True, offset=6,
                             attributes={"fill": "#3366cc", "font-size": "14"}).add_to(flows)
    colormap.add_to(m)
    plugins.MiniMap(tile_layer=blank_tiles(), zoom_level_offset=-4).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds([[34.5, 110.2], [40.8, 116.6]])
    return m


def check_map(page, frame=None) -> dict:
    """Assert the Leaflet map in `frame` (default: main frame) is fully drawn; return counts."""
    target = frame or page.main_frame
    target.wait_for_selector(".marker-cluster", timeout=15000)
    counts = target.evaluate("""() => ({
        leaflet: typeof window.L === 'object' && typeof L.map === 'function',
        polygons: document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length,
        clusters: document.querySelectorAll('.marker-cluster').length,
        textpaths: document.querySelectorAll('textPath').length,
        minimap: document.querySelectorAll('.leaflet-control-minimap').length,
        legend: (document.querySelector('.legend svg') || {}).textContent || '',
        layers: document.querySelectorAll('.leaflet-control-layers-overlays label').length,
    })""")
    assert counts["leaflet"], "window.L is not defined: leaflet.js did not load"
    assert counts["polygons"] >= 3, counts  # two boxes + the flow line
    assert counts["clusters"] > 0, counts
    assert counts["textpaths"] > 0, counts
    assert counts["minimap"] == 1, counts
    assert "投资额" in counts["legend"], counts
    assert counts["layers"] >= 3, counts
    return counts


def hover_polygon(page, frame=None) -> str:
    """Move the mouse over HOVER_BOX's centre and return the tooltip text."""
    target = frame or page.main_frame
    name = target.evaluate("Object.keys(window).find(k => /^map_[0-9a-z_]+$/.test(k) && window[k] instanceof L.Map)")
    centre = HOVER_BOX.centroid
    x, y = target.evaluate(
        f"() => {{ const p = window['{name}'].latLngToContainerPoint([{centre.y}, {centre.x}]);"
        f" const r = window['{name}'].getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }}"
    )
    if frame is not None:
        box_ = frame.frame_element().bounding_box()
        x, y = x + box_["x"], y + box_["y"]
    page.mouse.move(x, y)
    target.wait_for_selector(".leaflet-tooltip", timeout=5000)
    return target.inner_text(".leaflet-tooltip")


def serve_with_vendor(tmp_path: Path, html: str) -> Path:
    """Folder with index.html and static/vendor reachable at /app/static/vendor (like Streamlit)."""
    site = tmp_path / "site"
    (site / "app" / "static").mkdir(parents=True)
    (site / "app" / "static" / "vendor").symlink_to(VENDOR_DIR, target_is_directory=True)
    (site / "index.html").write_text(html, encoding="utf-8")
    assert DEFAULT_BASE_URL == "/app/static/vendor"
    return site


def test_localized_map_served_over_http(page, net_log, static_server, save_screenshot, tmp_path):
    site = serve_with_vendor(tmp_path, render_html(build_map()))
    url = static_server(site)
    page.goto(f"{url}/index.html", wait_until="networkidle")
    counts = check_map(page)
    tooltip = hover_polygon(page)
    assert "忻州市 测试区" in tooltip
    shot = save_screenshot(page, "offline_map_http")
    assert shot.stat().st_size > 10_000
    assert any(u.endswith("leaflet@1.9.3/dist/leaflet.js") for u in net_log.requests)
    assert counts["clusters"] < N_POINTS  # points are clustered, not drawn one by one
    net_log.assert_clean()


def test_inlined_map_from_file_url(page, net_log, save_screenshot, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(render_html(build_map(), inline=True), encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load")
    check_map(page)
    assert "忻州市 测试区" in hover_polygon(page)
    save_screenshot(page, "offline_map_inline")
    assert all(u.startswith(("file:", "data:")) for u in net_log.requests), net_log.requests[:5]
    net_log.assert_clean()


APP_SCRIPT = """
import sys
sys.path.insert(0, {tests_dir!r})
sys.path.insert(0, {repo!r})
import streamlit as st
from streamlit_folium import st_folium
from geo.web.offline import localize
from test_offline_map import build_map

st.title("离线地图 offline map")
st_folium(localize(build_map()), height=560, use_container_width=True, returned_objects=[])
"""


def test_st_folium_map_offline(page, net_log, streamlit_app, save_screenshot, tmp_path):
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    # Streamlit serves ./static next to the script: point it at the repo's static/.
    (app_dir / "static").symlink_to(VENDOR_DIR.parent, target_is_directory=True)
    script = app_dir / "offline_app.py"
    script.write_text(textwrap.dedent(APP_SCRIPT.format(
        tests_dir=str(Path(__file__).parent), repo=str(VENDOR_DIR.parent.parent))), encoding="utf-8")
    url = streamlit_app(script)
    page.goto(url, wait_until="domcontentloaded")
    iframe = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=30000)
    frame = iframe.content_frame()
    check_map(page, frame)
    assert iframe.bounding_box()["height"] > 400
    assert frame.evaluate("document.querySelectorAll('.leaflet-pane').length") > 0
    assert "忻州市 测试区" in hover_polygon(page, frame)
    save_screenshot(page, "offline_map_streamlit")
    assert any("/app/static/vendor/" in u for u in net_log.requests)
    net_log.assert_clean()
