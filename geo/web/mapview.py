"""The folium map: county choropleth, city outlines and city-level records, project markers, flows.

`build_map` composes one small function per layer. Every string that came from an article
(names, companies, sentences, titles, place text) is html.escape()d before it reaches the
page. Overlays are computed in WGS-84; with the Gaode ("amap") basemap, whose tiles are in
GCJ-02, every overlay coordinate is shifted with geo.places.coords so it lines up with the tiles.

Choropleth classes: FisherJenks (k = 5) when there are at least 5 distinct non-zero values,
otherwise one class per distinct value (quantiles of < 5 values would be arbitrary). Zero
(the county has records, none with a countable value) is a separate pale-blue class; a county
with no records at all is hatched grey and labelled "无数据 no data".
"""
from __future__ import annotations

import functools
import html
import logging
import math
from dataclasses import dataclass

import folium
import geopandas as gpd
import jenkspy
import numpy as np
import pandas as pd
import shapely
from folium.map import FitBounds
from folium.plugins import MarkerCluster

from geo.places import coords
from geo.store import query
from geo.web import layers, markers
from geo.web.layers import FeatureLayer, feature_collection
from geo.web.markers import js_json
from geo.errors import GeoError
from geo.web.labels import (ORIGIN_LABELS, PRECISION_LABELS, REGION_COLORS, SEQUENTIAL,
                        ZERO_COLOR, chain_color, label)

logger = logging.getLogger("geo.web.mapview")

BASEMAPS = ("none", "osm", "amap")
CENTER = (37.7, 112.3)  # (lat, lon) of Shanxi's middle
SHANXI_BOUNDS = [[34.55, 110.2], [40.75, 114.6]]  # [[south, west], [north, east]]
LAYER_NAMES = {
    "choropleth": "县区分级 County choropleth",
    "city_choropleth": "地市分级 City choropleth",
    "cities": "地市边界 City outlines",
    "city_records": "地市级记录 City-level records",
    "markers": "项目 Project markers",
    "flows": "投资来源流向 Investment flows",
    "regions": "来源地区 Origin regions",
}
REGION_OUTLINE_TOLERANCE = 0.05  # degrees; outlines only, at the zoom where whole provinces show
MAX_FLOWS = 300  # the largest flows drawn; more lines would hide Shanxi under ink
# Above this many project markers the layer becomes grid cells: every marker's popup text would
# make the page several MB (about 330 bytes a marker) and the browser slow to paint.
MAX_MARKERS = 5000
CELL_DEG = 0.05  # grid cell side in degrees (about 5 km) when markers are aggregated
# The records' columns build_map reads (callers may pass a frame of these alone).
COLUMNS = ["id", "kind", "name", "company", "amount_yi", "amount_max_yi", "amount_kind", "currency", "qualifier",
           "project_count", "chain", "origin_region", "origin_place", "stage", "date", "date_end", "url", "place_text",
           "precision", "sentence", "article_title", "corrected", "record_source", "hidden", "lon", "lat",
           "county_adcode", "city_adcode", "city", "place_adcodes", "project_uid", "article_date"]
# The elements build_map adds, whose scripts need Leaflet alone (and their own plugin files), so the map's
# frame loads nothing else (geo.web.offline.light_frame); "classic" markers' folium.Popup needs jQuery.
LIGHT_ELEMENTS = (folium.FeatureGroup, folium.LayerControl, folium.TileLayer, FitBounds, FeatureLayer,
                  markers.RecordMarkers, markers.CityMarkers, markers.CellMarkers, markers.MetricScale)
AMAP_TILES = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"


@dataclass
class Classes:
    """Choropleth classes: `bins` are inclusive upper bounds, one colour each."""

    scheme: str
    bins: list[float]
    colors: list[str]

    def color_of(self, value: float) -> str:
        """Colour of a positive value (values above the last bound take the last colour)."""
        for bound, color in zip(self.bins, self.colors):
            if value <= bound + 1e-9:
                return color
        return self.colors[-1]


def classify(values) -> Classes:
    """Classes for the positive values of a metric (see module docstring for the rule)."""
    positive = np.asarray([v for v in values if v and v > 0], dtype=float)
    distinct = np.unique(positive)
    if len(distinct) >= 5:
        # jenkspy (C) gives the same optimal breaks as mapclassify.FisherJenks (checked on 300 random
        # sets) without importing scipy.stats and scikit-learn, which cost ~1.2 s of the app's cold start.
        bins = [float(b) for b in jenkspy.jenks_breaks(positive, n_classes=5)[1:]]
        scheme = "FisherJenks 自然断点 (k=5)"
    elif len(distinct):
        bins = [float(v) for v in distinct]
        scheme = "唯一值 unique values"
    else:
        return Classes("无 none", [], [])
    step = (len(SEQUENTIAL) - 1) / max(len(bins) - 1, 1)
    colors = [SEQUENTIAL[round(i * step)] for i in range(len(bins))]
    return Classes(scheme, bins, colors)


@dataclass
class MapParts:
    """What build_map would compute from every record, computed elsewhere (in SQL for a PostGIS store).

    `records` is then only what is drawn row by row: the markers (none when `cells` are given) and the
    first city-level records of each city, whose totals are `city_counts` (city_adcode or "province").
    """

    metrics: pd.DataFrame  # query.county_metrics
    city_totals: pd.DataFrame  # query.city_totals
    flows: pd.DataFrame  # flow_table
    city_counts: dict
    cells: list[dict] | None = None  # markers.cell_rows when the markers are above the cap
    cell_chains: pd.Series | None = None  # markers per chain (the legend of the cells)


