"""Map layers, escaping, choropleth classes, 0 vs no data, GCJ-02 shift for the Amap basemap."""
import re

import folium
import pytest
import shapely.geometry

from geo.places import coords, spatial
from geo.store import query
from geo.web import mapview, markers
from geo.web.layers import FeatureLayer
from geo.errors import GeoError
from geo.web.labels import SEQUENTIAL, ZERO_COLOR
from geo.models import Article, Record
from geo.store.gpkg import records_frame
from geo.synthetic import synthetic_frame

COUNTIES = spatial.load_counties(simplified=True)
CITIES = spatial.load_cities(simplified=True)
XIAODIAN, YINGZE = "140105", "140106"  # 太原 小店区 / 迎泽区
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]
ART = [Article(id="a1", source="a1.txt", title="标题" + PAYLOADS[1], date="2023-05-20", text="x")]


def _rec(rid, **kw):
    base = dict(id=rid, kind="project", article_id="a1", sentence="句子", amount_kind="investment",
                currency="CNY", precision="county", county_adcode=XIAODIAN, county="小店区",
                city_adcode="140100", city="太原市", lon=112.56, lat=37.74, chain="光伏",
                place_adcodes=[XIAODIAN], amount_yi=20.0)
    base.update(kw)
    return Record(**base)


@pytest.fixture(scope="module")
def frame():
    return records_frame([
        _rec("p1", name=PAYLOADS[0], company=PAYLOADS[1], sentence="在" + PAYLOADS[0] + "签约",
             origin_region="guangdong", origin_place="深圳市"),
        _rec("p2", county_adcode=YINGZE, county="迎泽区", amount_yi=None, amount_kind=None,
             lon=112.57, lat=37.85, place_adcodes=[YINGZE], origin_region="other"),  # data, no amount
        _rec("c1", precision="city", county_adcode=None, county=None, name=PAYLOADS[1], lon=112.55,
             lat=37.87, place_adcodes=[], origin_region="jingjinji", kind="batch", project_count=12),
        _rec("u1", precision="unresolved", county_adcode=None, county=None, city_adcode=None, city=None,
             lon=None, lat=None, place_adcodes=[]),
    ], ART)


def _build(frame, **kw):
    return mapview.build_map(frame, counties=COUNTIES, cities=CITIES, asset_base_url=None, **kw)


def _layers(m):
    return {c.layer_name: c for c in m._children.values() if isinstance(c, folium.FeatureGroup)}


def _geojson(group):
    return next(c for c in group._children.values() if isinstance(c, FeatureLayer)).data


def test_layers_present_by_name_with_layer_control(frame):
    m = _build(frame)
    assert set(_layers(m)) == set(mapview.LAYER_NAMES.values()) - {mapview.LAYER_NAMES["city_choropleth"]}
    assert any(isinstance(c, folium.LayerControl) for c in m._children.values())
    assert set(_layers(_build(frame, level="city"))) == set(mapview.LAYER_NAMES.values())


def test_city_level_colours_cities_and_keeps_counties_clickable(frame):
    m = _build(frame, level="city")
    cities = {f["properties"]["adcode"]: f["properties"] for f in _geojson(_layers(m)[
        mapview.LAYER_NAMES["city_choropleth"]])["features"]}
    totals = query.city_totals(frame, CITIES).set_index("adcode")
    assert len(cities) == len(CITIES) and set(cities) == set(totals.index)
    for code, props in cities.items():
        assert (props["value"] is None) == (not totals.loc[code, "has_data"])
    counties = _geojson(_layers(m)[mapview.LAYER_NAMES["choropleth"]])["features"]
    assert len(counties) == 117 and all(f["properties"]["outline"] for f in counties)
    assert mapview._county_style(counties[0])["fillOpacity"] == 0.0
    assert "地市 by city" in mapview.payload(m)
    with pytest.raises(GeoError, match="unknown level"):
        _build(frame, level="province")


