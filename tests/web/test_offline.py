"""geo.web.offline: every asset a map needs is vendored and no CDN link survives localize()."""

from __future__ import annotations

import base64
import importlib.util
import logging
import re
import struct
import zlib
from pathlib import Path

import branca.colormap
import folium
import pytest
from branca.element import JavascriptLink
from folium import plugins
from shapely.geometry import box, mapping

from geo.errors import GeoError
from geo.web.offline import (
    ASSETS,
    DEFAULT_BASE_URL,
    VENDOR_DIR,
    LIGHT_CSS,
    LIGHT_JS,
    OfflineAssetError,
    blank_tiles,
    css_urls,
    light_frame,
    local_url,
    localize,
    render_html,
)

REPO = Path(__file__).resolve().parents[2]
# <script src=...> and <link href=...> values of a rendered page.
TAG_URL = re.compile(r"""<(?:script|link)\b[^>]*?\s(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
PLUGINS_USED = [folium.Map, plugins.MarkerCluster, plugins.FastMarkerCluster,
                plugins.PolyLineTextPath, plugins.AntPath, plugins.MiniMap]


def full_map(basemap: str = "none") -> folium.Map:
    """A map with every layer type the app uses."""
    m = folium.Map(location=[37.6, 112.2], zoom_start=6, tiles=None, maxZoom=18)
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    counties = folium.FeatureGroup(name="县区").add_to(m)
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "太原市"}, "geometry": mapping(box(112, 37.5, 113, 38.5))}]}
    folium.GeoJson(gj, tooltip=folium.GeoJsonTooltip(["name"]),
                   popup=folium.GeoJsonPopup(["name"])).add_to(counties)
    plugins.FastMarkerCluster([[37.5, 112.5], [38.0, 112.0]]).add_to(m)
    cluster = plugins.MarkerCluster().add_to(m)
    folium.Marker([37.0, 112.0], icon=folium.Icon(icon="info-sign"), popup="项目").add_to(cluster)
    line = folium.PolyLine([[39.9, 116.4], [37.8, 112.5]]).add_to(m)
    plugins.PolyLineTextPath(line, "►", repeat=True).add_to(m)
    plugins.AntPath([[31.2, 121.5], [37.8, 112.5]]).add_to(m)
    branca.colormap.LinearColormap(["#ffffff", "#ff0000"], vmin=0, vmax=100, caption="亿元").add_to(m)
    branca.colormap.StepColormap(["#eeeeee", "#0000ff"], vmin=0, vmax=10, caption="项目数").add_to(m)
    plugins.MiniMap(tile_layer=blank_tiles()).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def tag_urls(html: str) -> list[str]:
    return TAG_URL.findall(html)


def test_every_table_entry_and_css_reference_is_on_disk():
    for rel in ASSETS.values():
        path = VENDOR_DIR / rel
        assert path.is_file(), f"{rel} listed in ASSETS but not vendored"
        if rel.endswith(".css"):
            for ref in css_urls(path.read_text(encoding="utf-8")):
                assert (path.parent / ref).is_file(), f"{rel} references missing {ref}"


def test_vendored_files_match_their_checksums(capsys):
    spec = importlib.util.spec_from_file_location("vendor_assets", REPO / "scripts" / "vendor_assets.py")
    vendor_assets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor_assets)
    assert vendor_assets.check() == 0, capsys.readouterr().out


def test_vendor_folder_stays_small():
    total = sum(p.stat().st_size for p in VENDOR_DIR.rglob("*") if p.is_file())
    assert total < 4_000_000, f"static/vendor is {total / 1e6:.1f} MB"


@pytest.mark.parametrize("cls", PLUGINS_USED, ids=lambda c: c.__name__)
def test_each_plugin_cdn_url_has_a_local_copy(cls):
    for _, url in list(cls.default_js) + list(cls.default_css):
        assert url in ASSETS, f"{cls.__name__} needs {url}"


def test_rendered_map_links_only_local_files_that_exist():
    html = render_html(full_map())
    urls = tag_urls(html)
    assert urls, "no script/link tags found: the regex or the template changed"
    for url in urls:
        assert not re.match(r"(?:https?:)?//", url), url
        assert url.startswith(DEFAULT_BASE_URL + "/"), url
        assert (VENDOR_DIR / url.removeprefix(DEFAULT_BASE_URL + "/")).is_file(), url
    # one of each, including the d3 that branca colormaps need
    for rel in ("leaflet@1.9.3/dist/leaflet.js", "d3@3.5.5/d3.min.js",
                "leaflet.markercluster@1.1.0/dist/leaflet.markercluster.js",
                "leaflet-textpath@1.2.3/leaflet.textpath.js", "leaflet-minimap@3.6.1/dist/Control.MiniMap.min.js"):
        assert f"{DEFAULT_BASE_URL}/{rel}" in urls


def test_optional_basemap_keeps_only_its_tile_template_external():
    html = render_html(full_map(basemap="osm"))
    assert all(not url.startswith(("http:", "https:", "//")) for url in tag_urls(html))
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html


def test_colormap_legend_is_drawn_once_and_hidden_from_streamlit_folium():
    m = localize(full_map())
    html = m.get_root().render()
    assert html.count(".legend.addTo(") == 2  # one per colormap

    def walk(elem):
        yield elem
        for child in getattr(elem, "_children", {}).values():
            yield from walk(child)

    assert not any(isinstance(e, branca.colormap.ColorMap) for e in walk(m))


def test_st_folium_gets_only_local_links(monkeypatch):
    import streamlit_folium

    captured = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: captured.update(kw))
    streamlit_folium.st_folium(localize(full_map()), returned_objects=[])
    links = captured["js_links"] + captured["css_links"]
    assert links and all(link.startswith(DEFAULT_BASE_URL + "/") for link in links), links
    assert ".legend.addTo(" in captured["script"]


def test_light_frame_loads_leaflet_and_base_styles_alone_when_every_element_is_known():
    m = folium.Map(location=[37.6, 112.2], zoom_start=6, tiles=None, maxZoom=18)
    group = folium.FeatureGroup(name="县区").add_to(m)
    plugins.MarkerCluster().add_to(group)
    folium.LayerControl().add_to(m)
    m.fit_bounds([[34.5, 110.2], [40.7, 114.6]])
    known = (folium.FeatureGroup, plugins.MarkerCluster, folium.LayerControl, folium.map.FitBounds)
    assert light_frame(m, known)
    urls = tag_urls(render_html(m))
    assert [u.removeprefix(DEFAULT_BASE_URL + "/") for u in urls] == [
        "leaflet@1.9.3/dist/leaflet.js", "leaflet@1.9.3/dist/leaflet.css",
        "bootstrap@5.2.2/dist/css/bootstrap-reboot.min.css", "leaflet.markercluster@1.1.0/dist/leaflet.markercluster.js",
        "leaflet.markercluster@1.1.0/dist/MarkerCluster.css", "leaflet.markercluster@1.1.0/dist/MarkerCluster.Default.css"]
    assert folium.Map.default_js != m.default_js and len(folium.Map.default_js) == 4  # the class list is kept
    assert all(url in ASSETS for _, url in LIGHT_JS + LIGHT_CSS)


def test_light_frame_keeps_every_asset_for_an_unknown_element_or_a_layer_kept_in_front():
    m = full_map()  # a Marker with folium.Icon and popups: jQuery and the icon fonts are needed
    before = (list(m.default_js), list(m.default_css))
    assert not light_frame(m, (folium.FeatureGroup, folium.LayerControl))
    assert (m.default_js, m.default_css) == before
    m = folium.Map(tiles=None, maxZoom=18)
    group = folium.FeatureGroup(name="x").add_to(m)
    m.keep_in_front(group)  # folium writes $(document).ready(...) for it
    assert not light_frame(m, (folium.FeatureGroup,))
    assert "jquery@3.7.1/dist/jquery.min.js" in render_html(m)


def test_localize_leaves_class_defaults_alone_and_can_rebase():
    before = list(folium.Map.default_js)
    m = localize(full_map(), base_url="/first")
    assert folium.Map.default_js == before
    localize(m, base_url="vendor/")
    assert all(url.startswith("vendor/") for url in tag_urls(m.get_root().render()))


def test_unvendored_plugin_fails_loudly_quoting_the_url():
    m = full_map()
    plugins.Fullscreen().add_to(m)
    with pytest.raises(OfflineAssetError, match="leaflet.fullscreen@3.0.0") as err:
        localize(m)
    assert isinstance(err.value, GeoError)
    assert "Fullscreen" in str(err.value)


def test_external_link_added_by_hand_is_caught_in_the_page():
    m = full_map()
    m.get_root().header.add_child(JavascriptLink("https://example.com/x.js"), name="x")
    with pytest.raises(OfflineAssetError, match="example.com/x.js"):
        render_html(m)


def test_local_url_passes_relative_and_rejects_unknown():
    assert local_url("already/local.js") == "already/local.js"
    assert local_url("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", "/v/") == \
        "/v/leaflet@1.9.3/dist/leaflet.js"
    with pytest.raises(OfflineAssetError, match="//unpkg.com/x.js"):
        local_url("//unpkg.com/x.js")


def test_inline_page_is_self_contained():
    m = full_map()
    html = render_html(m, inline=True)
    assert tag_urls(html) == []
    assert "geo-inline-vendor" not in html
    assert "url(../webfonts/" not in html and "data:font/woff2;base64," in html
    assert "L.MarkerClusterGroup" in html
    # the map goes back to linked assets afterwards (ready for st_folium)
    assert all(u.startswith(DEFAULT_BASE_URL) for u in tag_urls(m.get_root().render()))


def test_missing_max_zoom_is_warned(caplog):
    with caplog.at_level(logging.WARNING, logger="geo"):
        localize(folium.Map(tiles=None))
    assert "maxZoom" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="geo"):
        localize(folium.Map(tiles=None, maxZoom=18))
    assert caplog.text == ""


def test_blank_tiles_is_a_valid_png_data_uri():
    layer = blank_tiles("#102030")
    assert layer.tiles.startswith("data:image/png;base64,")
    png = base64.b64decode(layer.tiles.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    idat_len = struct.unpack(">I", png[33:37])[0]
    assert (width, height) == (1, 1)
    assert zlib.decompress(png[41:41 + idat_len]) == b"\x00\x10\x20\x30"
    with pytest.raises(ValueError, match="'red'"):
        blank_tiles("red")