def build_map(records: pd.DataFrame, *, metric: str = "investment_yi", basemap: str = "none",
              counties: gpd.GeoDataFrame | None = None, cities: gpd.GeoDataFrame | None = None,
              selected_county: str | None = None, cluster: str = "fast", fit: str = "shanxi",
              asset_base_url: str | None = "/app/static/vendor", height: int = 620,
              max_markers: int | None = MAX_MARKERS, level: str = "county",
              city_popups: pd.Series | None = None, parts: MapParts | None = None,
              marker_texts: pd.DataFrame | None = None, metrics: pd.DataFrame | None = None) -> folium.Map:
    """The whole map for a (filtered) records frame.

    counties/cities default to the simplified boundaries from geo.places.spatial. `cluster` is "fast"
    (FastMarkerCluster, markers built in the browser) or "classic" (MarkerCluster, one Python
    element per marker; slow above a few thousand, kept for comparison). `fit` is "shanxi"
    or "flows" (zoom out so the origin regions of the flows are in view). `asset_base_url`
    points Leaflet/plugin assets at local copies via geo.web.offline (None leaves CDN URLs, for
    standalone files only). Above `max_markers` project markers (None: no limit) the markers
    are aggregated into grid cells (`add_cells`). `level` "city" colours the 11 cities by every
    record located in each (query.city_totals); the counties stay on top as clickable outlines.
    `city_popups`: city_record_popups computed beforehand (once per store state), or None.
    `marker_texts`: markers.marker_texts of the records' store state, computed beforehand, or None.
    `parts`: the totals, flows and cells computed elsewhere (geo.web.view.SqlStoreView.map_input).
    `metrics`: query.county_metrics of `records` computed beforehand (the app shares it with its county
    panel), or None.
    """
    if metric not in query.METRICS:
        raise GeoError(f"unknown metric {metric!r}; expected one of {', '.join(query.METRICS)}")
    if basemap not in BASEMAPS:
        raise GeoError(f"unknown basemap {basemap!r}; expected one of {', '.join(BASEMAPS)}")
    if counties is None or cities is None:
        from geo.places import spatial  # boundary files are only needed when the caller gives none

        counties = spatial.load_counties(simplified=True) if counties is None else counties
        cities = spatial.load_cities(simplified=True) if cities is None else cities
    records = query.visible(records)  # records an analyst marked wrong are never drawn
    shift = basemap == "amap"
    m = base_map(basemap, height=height)
    if level not in query.LEVELS:
        raise GeoError(f"unknown level {level!r}; expected one of {', '.join(query.LEVELS)}")
    once = query.count_once(records) if parts is None else None  # totals and flows count each project once
    if parts is not None:
        metrics = parts.metrics
    elif metrics is None:
        metrics = query.county_metrics(once, counties)
    if level == "city":
        add_city_choropleth(m, cities, query.city_totals(once, cities) if parts is None else parts.city_totals,
                            metric, shift)
    add_choropleth(m, counties, metrics, metric, selected_county, shift, outline_only=level == "city")
    add_city_outlines(m, cities, shift)
    add_city_records(m, records, shift, city_popups, None if parts is None else parts.city_counts)
    if parts is not None and parts.cells is not None:
        draw_cells(m, parts.cells, parts.cell_chains, max_markers)
    elif draws_cells(records, max_markers):
        add_cells(m, records, shift, max_markers)
    else:
        add_markers(m, records, shift, cluster, marker_texts)
    add_origin_regions(m, shift)
    flow_bounds = add_flows(m, once, shift, flows=None if parts is None else parts.flows)
    # Collapsed to an icon: open, the list covered the flow legend on a 390 px screen.
    folium.LayerControl(collapsed=True).add_to(m)
    if fit == "flows" and flow_bounds:
        m.fit_bounds(_union_bounds(SHANXI_BOUNDS, flow_bounds))
    else:
        m.fit_bounds(SHANXI_BOUNDS)
    from geo.web import offline

    offline.light_frame(m, LIGHT_ELEMENTS)  # no jQuery, Bootstrap JS or icon fonts in the map's frame
    if asset_base_url is not None:
        offline.localize(m, asset_base_url)
    return m


def draws_cells(records: pd.DataFrame, max_markers: int | None = MAX_MARKERS) -> bool:
    """True when build_map draws `records`' project markers as grid cells (more than `max_markers`)."""
    return max_markers is not None and int(markers.display_mask(records).sum()) > max_markers


def base_map(basemap: str, height: int = 620) -> folium.Map:
    """An empty map with the chosen basemap ("none" draws on a light background, works offline)."""
    m = folium.Map(location=CENTER, zoom_start=7, tiles=None, control_scale=False, height=height)
    markers.MetricScale().add_to(m)  # km only (folium's scale adds miles); legends folded on phones
    # With tiles=None folium drops max_zoom/min_zoom, and MarkerCluster then throws "Map has no
    # maxZoom specified", which stops the whole map script: put them on the map itself.
    m.options.update(max_zoom=18, min_zoom=3, zoom_snap=0.25)  # fractional zoom: Shanxi fills the frame
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", max_zoom=18).add_to(m)
    elif basemap == "amap":
        folium.TileLayer(AMAP_TILES, attr="高德地图 © AutoNavi (GCJ-02)", name="高德 Amap",
                         subdomains="1234", max_zoom=18).add_to(m)
    m.get_root().header.add_child(markers.RawText(_STYLE))
    m.get_root().html.add_child(markers.RawText(_HATCH_DEFS))
    return m