def test_article_strings_are_escaped_everywhere(frame):
    html = mapview.payload(_build(frame))
    for raw in PAYLOADS + ["onerror=alert(2)>"]:
        assert raw not in html
    cols, tables = mapview.marker_rows(frame)
    popup = markers.popup_html(cols, tables, 0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in popup and "&lt;img src=x onerror=alert(2)&gt;" in popup
    assert "<script" not in popup and "<img" not in popup
    assert "&lt;img" in tables["art"][0]  # article title escaped too


def test_jinja_syntax_in_article_text_is_not_evaluated():
    # folium re-parses rendered scripts as Jinja templates: "{{ 7*7 }}" must stay text.
    payload = "{{ 7*7 }}{% if true %}JINJA{% endif %}{# c #}"
    gdf = records_frame([_rec("j1", name=payload, sentence=payload, company=payload),
                         _rec("j2", precision="city", county_adcode=None, name=payload, sentence=payload)],
                        [Article(id="a1", source="a1.txt", title=payload, date=None, text="x")])
    html = mapview.payload(_build(gdf)).replace("\\u0026", "&")  # undo the JSON escape of "&"
    escaped = markers.esc(payload)
    assert html.count(escaped) >= 6  # marker row (3), city popup (2), article titles
    assert html.count("JINJA") == html.count(escaped)  # no evaluated or half-escaped copy anywhere


def test_zero_and_no_data_are_distinct_from_classes(frame):
    feats = {f["properties"]["adcode"]: f["properties"] for f in _geojson(_layers(_build(frame))[
        mapview.LAYER_NAMES["choropleth"]])["features"]}
    assert len(feats) == 117
    assert feats[XIAODIAN]["fill"] in SEQUENTIAL and feats[XIAODIAN]["label"] == "20.00 亿元"
    assert feats[YINGZE]["fill"] == ZERO_COLOR and feats[YINGZE]["value"] == 0
    other = feats["140107"]
    assert other["fill"] == "url(#geo-hatch)" and other["label"] == "无数据 no data" and other["value"] is None
    style = mapview._county_style({"properties": other})
    assert style["dashArray"] and style["fillColor"] != ZERO_COLOR


def test_city_level_records_are_not_on_counties(frame):
    m = _build(frame)
    feats = {f["properties"]["adcode"]: f["properties"] for f in _geojson(_layers(m)[
        mapview.LAYER_NAMES["choropleth"]])["features"]}
    assert feats[XIAODIAN]["records"] == 1  # c1 (city-level batch) is not added to 小店区
    assert len(mapview.marker_rows(frame)[0]["lat"]) == 2  # p1, p2; not c1 nor u1
    group = _layers(m)[mapview.LAYER_NAMES["city_records"]]
    city_markers = [c for c in group._children.values() if isinstance(c, markers.CityMarkers)]
    assert [r["n"] for r in city_markers[0].rows] == [1]
    popup = city_markers[0].rows[0]["popup"]
    assert "记录来源 Record source" in popup and "批量 batch of 12 projects" in popup


def test_classes_fisher_jenks_or_unique_and_legend():
    five = mapview.classify([0, 1, 2, 3, 10, 50, 51, 200, 0.5])
    assert five.scheme.startswith("FisherJenks") and len(five.bins) == 5 and five.bins[-1] == 200
    assert five.color_of(200) == SEQUENTIAL[-1] and five.color_of(0.5) == SEQUENTIAL[0]
    few = mapview.classify([3.0, 3.0, 7.0, 0.0])
    assert few.scheme.startswith("唯一") and few.bins == [3.0, 7.0]
    assert few.colors == [SEQUENTIAL[0], SEQUENTIAL[-1]]
    legend = mapview.choropleth_legend(five, "investment_yi")
    assert "亿元" in legend and "FisherJenks" in legend and "无数据 no data" in legend
    assert legend.count("geo-swatch") == 5 + 2
    assert "个" in mapview.choropleth_legend(few, "project_count")


def test_selected_county_is_outlined(frame):
    m = _build(frame, selected_county=YINGZE)
    feats = _geojson(_layers(m)[mapview.LAYER_NAMES["choropleth"]])["features"]
    styles = {f["properties"]["adcode"]: mapview._county_style(f) for f in feats}
    assert styles[YINGZE]["weight"] > styles[XIAODIAN]["weight"]


def test_amap_basemap_shifts_every_overlay_by_gcj_offset(frame):
    plain = _build(frame)
    amap = _build(frame, basemap="amap")
    lon, lat = 112.56, 37.74
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    cols = mapview.marker_rows(frame, shift=True)[0]
    assert (cols["lat"][0], cols["lon"][0]) == (round(glat, 6), round(glon, 6))
    assert 0.002 < abs(glon - lon) + abs(glat - lat) < 0.02  # a few hundred metres
    shape = lambda m: _geojson(_layers(m)[mapview.LAYER_NAMES["choropleth"]])["features"][0]["geometry"]
    p0 = shape(plain)["coordinates"][0][0][0]
    a0 = shape(amap)["coordinates"][0][0][0]
    assert pytest.approx(a0, abs=1e-6) == list(coords.wgs84_to_gcj02(*p0))
    assert "autonavi" in mapview.payload(amap) and "autonavi" not in mapview.payload(plain)


def test_flows_from_three_regions_only_and_batches_dashed(frame):
    flows = mapview.flow_table(frame)
    assert set(flows["region"]) == {"guangdong", "jingjinji"}  # "other" is not drawn
    assert flows.set_index("region").loc["jingjinji", "coarse"]
    assert not flows.set_index("region").loc["guangdong", "coarse"]
    m = _build(frame, fit="flows")
    feats = _geojson(_layers(m)[mapview.LAYER_NAMES["flows"]])["features"]
    assert {f["geometry"]["type"] for f in feats} == {"LineString", "Polygon"}  # line + arrowhead
    assert any(f["properties"]["dash"] for f in feats)


def test_bad_options_raise_quoting_the_value(frame):
    with pytest.raises(GeoError, match="'tonnes'"):
        _build(frame, metric="tonnes")
    with pytest.raises(GeoError, match="'google'"):
        _build(frame, basemap="google")


def test_county_layer_payload_and_no_cdn_after_localize():
    gdf = synthetic_frame(300, COUNTIES, seed=2)
    m = mapview.build_map(gdf, counties=COUNTIES, cities=CITIES)
    html = mapview.payload(m)
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert srcs and not [s for s in srcs if s.startswith(("http:", "https:", "//"))]



@pytest.mark.parametrize("kw", [{}, {"max_markers": 50}, {"basemap": "osm"}, {"basemap": "amap", "level": "city"}],
                         ids=["markers", "cells", "osm", "amap-city"])
def test_map_frame_loads_no_jquery_bootstrap_js_or_icon_fonts(kw):
    # the app's elements need Leaflet alone (and markercluster's files): geo.web.offline.light_frame
    gdf = synthetic_frame(300, COUNTIES, seed=2)
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', mapview.payload(_build(gdf, **kw)))
    assert srcs[:3] == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
                        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
                        "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap-reboot.min.css"]
    assert all("markercluster" in s or "MarkerCluster" in s for s in srcs[3:]), srcs
    classic = mapview.payload(_build(gdf, cluster="classic"))  # folium.Popup writes $(...)
    assert "jquery-3.7.1.min.js" in classic and "bootstrap.min.css" in classic