def _geometry_json(geometries, shift: bool) -> list[str]:
    """GeoJSON text of each geometry, shifted to GCJ-02 for the Amap basemap (that shift cached).

    The text of a GeoSeries' geometry array (the app's counties and cities: the same array all along)
    is written once per process: it was ~3 ms of every new filter state's map.
    """
    if not isinstance(geometries, gpd.GeoSeries):
        text = layers.geometry_json(geometries)
    else:
        array = geometries.values
        held = _GEOMETRY_TEXT.get(id(array))
        if held is None or held[0] is not array:
            if len(_GEOMETRY_TEXT) >= 8:  # other frames' arrays (tests): start over
                _GEOMETRY_TEXT.clear()
            held = _GEOMETRY_TEXT[id(array)] = (array, tuple(layers.geometry_json(array)))
        text = held[1]
    return list(_shifted_json(tuple(text))) if shift else list(text)


# id(geometry array) -> (that array, its GeoJSON texts): holding the array keeps its id from being reused
_GEOMETRY_TEXT: dict[int, tuple] = {}


@functools.lru_cache(maxsize=8)
def _shifted_json(text: tuple[str, ...]) -> tuple[str, ...]:
    shapes = shapely.from_geojson(np.asarray(text, dtype=object))
    return tuple(layers.geometry_json(coords.geometry_wgs84_to_gcj02(shapes)))


def _display_xy(lon, lat, shift: bool):
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if not shift:
        return lon, lat
    return coords.wgs84_to_gcj02(lon, lat)


# --- choropleth --------------------------------------------------------------------------


def _area_values(areas: gpd.GeoDataFrame, table: pd.DataFrame, metric: str) -> tuple[list, list, list]:
    """(adcodes, has_data, metric values) of `table` (county_metrics / city_totals) in `areas`' order."""
    codes = areas["adcode"].astype(str).tolist()
    rows = table.set_index(table["adcode"].astype(str)).reindex(codes)
    return codes, rows["has_data"].fillna(False).astype(bool).tolist(), rows[metric].astype(float).tolist()


def _fill(has_data: bool, value: float, classes: Classes) -> str:
    return "url(#geo-hatch)" if not has_data else ZERO_COLOR if value == 0 else classes.color_of(value)


def add_city_choropleth(m: folium.Map, cities: gpd.GeoDataFrame, totals: pd.DataFrame, metric: str,
                        shift: bool = False) -> Classes:
    """City polygons coloured by `metric` of query.city_totals (under the counties; not clickable)."""
    classes = classify(totals.loc[totals["has_data"], metric])
    codes, has_data, values = _area_values(cities, totals, metric)
    props = []
    for code, name, data, value in zip(codes, cities["name"], has_data, values):
        fill = _fill(data, value, classes)
        props.append({"layer": "city_area", "adcode": code, "name": name, "fill": fill,
                      "value": value if data else None, "className": f"geo-city-area geo-city-area-{code}",
                      "style": {"fillColor": fill, "fillOpacity": 0.75, "color": "#555", "weight": 1}})
    layer = folium.FeatureGroup(name=LAYER_NAMES["city_choropleth"], show=True)
    FeatureLayer(feature_collection(_geometry_json(cities.geometry, shift), props), name="city areas",
                 interactive=False).add_to(layer)
    layer.add_to(m)
    m.get_root().html.add_child(markers.RawText(choropleth_legend(classes, metric, level="city")))
    return classes


def add_choropleth(m: folium.Map, counties: gpd.GeoDataFrame, metrics: pd.DataFrame, metric: str,
                   selected_county: str | None = None, shift: bool = False,
                   outline_only: bool = False) -> Classes:
    """County polygons coloured by `metric`, with tooltip, legend and the adcode in each feature.

    `outline_only`: transparent counties over the city choropleth (still hoverable and clickable).
    """
    zh, en, unit = query.METRICS[metric]
    classes = classify(metrics.loc[metrics["has_data"], metric])
    codes, has_data, values = _area_values(counties, metrics, metric)
    counts = metrics.set_index(metrics["adcode"].astype(str))["record_count"].reindex(codes).fillna(0)
    props = []
    for code, name, city, data, value, count in zip(codes, counties["name"], counties["city"], has_data, values,
                                                    counts.astype(int).tolist()):
        text = ("无数据 no data" if not data else f"0 {unit}" if value == 0 else _fmt_metric(value, unit))
        p = {"layer": "county", "adcode": code, "name": name, "city": city, "value": value if data else None,
             "label": text, "records": count, "fill": _fill(data, value, classes), "outline": outline_only,
             "selected": code == selected_county,
             # A class per county (set before the SVG path exists) lets tests and CSS find a county.
             "className": f"geo-county geo-county-{code}"}
        p["style"] = _county_style({"properties": p})
        props.append(p)
    layer = folium.FeatureGroup(name=LAYER_NAMES["choropleth"], show=True)
    FeatureLayer(feature_collection(_geometry_json(counties.geometry, shift), props), name="counties",
                 tooltip=[("县区 County", "name"), ("地市 City", "city"), (f"{zh} {en}", "label"),
                          ("记录 Records", "records")],
                 highlight={"weight": 2.5, "color": "#222"}).add_to(layer)
    layer.add_to(m)
    if not outline_only:
        m.get_root().html.add_child(markers.RawText(choropleth_legend(classes, metric)))
    return classes


def _county_style(feature: dict) -> dict:
    p = feature["properties"]
    style = {"fillColor": p["fill"], "fillOpacity": 0.75, "color": "#777", "weight": 0.6}
    if p.get("outline"):
        style.update({"fillOpacity": 0.0, "color": "#999", "weight": 0.4})
    elif p["value"] is None:
        style.update({"fillOpacity": 0.6, "dashArray": "3 3"})
    if p["selected"]:
        style.update({"color": "#0050b3", "weight": 3.5, "dashArray": None})
    return style


def _fmt_metric(value: float, unit: str) -> str:
    return f"{value:,.2f} {unit}" if unit == "亿元" else f"{value:,.0f} {unit}"


def choropleth_legend(classes: Classes, metric: str, level: str = "county") -> str:
    """Legend HTML: metric, unit, each class range, the scheme, 0 and no-data swatches."""
    zh, en, unit = query.METRICS[metric]
    rows = []
    low = 0.0
    for bound, color in zip(classes.bins, classes.colors):
        span = _fmt_metric(bound, unit) if classes.scheme.startswith("唯一") else (
            f"{_fmt_metric(low, '')}– {_fmt_metric(bound, unit)}".replace(" –", "–"))
        rows.append(_swatch(f"background:{color}", span))
        low = bound
    rows.append(_swatch(f"background:{ZERO_COLOR}", f"0 {unit}（有记录 has records）"))
    rows.append(_swatch("background:repeating-linear-gradient(45deg,#f2f2f2 0 3px,#c4c4c4 3px 5px)",
                        "无数据 no data"))
    title = f"{zh} {en}（{unit}）" + (" · 地市 by city" if level == "city" else " · 县区 by county")
    note = ("地市内全部项目（含县区级）all projects located in the city" if level == "city"
            else "仅县区级项目 county-level projects only" if metric == "investment_yi" else "")
    return (f'<details class="geo-legend geo-legend-choropleth" open><summary><b>{html.escape(title)}</b></summary>'
            f'<span class="geo-note">分级 {html.escape(classes.scheme)}</span>{"".join(rows)}'
            f'<span class="geo-note">{note}</span></details>')


def _swatch(css: str, text: str) -> str:
    return f'<div><i class="geo-swatch" style="{css}"></i>{html.escape(text)}</div>'


# --- cities ------------------------------------------------------------------------------


def add_city_outlines(m: folium.Map, cities: gpd.GeoDataFrame, shift: bool = False) -> None:
    """Prefecture-level city borders (not clickable, so clicks reach the counties below)."""
    style = {"fill": False, "color": "#333", "weight": 1.6}
    props = [{"name": name, "style": style} for name in cities["name"]]
    layer = folium.FeatureGroup(name=LAYER_NAMES["cities"], show=True)
    FeatureLayer(feature_collection(_geometry_json(cities.geometry, shift), props), name="cities",
                 interactive=False).add_to(layer)
    layer.add_to(m)


def city_level(records: pd.DataFrame) -> pd.DataFrame:
    """The records located to a city or the province only (drawn in the city squares, in no county)."""
    return records[records["precision"].isin(["city", "province"]) & records["lon"].notna()]


def city_record_popups(records: pd.DataFrame) -> pd.Series:
    """Each city- or province-level record's lines in its city square's popup, by the records' index.

    A record's lines do not depend on the filter, so the app computes them once per store state
    and passes them to build_map (`city_popups`).
    """
    level = city_level(records)
    cols, tables = markers.marker_table(level, level["lon"], level["lat"])
    return pd.Series([f"<div class='geo-item'>{markers.popup_body(cols, tables, i)}</div>" for i in range(len(level))],
                     index=level.index, dtype=object)