def test_county_layer_payload_under_250_kb(frame):
    empty = len(mapview.payload(mapview.base_map("none")).encode())
    m = mapview.base_map("none")
    mapview.add_choropleth(m, COUNTIES, mapview.query.county_metrics(frame, COUNTIES), "investment_yi")
    size = len(mapview.payload(m).encode()) - empty
    assert 50_000 < size < 250_000, size


@pytest.mark.parametrize("basemap", mapview.BASEMAPS)
def test_map_has_max_zoom_for_marker_cluster(basemap):
    # Without it Leaflet.markercluster throws "Map has no maxZoom specified" and the map stays blank.
    html = mapview.payload(mapview.base_map(basemap))
    assert re.search(r'"maxZoom": 18', html)


def test_empty_selection_still_draws_counties_as_no_data(frame):
    m = _build(frame.iloc[:0])
    feats = _geojson(_layers(m)[mapview.LAYER_NAMES["choropleth"]])["features"]
    assert {f["properties"]["label"] for f in feats} == {"无数据 no data"}
    assert mapview.marker_rows(frame.iloc[:0])[0]["lat"] == []
    assert "geo-legend-choropleth" in mapview.payload(m)


def test_origin_regions_are_drawn_so_flows_have_a_visible_start(frame):
    plain, amap = _build(frame), _build(frame, basemap="amap")
    regions = lambda m: _geojson(_layers(m)[mapview.LAYER_NAMES["regions"]])["features"]
    feats = regions(plain)
    assert {f["properties"]["region"] for f in feats} == {"guangdong", "jingjinji", "yangtze_delta"}
    assert {f["properties"]["name"] for f in feats} >= {"广东省", "北京市", "上海市", "安徽省"}
    # every flow starts inside the outline of its region (or at its representative point)
    flows = mapview.flow_table(frame)
    outlines = {f["properties"]["region"]: shapely.geometry.shape(f["geometry"]) for f in feats
                if f["properties"]["name"] in ("广东省", "北京市")}
    for f in flows.itertuples():
        assert outlines[f.region].buffer(0.2).contains(shapely.geometry.Point(f.o_lon, f.o_lat))
    # the Gaode basemap moves these outlines too
    p0 = regions(plain)[0]["geometry"]["coordinates"][0][0]
    a0 = regions(amap)[0]["geometry"]["coordinates"][0][0]
    p0 = p0[0] if isinstance(p0[0], list) else p0
    a0 = a0[0] if isinstance(a0[0], list) else a0
    assert pytest.approx(a0, abs=2e-3) == list(coords.wgs84_to_gcj02(*p0))