def add_city_records(m: folium.Map, records: pd.DataFrame, shift: bool = False,
                     popups: pd.Series | None = None, counts: dict | None = None) -> int:
    """One square marker per city (or province) holding its city/province-level records.

    These records have no county; the popup says so and lists them. `popups`: city_record_popups
    of a frame holding these records (with the same index), else they are built here. `counts`: records
    per city key when `records` holds only the first ones listed. Returns markers drawn.
    """
    level = city_level(records)
    layer = folium.FeatureGroup(name=LAYER_NAMES["city_records"], show=True)
    key = level["city_adcode"].fillna("province").astype(str).to_numpy(dtype=object)
    # one row per city (sorted by key): its first record's point and precision, its first named city, its
    # size, as a groupby's first() and size() give them, with numpy (the groupby was ~10 ms a state)
    code, city_keys = pd.factorize(key, sort=True)
    sizes = np.bincount(code, minlength=len(city_keys))
    lon, lat = _display_xy(_first_valid(level["lon"], code, len(city_keys)),
                           _first_valid(level["lat"], code, len(city_keys)), shift)
    precision = _first_valid(level["precision"], code, len(city_keys))
    where = _first_valid(level["city"], code, len(city_keys))
    # popup lines for the first 30 records of each city: given (computed once per store state) or built here
    order = np.argsort(code, kind="stable")
    rank = np.empty(len(code), dtype=np.int64)
    rank[order] = np.arange(len(code)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    keep = rank < 30
    shown = level[keep]
    given = popups.reindex(shown.index) if popups is not None and popups.index.is_unique else None
    shown_lines = given if given is not None and given.notna().all() else city_record_popups(shown)
    lines: dict[str, list[str]] = {}
    for city, line in zip(key[keep], shown_lines.to_numpy()):
        lines.setdefault(city, []).append(line)
    rows = []
    for i, city in enumerate(city_keys):
        name = where[i] if isinstance(where[i], str) else "山西省"
        head = (f"<b>{markers.esc(name)}</b> — {PRECISION_LABELS[precision[i]]}"
                f"<br><i>这些记录只定位到地市/全省，不计入任何县区 · located to the city/province only, "
                f"not counted in any county</i><hr>")
        n = int(sizes[i]) if counts is None else int(counts[city])
        more = f"<div>… +{n - 30}</div>" if n > 30 else ""
        rows.append({"lat": float(lat[i]), "lon": float(lon[i]), "n": n,
                     "tooltip": f"{markers.esc(name)} 地市级记录 city-level: {n}",
                     "popup": f"<div class='geo-popup'>{head}{''.join(lines[city])}{more}</div>"})
    if rows:
        markers.CityMarkers(rows).add_to(layer)
    layer.add_to(m)
    return len(city_keys)


def _first_valid(column: pd.Series, code: np.ndarray, groups: int) -> np.ndarray:
    """Per group code 0..groups-1: the column's first non-missing value in row order (None if none),
    as pandas' groupby first() picks it."""
    values = column.to_numpy(dtype=object)
    valid = np.flatnonzero(pd.notna(values))
    out = np.full(groups, None, dtype=object)
    present, at = np.unique(code[valid], return_index=True)
    out[present] = values[valid[at]]
    return out


# --- markers -----------------------------------------------------------------------------


def marker_rows(records: pd.DataFrame, shift: bool = False,
                texts: pd.DataFrame | None = None) -> tuple[dict[str, list], dict]:
    """(columns, tables) of the project markers, see geo.web.markers (coordinates shifted for amap)."""
    pts = markers.display_points(records)
    lon, lat = _display_xy(pts["lon"], pts["lat"], shift)
    return markers.marker_table(pts, markers.as_float_array(lon), markers.as_float_array(lat), texts)


def add_markers(m: folium.Map, records: pd.DataFrame, shift: bool = False, cluster: str = "fast",
                texts: pd.DataFrame | None = None) -> int:
    """Project markers coloured by chain, radius by √amount; returns the number drawn.

    "fast": a few JSON columns, markers and popups made in the browser (geo.web.markers).
    "classic": one folium CircleMarker + Popup per record (slow; for the benchmark comparison).
    `texts`: markers.marker_texts computed beforehand (once per store state), or None.
    """
    cols, tables = marker_rows(records, shift, texts)
    layer = folium.FeatureGroup(name=LAYER_NAMES["markers"], show=True)
    if cluster == "fast":
        markers.RecordMarkers(cols, tables).add_to(layer)
    elif cluster == "classic":
        mc = MarkerCluster(options=markers.CLUSTER_OPTIONS).add_to(layer)
        for i, (lat, lon) in enumerate(zip(cols["lat"], cols["lon"])):
            folium.CircleMarker([lat, lon], radius=cols["radius"][i], color="#333", weight=0.6, fill=True,
                                fill_color=tables["chains"][cols["chain"][i]][1], fill_opacity=0.8,
                                class_name="geo-marker",
                                popup=folium.Popup(markers.popup_html(cols, tables, i), max_width=380)).add_to(mc)
    else:
        raise GeoError(f"unknown cluster mode {cluster!r}; expected 'fast' or 'classic'")
    layer.add_to(m)
    m.get_root().html.add_child(markers.RawText(chain_legend(markers.display_points(records, ["chain"])["chain"])))
    return len(cols["lat"])


def add_cells(m: folium.Map, records: pd.DataFrame, shift: bool = False, limit: int = MAX_MARKERS,
              cell_deg: float = CELL_DEG) -> int:
    """Project markers aggregated on a grid (count, investment, main chain per cell); returns cells drawn."""
    pts = markers.display_points(records, ["lon", "lat", "chain", "kind", "amount_kind", "currency", "amount_yi"])
    lon, lat = _display_xy(pts["lon"], pts["lat"], shift)
    invest = pts["amount_yi"].where(query.investment_mask(pts), 0.0).fillna(0.0).to_numpy(dtype=float)
    rows = markers.cell_rows(pts, markers.as_float_array(lon), markers.as_float_array(lat), cell_deg, invest)
    return draw_cells(m, rows, pts["chain"].astype("object").fillna(query.MISSING).value_counts(), limit)


def draw_cells(m: folium.Map, rows: list[dict], chains: pd.Series, limit: int) -> int:
    """The grid cells `rows` (markers.cell_rows) and the chain legend (`chains`: markers per chain)."""
    layer = folium.FeatureGroup(name=LAYER_NAMES["markers"], show=True)
    markers.CellMarkers(rows).add_to(layer)
    layer.add_to(m)
    total = int(chains.sum())
    note = (f"{total:,} 个项目点聚合为 {len(rows):,} 个网格 markers shown as {len(rows):,} grid cells "
            f"(> {limit:,}); 筛选以显示单个项目 filter to see single projects")
    m.get_root().html.add_child(markers.RawText(chain_legend(chains, note=note, counted=True)))
    return len(rows)


def chain_legend(chains: pd.Series, limit: int = 12, note: str = "", counted: bool = False) -> str:
    """Legend of chain colours for the chains present (most frequent first); `counted`: chains is chain → count."""
    counts = chains if counted else chains.astype("object").fillna(query.MISSING).value_counts()
    rows = [_swatch(f"background:{chain_color(None if c == query.MISSING else c)};border-radius:50%",
                    f"{label({}, c)} ({n})") for c, n in list(counts.items())[:limit]]
    more = f"<div>… +{len(counts) - limit}</div>" if len(counts) > limit else ""
    size = (f'<span class="geo-note">{html.escape(note)}</span>' if note
            else '<span class="geo-note">圆大小 ∝ √金额 size ∝ √amount</span>')
    return (f'<details class="geo-legend geo-legend-chains" open><summary><b>产业链 Industry chain</b></summary>'
            f'{size}{"".join(rows)}{more}</details>')


# --- flows -------------------------------------------------------------------------------


def flow_table(records: pd.DataFrame) -> pd.DataFrame:
    """Flows from origin point to record point for the three origin regions, merged and ranked.

    The origin is the origin_place point when geo.places.regions knows it, else the region's anchor.
    Records going to the same point from the same origin are one flow (amounts summed, CNY
    investment only; others counted). Batches and city/province-level records are flagged
    `coarse` (drawn dashed).
    """
    from geo.places import regions  # only needed when flows are drawn

    records = query.count_once(records)  # one flow per project, however often it was reported
    sel = records.loc[records["origin_region"].isin(list(regions.REGIONS)) & records["lon"].notna(),
                      ["origin_region", "origin_place", "lon", "lat", "kind", "precision", "amount_kind",
                       "currency", "amount_yi", *[c for c in ("place_text", "city") if c in records]]]
    return flows_from_groups(pd.DataFrame({
        "region": _objects(sel["origin_region"]), "origin_place": _objects(sel["origin_place"]),
        "lon": sel["lon"].round(4).to_numpy(), "lat": sel["lat"].round(4).to_numpy(),
        "coarse": ((sel["kind"] == "batch") | sel["precision"].isin(["city", "province"])).to_numpy(),
        "records": 1,
        "place": _objects(_place_names(sel)),
        # same rule as the county totals: only CNY project investment is summed
        "amount_yi": sel["amount_yi"].where(query.investment_mask(sel), 0.0).fillna(0.0).to_numpy(),
    }))


def flows_from_groups(groups: pd.DataFrame) -> pd.DataFrame:
    """flow_table from rows in record order: one per record, or groups of records made in SQL.

    Columns of `groups`: region, origin_place, lon, lat, coarse, records (1 per record, else the group's
    count), amount_yi and place (of the row's first record).
    """
    from geo.places import regions

    if groups.empty:
        return pd.DataFrame(columns=["region", "origin", "o_lon", "o_lat", "lon", "lat", "coarse",
                                     "records", "amount_yi", "place"])
    # Resolve each distinct (region, place) once: 10k records share a few dozen origins.
    region_code, region_names = pd.factorize(groups["region"].astype("object"))
    place_code, place_names = pd.factorize(groups["origin_place"].astype("object"), use_na_sentinel=False)
    pair, pair_code = np.unique(region_code * (len(place_names) + 1) + place_code, return_inverse=True)
    origins = []  # (region, name, o_lon, o_lat) per distinct (region, place)
    for code in pair:
        region, place = region_names[code // (len(place_names) + 1)], place_names[code % (len(place_names) + 1)]
        origin = regions.lookup_origin(place) if isinstance(place, str) else None
        o_lon, o_lat = (origin.lon, origin.lat) if origin else regions.region_anchor(region)
        name = origin.name if origin else label(ORIGIN_LABELS, region)
        origins.append((region, name, round(o_lon, 4), round(o_lat, 4)))
    # Group rows by (origin, destination point, coarse) with numpy: origins ranked as sorted tuples, so
    # the groups come out in the order a groupby on the seven columns gives (it was 3/4 of the time).
    ranked = sorted(set(origins))
    rank = np.array([ranked.index(o) for o in origins], dtype=np.int64)[pair_code]
    lon, lat = groups["lon"].to_numpy(dtype=float), groups["lat"].to_numpy(dtype=float)
    coarse = groups["coarse"].to_numpy(dtype=bool)
    amount = groups["amount_yi"].to_numpy(dtype=float)
    weight = groups["records"].to_numpy(dtype=np.int64)
    order = np.lexsort((coarse, lat, lon, rank))  # stable: each group's first row is its earliest record
    keys = np.column_stack([rank, lon, lat, coarse])[order]
    starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]).any(axis=1)])
    first = order[starts]
    group_origins = [ranked[r] for r in rank[first]]
    flows = pd.DataFrame({
        "region": _objects([o[0] for o in group_origins]), "origin": _objects([o[1] for o in group_origins]),
        "o_lon": [o[2] for o in group_origins], "o_lat": [o[3] for o in group_origins],
        "lon": lon[first], "lat": lat[first], "coarse": coarse[first],
        "records": np.add.reduceat(weight[order], starts),
        "amount_yi": np.add.reduceat(amount[order], starts),
        "place": _objects(groups["place"].to_numpy()[first]),
    })
    return flows.sort_values(["amount_yi", "records"], ascending=False, kind="stable").reset_index(drop=True)


def _objects(values) -> pd.Series:
    """`values` as a Series of Python objects: an internal table's text columns, which pandas would
    otherwise convert to Arrow strings and back (a fifth of flow_table at 10k)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _place_names(sel: pd.DataFrame) -> np.ndarray:
    """The destination's name per row: its place text, else its city, else ""."""
    names = pd.Series("", index=sel.index, dtype=object)
    for column in ("city", "place_text"):  # the later column wins where it has a value
        if column in sel:
            names = sel[column].astype("object").where(sel[column].notna(), names)
    return names.to_numpy()


@functools.cache
def _origin_region_outlines(shift: bool) -> str:
    """FeatureCollection text of the origin provinces, simplified for display (about 30 KB), styled."""
    from geo.places import spatial  # boundary files are only needed when regions are drawn

    regions = spatial.load_source_regions()
    provinces = regions[regions["level"] == "province"]
    outlines = shapely.set_precision(provinces.geometry.simplify(REGION_OUTLINE_TOLERANCE), 0.01).values
    props = []
    for name, region in zip(provinces["name"], provinces["region"]):
        color = REGION_COLORS[region]
        label_ = f"{name} · {ORIGIN_LABELS[region]}"
        props.append({"name": name, "region": region, "label": label_,
                      "style": {"color": color, "weight": 1, "fillColor": color, "fillOpacity": 0.08, "opacity": 0.6}})
    return feature_collection(_geometry_json(outlines, shift), props)