def test_batch_sizes_read_as_whole_numbers():
    assert markers.batch_label("batch", 96.0) == "批量 batch of 96 projects"
    assert markers.batch_label("batch", float("nan")) == "批量 batch of ? projects"
    assert markers.batch_label("project", 3) == ""


def test_markers_become_grid_cells_above_the_limit():
    gdf = synthetic_frame(400, COUNTIES, seed=2)
    m = _build(gdf, max_markers=50)
    group = _layers(m)[mapview.LAYER_NAMES["markers"]]
    assert not [c for c in group._children.values() if isinstance(c, markers.RecordMarkers)]
    (cells,) = [c for c in group._children.values() if isinstance(c, markers.CellMarkers)]
    import json
    rows = json.loads(cells.rows_json)
    assert sum(r["n"] for r in rows) == len(markers.display_points(gdf))
    assert all(r["tooltip"].count("条记录 records") == 1 for r in rows)
    assert "grid cells" in mapview.payload(m)
    unlimited = _layers(_build(gdf, max_markers=None))[mapview.LAYER_NAMES["markers"]]
    assert [c for c in unlimited._children.values() if isinstance(c, markers.RecordMarkers)]


def test_flows_are_arcs_with_width_legend_and_tooltips(frame):
    path = mapview.arc((113.3, 23.1), (112.5, 37.8))
    assert path[0] == [113.3, 23.1] and path[-1] == [112.5, 37.8] and len(path) == mapview.ARC_POINTS + 1
    mid = shapely.geometry.Point(path[len(path) // 2])
    assert mid.distance(shapely.geometry.LineString([path[0], path[-1]])) > 0.5  # bowed, not straight
    m = _build(frame)
    feats = _geojson(_layers(m)[mapview.LAYER_NAMES["flows"]])["features"]
    lines = [f for f in feats if f["geometry"]["type"] == "LineString"]
    assert lines and all(len(f["geometry"]["coordinates"]) == mapview.ARC_POINTS + 1 for f in lines)
    flows = mapview.flow_table(frame)
    assert all("条记录 records" in f["properties"]["label"] and "合计 total" in f["properties"]["label"]
               for f in lines)
    legend = mapview.flow_legend(len(flows), len(flows), list(flows["region"]))
    assert "10 亿元" in legend and "100 亿元" in legend
    assert "广东 Guangdong" in legend or mapview.ORIGIN_LABELS["guangdong"] in legend
    assert mapview.ORIGIN_LABELS["yangtze_delta"] not in legend  # no flow from there in this frame
    assert "no flows" in mapview.flow_legend(0, 0, [])
    assert mapview.flow_weight(100) > mapview.flow_weight(10) > mapview.flow_weight(0)


def test_popups_show_kind_date_range_article_and_only_web_links(frame):
    gdf = frame.copy()
    gdf["date"], gdf["date_end"] = "2023-01-01", "2023-12-31"
    gdf["url"] = "https://example.org/a?x=1&y=\"2\""
    gdf.loc[gdf.index[1], "url"] = "javascript:alert(1)"
    cols, tables = mapview.marker_rows(gdf)
    popups = [markers.popup_html(cols, tables, i) for i in range(len(cols["lat"]))]
    assert all("类型 Kind:" in p and "2023-01-01 – 2023-12-31" in p and "文章 Article:" in p for p in popups)
    linked = [p for p in popups if "href='https://example.org/a?x=1&amp;y=&quot;2&quot;'" in p]
    assert len(linked) == len(popups) - 1  # the javascript: address gets no link
    assert not any("javascript:" in p for p in popups)
    assert markers.date_range("2023-05-01", None) == "2023-05-01" == markers.date_range("2023-05-01", "2023-05-01")
    # the browser builds the same popup: its JS reads the same tables
    html = mapview.payload(_build(gdf))
    assert "类型 Kind: " in html and "来源链接 source" in html


@pytest.mark.parametrize("seed", range(8))
def test_choropleth_classes_are_optimal_natural_breaks(seed):
    # Fisher-Jenks: no other split into 5 classes of the sorted values has a smaller within-class sum of
    # squares (checked by trying every split of a small set; skewed, tied and rounded values)
    import itertools

    import numpy as np

    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 15))
    values = (rng.lognormal(2, 1.5, n) if seed % 3 == 0 else rng.integers(1, 8, n).astype(float) if seed % 3 == 1
              else np.round(rng.exponential(10, n), 2) + 0.01)
    if len(np.unique(values)) < 5:
        values = np.arange(1.0, n + 1)

    def sse(groups):
        return sum(float(((g - g.mean()) ** 2).sum()) for g in groups if len(g))

    x = np.sort(values)
    best = min(sse(np.split(x, cuts)) for cuts in itertools.combinations(range(1, n), 4))
    bins = mapview.classify(values).bins
    ours = sse([x[(x > lo) & (x <= hi)] for lo, hi in zip([-np.inf, *bins[:-1]], bins)])
    assert len(bins) == 5 and bins[-1] == x[-1] and ours == pytest.approx(best, rel=1e-9, abs=1e-9)