def add_origin_regions(m: folium.Map, shift: bool = False) -> None:
    """Faint outlines of the provinces of the three origin regions, so flows have a visible start."""
    layer = folium.FeatureGroup(name=LAYER_NAMES["regions"], show=True)
    FeatureLayer(_origin_region_outlines(shift), name="origin regions", tooltip=[(None, "label")]).add_to(layer)
    layer.add_to(m)


FLOW_REFERENCES = (10, 100)  # 亿元: the line widths shown in the flow legend
ARC_BEND = 0.22  # the arc's control point sits this fraction of the chord length off the chord
ARC_POINTS = 16  # points along each arc (more only add payload: 300 arcs are drawn)


def flow_weight(amount_yi: float) -> float:
    """Line width in px of a flow of `amount_yi` 亿元 (∝ √amount; 1.2 px without an amount)."""
    if not amount_yi or amount_yi <= 0:
        return 1.2
    return round(1.2 + 0.9 * math.sqrt(amount_yi), 1)


def arc(start, end, bend: float = ARC_BEND, points: int = ARC_POINTS) -> list:
    """A curved path from `start` to `end` ((lon, lat)): a quadratic Bézier bowed to the left (see `arcs`)."""
    return arcs(np.array([start[0]]), np.array([start[1]]), np.array([end[0]]), np.array([end[1]]),
                bend, points)[0].tolist()


def arcs(x0, y0, x1, y1, bend: float = ARC_BEND, points: int = ARC_POINTS) -> np.ndarray:
    """Curved paths (n, points + 1, 2) from (x0, y0) to (x1, y1) (lon, lat arrays), rounded to 4 decimals.

    Each is a quadratic Bézier bowed to the left. Distances are scaled by cos(latitude) so the bow
    looks the same on the Mercator map; parallel flows from one origin then fan out instead of
    lying on top of each other.
    """
    x0, y0, x1, y1 = (np.asarray(v, dtype=float)[:, None] for v in (x0, y0, x1, y1))
    k = np.cos(np.radians((y0 + y1) / 2))
    k[k == 0] = 1.0
    dx, dy = (x1 - x0) * k, y1 - y0
    cx, cy = (x0 + x1) / 2 - dy * bend / k, (y0 + y1) / 2 + dx * bend
    t = np.arange(points + 1) / points
    a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t ** 2
    return np.round(np.stack([a * x0 + b * cx + c * x1, a * y0 + b * cy + c * y1], axis=-1), 4)


def add_flows(m: folium.Map, records: pd.DataFrame | None, shift: bool = False,
              max_flows: int = MAX_FLOWS, flows: pd.DataFrame | None = None) -> list | None:
    """Curved arcs origin → site with an arrowhead; width ∝ √amount, colour by region, dashed if coarse.

    The tooltip gives origin, destination, record count and total. Returns the [[s, w], [n, e]]
    bounds of the flows (None when there are none).
    """
    flows = flow_table(records) if flows is None else flows
    shown = flows.head(max_flows)
    layer = folium.FeatureGroup(name=LAYER_NAMES["flows"], show=True)
    features = []
    o_lon, o_lat = _display_xy(shown["o_lon"], shown["o_lat"], shift)
    d_lon, d_lat = _display_xy(shown["lon"], shown["lat"], shift)
    paths = arcs(o_lon, o_lat, d_lon, d_lat).tolist()
    for i, f in enumerate(shown.itertuples()):
        end = (float(d_lon[i]), float(d_lat[i]))
        path = paths[i]
        color, weight, dash = REGION_COLORS.get(f.region, "#666"), flow_weight(f.amount_yi), "6 5" if f.coarse else None
        text = (f"{html.escape(f.origin)} → {html.escape(f.place or '')}<br>"
                f"{f.records} 条记录 records · 合计 total {f.amount_yi:,.2f} 亿元")
        props = {"layer": "flow", "region": f.region, "color": color, "weight": weight, "dash": dash,
                 "label": text, "className": "geo-flow"}
        style = {"color": color, "weight": weight, "fillColor": color, "fillOpacity": 0.9, "opacity": 0.7}
        features.append({"type": "Feature", "properties": {**props, "style": {**style, "dashArray": dash}},
                         "geometry": {"type": "LineString", "coordinates": path}})
        features.append({"type": "Feature", "properties": {**props, "dash": None, "style": {**style, "dashArray": None}},
                         "geometry": {"type": "Polygon", "coordinates": [_arrowhead(tuple(path[-3]), end)]}})
    if features:
        FeatureLayer(js_json({"type": "FeatureCollection", "features": features}), name="flows",
                     tooltip=[(None, "label")]).add_to(layer)
    layer.add_to(m)
    m.get_root().html.add_child(markers.RawText(flow_legend(len(flows), len(shown), list(shown["region"]))))
    if shown.empty:
        return None
    lats = np.concatenate([o_lat, d_lat])
    lons = np.concatenate([o_lon, d_lon])
    return [[float(lats.min()), float(lons.min())], [float(lats.max()), float(lons.max())]]


def _arrowhead(start, end, size_deg: float = 0.12) -> list:
    """A small triangle pointing at `end`, placed just before it (scaled for latitude)."""
    (x0, y0), (x1, y1) = start, end
    k = math.cos(math.radians((y0 + y1) / 2))
    dx, dy = (x1 - x0) * k, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    tip = (x1 - ux * 0.02 / k, y1 - uy * 0.02)
    back = (tip[0] - ux * size_deg / k, tip[1] - uy * size_deg)
    half = size_deg * 0.45
    left = (back[0] - uy * half / k, back[1] + ux * half)
    right = (back[0] + uy * half / k, back[1] - ux * half)
    return [list(tip), list(left), list(right), list(tip)]


def flow_legend(total: int, shown: int, regions_drawn: list | None = None) -> str:
    """Legend of the flows drawn: their regions' colours, reference widths (10 / 100 亿元), line styles.

    Only regions with a drawn flow are listed; with no flow the legend says so.
    """
    present = set(regions_drawn or [])
    rows = [_swatch(f"background:{REGION_COLORS[key]};height:4px", ORIGIN_LABELS[key])
            for key in ("guangdong", "jingjinji", "yangtze_delta") if key in present]
    if not rows:
        return ('<details class="geo-legend geo-legend-flows"><summary><b>投资来源 Origin → 山西 Shanxi</b>'
                '</summary><span class="geo-note">无来源流向 no flows in this selection</span></details>')
    widths = "".join(f'<div class="geo-width"><i style="height:{flow_weight(v)}px"></i>{v} 亿元</div>'
                     for v in FLOW_REFERENCES)
    rows.append(_swatch("background:repeating-linear-gradient(90deg,#555 0 6px,transparent 6px 10px);"
                        "height:3px", "虚线 dashed: 批量或地市级 batch / city-level"))
    note = f"显示 shown {shown} / {total}" if total > shown else f"{total} 条 flows"
    return (f'<details class="geo-legend geo-legend-flows" open><summary><b>投资来源 Origin → 山西 Shanxi</b>'
            f'</summary>{"".join(rows)}<span class="geo-note">线宽 width ∝ √投资额 investment</span>{widths}'
            f'<span class="geo-note">{note}</span></details>')


def _union_bounds(a: list, b: list) -> list:
    return [[min(a[0][0], b[0][0]), min(a[0][1], b[0][1])], [max(a[1][0], b[1][0]), max(a[1][1], b[1][1])]]


def payload(m: folium.Map) -> str:
    """The rendered HTML of the map (what the browser downloads), for size checks."""
    return m.get_root().render()


_HATCH_DEFS = """<svg width="0" height="0" style="position:absolute"><defs>
<pattern id="geo-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c4c4c4" stroke-width="1.5"/>
</pattern></defs></svg>"""

_STYLE = """<style>
.leaflet-container { background: #f5f7f9; }
.geo-legend { position: absolute; z-index: 1000; background: rgba(255,255,255,0.92); padding: 6px 8px;
  font: 12px/1.35 "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 230px; }
.geo-legend summary { cursor: pointer; }
/* the layer control (top right) above the legends: opened on a phone it reaches under the flows legend */
.leaflet-top.leaflet-right { z-index: 1001; }
.geo-popup-open .geo-legend { z-index: 300; }
/* an open popup (map pane, z 400) above the zoom, scale and layer controls (z 1000), which covered its corner */
.geo-popup-open .leaflet-top, .geo-popup-open .leaflet-bottom { z-index: 300; }
.geo-legend-choropleth { left: 10px; bottom: 36px; }
.geo-legend-chains { right: 10px; bottom: 28px; }
.geo-legend-flows { left: 10px; top: 90px; }
.geo-swatch { display: inline-block; width: 14px; height: 12px; margin-right: 5px; vertical-align: middle;
  border: 1px solid #999; }
.geo-width { display: flex; align-items: center; gap: 6px; }
.geo-width i { display: inline-block; width: 28px; background: #666; border-radius: 2px; }
.geo-note { display: block; color: #555; font-size: 11px; }
.geo-popup { font: 12px/1.4 "WenQuanYi Micro Hei", sans-serif; max-height: 320px; overflow-y: auto; }
.geo-item { border-bottom: 1px solid #ddd; padding: 3px 0; }
.geo-sentence { display: block; color: #333; background: #f6f6f6; padding: 3px; }
.foliumtooltip table { margin: auto; }
.foliumtooltip tr { text-align: left; }
.foliumtooltip th { padding: 2px; padding-right: 8px; }
.geo-city-marker { width: 24px; height: 24px; background: #fff; border: 2px solid #7b3294; color: #7b3294;
  font: bold 11px/20px sans-serif; text-align: center; border-radius: 3px; }
</style>"""