def test_city_popups_computed_once_give_the_same_squares():
    gdf = synthetic_frame(400, COUNTIES, seed=3)
    popups = mapview.city_record_popups(gdf)  # as the app does once per store state
    assert len(popups) == len(mapview.city_level(gdf)) > 0
    subset = gdf.iloc[::3]  # a filter state

    def squares(**kw):
        m = folium.Map()
        mapview.add_city_records(m, subset, **kw)
        (group,) = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
        return [c.rows for c in group._children.values() if isinstance(c, markers.CityMarkers)]

    assert squares(popups=popups) == squares() and squares()[0]


@pytest.mark.parametrize("shift", [False, True])
def test_marker_texts_computed_once_give_the_same_markers(frame, shift):
    gdf = synthetic_frame(400, COUNTIES, seed=3)
    texts = markers.marker_texts(markers.display_points(gdf))  # as the app does once per store state
    subset = gdf.iloc[::3]  # a filter state
    assert mapview.marker_rows(subset, shift, texts) == mapview.marker_rows(subset, shift)
    assert len(mapview.marker_rows(subset, shift, texts)[0]["name"]) > 100
    # rows the texts do not cover (their index is not in it) get theirs made here
    other = frame.set_axis(range(10_000, 10_000 + len(frame)))
    assert mapview.marker_rows(other, shift, texts) == mapview.marker_rows(other, shift)
    m1 = mapview.build_map(subset, counties=COUNTIES, cities=CITIES, asset_base_url=None, marker_texts=texts)
    m2 = mapview.build_map(subset, counties=COUNTIES, cities=CITIES, asset_base_url=None)
    assert m1.get_root().render().count("合成") == m2.get_root().render().count("合成") > 0
