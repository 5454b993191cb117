"""Project markers for the folium map: compact rows, popups built on open, everything escaped.

10,000 records must re-render in a few hundred ms, so each marker is one entry in a few JSON columns of
pre-escaped strings plus small lookup tables (chain colours, labels, article titles); the
popup HTML is assembled in the browser only when a marker is opened. Every article-derived
string is html.escape()d in Python, and braces become entities because folium re-parses each
rendered script as a Jinja template (a sentence with "{{" would otherwise be evaluated).
"""
from __future__ import annotations

import json
import math
import types

import numpy as np
import pandas as pd
import branca.element
from branca.element import Element, MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

from geo.web.labels import (AMOUNT_KIND_LABELS, KIND_LABELS, ORIGIN_LABELS, PRECISION_LABELS, SOURCE_LABELS, STAGE_LABELS,
                        chain_color, format_amount, http_url, label)
from geo.models import is_missing

CLUSTER_OPTIONS = {"maxClusterRadius": 40, "disableClusteringAtZoom": 11}
# Columns of marker_table(), read by popup_html() and the JS popup builder below.
ROW_FIELDS = ("lat", "lon", "chain", "radius", "name", "company", "amount", "amount_kind", "batch",
              "stage", "date", "origin", "place", "precision", "sentence", "article", "source", "kind", "url")


# html.escape(quote=True) plus braces, as one str.translate table (fast for 10k markers).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                          "{": "&#123;", "}": "&#125;"})
_PLACEHOLDER = "__GEO_RAW_JSON__"


def esc(value) -> str:
    """HTML-escape an article-derived value ("" for None/NaN); braces too, see module docstring."""
    if is_missing(value):
        return ""
    return str(value).translate(_ESCAPES)


def js_json(obj) -> str:
    """JSON safe to embed in a <script>: no "<", ">", "&" or JS line separators in the text."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, code)
    return text


def batch_label(kind, count) -> str:
    """"批量 batch of 12 projects" for a batch ("?" when the count is unknown), "" otherwise."""
    if kind != "batch":
        return ""
    return f"批量 batch of {'?' if is_missing(count) else int(count)} projects"


def radius(amount) -> float:
    """Marker radius in px: grows with √amount (亿), 4 px without an amount, at most 22 px."""
    if amount is None or pd.isna(amount) or amount <= 0:
        return 4.0
    return round(min(4 + 2.2 * math.sqrt(amount), 22), 1)


def _codes(values: pd.Series, vocabulary: dict) -> tuple[list[int], list[str]]:
    codes, uniques = pd.factorize(values.astype("object"), use_na_sentinel=False)
    return codes.tolist(), [esc(label(vocabulary, u)) for u in uniques]


def marker_table(points: pd.DataFrame, lon, lat, texts: pd.DataFrame | None = None) -> tuple[dict[str, list], dict]:
    """(columns, tables) for records located below city level; lon/lat as displayed.

    Columnar (one list per ROW_FIELDS name) because 10k small row lists cost more to build
    and to serialise than 16 long lists. `texts`: marker_texts of a frame holding these records
    (same index), computed once per store state; else they are made here.
    """
    chain_codes, chains = pd.factorize(points["chain"].astype("object"), use_na_sentinel=False)
    ak_codes, ak = _codes(points["amount_kind"], AMOUNT_KIND_LABELS)
    stage_codes, stages = _codes(points["stage"], STAGE_LABELS)
    prec_codes, precs = _codes(points["precision"], PRECISION_LABELS)
    src_codes, srcs = _codes(record_sources(points), SOURCE_LABELS)
    kind_codes, kinds = _codes(points["kind"], KIND_LABELS)
    url_codes, urls = pd.factorize(_column(points, "url"), use_na_sentinel=False)
    art_codes, titles = pd.factorize(points["article_title"].astype("object"), use_na_sentinel=False)
    chain_codes, art_codes = chain_codes.tolist(), art_codes.tolist()
    tables = {
        "chains": [[esc(label({}, c)), chain_color(c)] for c in chains],
        "ak": ak, "stage": stages, "prec": precs, "art": [esc(t) for t in titles], "src": srcs,
        "kind": kinds, "url": [safe_url(u) for u in urls],
    }
    given = texts.reindex(points.index) if texts is not None and texts.index.is_unique else None
    text = given if given is not None and given["name"].notna().all() else marker_texts(points)
    lats = np.round(np.asarray(lat, dtype=float), 6).tolist()
    lons = np.round(np.asarray(lon, dtype=float), 6).tolist()
    columns = {"lat": lats, "lon": lons, "chain": chain_codes, "radius": text["radius"].tolist(),
               "name": text["name"].tolist(), "company": text["company"].tolist(), "amount": text["amount"].tolist(),
               "amount_kind": ak_codes, "batch": text["batch"].tolist(), "stage": stage_codes,
               "date": text["date"].tolist(), "origin": text["origin"].tolist(), "place": text["place"].tolist(),
               "precision": prec_codes, "sentence": text["sentence"].tolist(), "article": art_codes,
               "source": src_codes, "kind": kind_codes, "url": url_codes.tolist()}
    return columns, tables


def marker_texts(points: pd.DataFrame) -> pd.DataFrame:
    """Each record's own marker texts (escaped) and radius, by the records' index.

    They do not depend on the filter, so the app makes them once per store state (marker_table's
    `texts`); a new filter state then only looks its rows up.
    """
    raw = {c: points[c].astype("object").tolist() for c in (
        "amount_yi", "amount_max_yi", "currency", "qualifier", "kind", "project_count", "origin_region")}
    text = {c: _escaped_column(points[c]) for c in (
        "name", "company", "origin_place", "place_text", "sentence")}
    dates = [date_range(a, b) for a, b in zip(points["date"].astype("object"), _column(points, "date_end"))]
    amounts = [esc(format_amount(a, b, c, q)) for a, b, c, q in
               zip(raw["amount_yi"], raw["amount_max_yi"], raw["currency"], raw["qualifier"])]
    origins = [f"{label(ORIGIN_LABELS, r)} {p}" if isinstance(r, str) else ""
               for r, p in zip(raw["origin_region"], text["origin_place"])]
    batches = [batch_label(k, n) for k, n in zip(raw["kind"], raw["project_count"])]
    columns = {"name": text["name"], "company": text["company"], "amount": amounts, "batch": batches,
               "date": dates, "origin": origins, "place": text["place_text"], "sentence": text["sentence"]}
    frame = pd.DataFrame({name: pd.Series(values, index=points.index, dtype=object)
                          for name, values in columns.items()}, index=points.index)
    frame["radius"] = pd.Series([radius(a) for a in raw["amount_yi"]], index=points.index, dtype=object)
    return frame


def _column(points: pd.DataFrame, name: str) -> pd.Series:
    """A column as objects, or all None when the frame does not have it (older callers)."""
    if name in points:
        return points[name].astype("object")
    return pd.Series([None] * len(points), index=points.index, dtype=object)


def date_range(start, end) -> str:
    """"2023-01-01 – 2023-12-31" for a period, the one date when it has no distinct end, else "" (escaped)."""
    if is_missing(start):
        return esc(end)
    if is_missing(end) or end == start:
        return esc(start)
    return f"{esc(start)} – {esc(end)}"


def safe_url(url) -> str:
    """An article's address escaped for an href, or "" unless it is http(s) (no javascript: links)."""
    return esc(http_url(url) or "")


def record_sources(points: pd.DataFrame) -> pd.Series:
    """"machine" / "corrected" / "manual" per row (from `record_source`, else from `corrected`)."""
    flags = points["corrected"] if "corrected" in points else pd.Series(False, index=points.index)
    derived = pd.Series("machine", index=points.index, dtype=object).where(
        ~flags.astype("object").fillna(False).astype(bool), "corrected")
    if "record_source" not in points:
        return derived
    return points["record_source"].astype("object").where(points["record_source"].notna(), derived)


def _escaped_column(series: pd.Series) -> list[str]:
    """esc() of a whole column, without per-value type checks (the hot loop for 10k markers)."""
    missing = series.isna().to_numpy(dtype=bool).tolist()
    values = series.astype("object").astype(str).tolist()
    return ["" if gap else value.translate(_ESCAPES) for value, gap in zip(values, missing)]


def popup_html(columns: dict, tables: dict, i: int) -> str:
    """The popup of marker `i`, built in Python (MarkerCluster mode and tests; same as the JS)."""
    return f"<div class='geo-popup'>{popup_body(columns, tables, i)}</div>"


def popup_body(columns: dict, tables: dict, i: int) -> str:
    """The lines of record `i`'s popup (also listed in a city marker's popup)."""
    r = {name: columns[name][i] for name in ROW_FIELDS}
    parts = [f"<b>{r['name'] or '（未命名 unnamed）'}</b>", f"类型 Kind: {tables['kind'][r['kind']]}"]
    if r["company"]:
        parts.append(f"企业 Company: {r['company']}")
    if r["amount"]:
        parts.append(f"金额 Amount: {r['amount']}（{tables['ak'][r['amount_kind']]}）")
    if r["batch"]:
        parts.append(r["batch"])
    parts.append(f"产业链 Chain: {tables['chains'][r['chain']][0]}")
    parts.append(f"阶段 Stage: {tables['stage'][r['stage']]}")
    if r["date"]:
        parts.append(f"日期 Date: {r['date']}")
    if r["origin"]:
        parts.append(f"来源 Origin: {r['origin']}")
    parts.append(f"地点 Place: {r['place']}（{tables['prec'][r['precision']]}）")
    parts.append(f"记录来源 Record source: {tables['src'][r['source']]}")
    url = tables["url"][r["url"]]
    link = f" · <a href='{url}' target='_blank' rel='noopener noreferrer'>来源链接 source</a>" if url else ""
    return ("<br>".join(parts) + f"<q class='geo-sentence'>{r['sentence']}</q>"
            f"<span class='geo-note'>文章 Article: {tables['art'][r['article']]}{link}</span>")


# A popup no wider than the map's frame leaves (a 390 px phone: 380 px popups ran past its right edge).
POPUP_OPTIONS_JS = ("function geoPopupOptions(w) { return {maxWidth: Math.max(180, Math.min(w, window.innerWidth - 70)), "
                    "autoPanPadding: [10, 10]}; }")


class RecordMarkers(MarkerCluster):
    """A marker cluster of circle markers from compact columns; popups assembled when opened."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var t = {{ this.tables_json }};
            var d = {{ this.rows_json }};
            {{ this.popup_options_js }}
            function popup(i) {
                var h = "<div class='geo-popup'><b>" + (d.name[i] || "（未命名 unnamed）") + "</b>";
                h += "<br>类型 Kind: " + t.kind[d.kind[i]];
                if (d.company[i]) h += "<br>企业 Company: " + d.company[i];
                if (d.amount[i]) h += "<br>金额 Amount: " + d.amount[i] + "（" + t.ak[d.amount_kind[i]] + "）";
                if (d.batch[i]) h += "<br>" + d.batch[i];
                h += "<br>产业链 Chain: " + t.chains[d.chain[i]][0] + "<br>阶段 Stage: " + t.stage[d.stage[i]];
                if (d.date[i]) h += "<br>日期 Date: " + d.date[i];
                if (d.origin[i]) h += "<br>来源 Origin: " + d.origin[i];
                h += "<br>地点 Place: " + d.place[i] + "（" + t.prec[d.precision[i]] + "）";
                h += "<br>记录来源 Record source: " + t.src[d.source[i]];
                var url = t.url[d.url[i]];
                var link = url ? " · <a href='" + url + "' target='_blank' rel='noopener noreferrer'>来源链接 source</a>" : "";
                return h + "<q class='geo-sentence'>" + d.sentence[i] + "</q><span class='geo-note'>文章 Article: "
                    + t.art[d.article[i]] + link + "</span></div>";
            }
            var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
            var markers = d.lat.map(function (lat, i) {
                var m = L.circleMarker([lat, d.lon[i]], {radius: d.radius[i], color: "#333", weight: 0.6,
                    fillColor: t.chains[d.chain[i]][1], fillOpacity: 0.8, className: "geo-marker"});
                m.bindPopup(function () { return popup(i); }, geoPopupOptions(380));
                return m;
            });
            cluster.addLayers(markers);
            cluster.addTo({{ this._parent.get_name() }});
            return cluster;
        })();
        {% endmacro %}
    """)

    def __init__(self, columns: dict[str, list], tables: dict, name: str | None = None, **options):
        super().__init__(name=name, options={**CLUSTER_OPTIONS, **options})
        self._name = "RecordMarkers"
        self.popup_options_js = POPUP_OPTIONS_JS
        self.rows_json = js_json(columns)
        self.tables_json = js_json(tables)

    def render(self, **kwargs):
        """Render as MarkerCluster does, keeping the rows out of folium's re-parse (render_raw_json)."""
        render_raw_json(self, "rows_json", super().render, kwargs)


class CityMarkers(MacroElement):
    """Square count markers for city- and province-level records: one element for all of them.

    rows: dicts with lat, lon, n (records), tooltip and popup (HTML whose article text is escaped).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var rows = {{ this.rows_json }};
            {{ this.popup_options_js }}
            rows.forEach(function (r) {
                var icon = L.divIcon({html: '<div class="geo-city-marker">' + r.n + '</div>',
                                      className: 'empty', iconSize: [26, 26], iconAnchor: [13, 13]});
                L.marker([r.lat, r.lon], {icon: icon, zIndexOffset: 1000}).bindTooltip(r.tooltip)
                    .bindPopup(r.popup, geoPopupOptions(420)).addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, rows: list[dict]):
        super().__init__()
        self._name = "CityMarkers"
        self.popup_options_js = POPUP_OPTIONS_JS
        self.rows = rows
        self.rows_json = js_json(rows)

    def render(self, **kwargs):
        render_raw_json(self, "rows_json", super().render, kwargs)


class MetricScale(MacroElement):
    """Leaflet's scale bar in kilometres only, bottom left (under the choropleth legend, not behind it).

    On a map narrower than 560 px the legends (<details>) start folded to their titles, so they do
    not cover the map and each other; a tap opens one. While a popup is open the legends step
    behind the map (class geo-popup-open), else they covered the popup's text.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, position: "bottomleft"}).addTo({{ this._parent.get_name() }});
        setTimeout(function () {
            if ({{ this._parent.get_name() }}.getSize().x < 560) {
                document.querySelectorAll("details.geo-legend").forEach(function (d) { d.open = false; });
            }
        }, 0);
        {{ this._parent.get_name() }}.on("popupopen", function () { document.body.classList.add("geo-popup-open"); });
        {{ this._parent.get_name() }}.on("popupclose", function () { document.body.classList.remove("geo-popup-open"); });
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class CellMarkers(MacroElement):
    """Grid cells standing for many project markers (drawn instead of them above a size limit).

    rows: dicts with lat, lon, n (records), radius, color and tooltip (escaped HTML).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var rows = {{ this.rows_json }};
            rows.forEach(function (r) {
                L.circleMarker([r.lat, r.lon], {radius: r.radius, color: "#333", weight: 0.8,
                    fillColor: r.color, fillOpacity: 0.7, className: "geo-cell"})
                    .bindTooltip(r.tooltip).addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, rows: list[dict]):
        super().__init__()
        self._name = "CellMarkers"
        self.rows_json = js_json(rows)

    def render(self, **kwargs):
        render_raw_json(self, "rows_json", super().render, kwargs)


def cell_rows(points: pd.DataFrame, lon, lat, cell_deg: float, invest: np.ndarray) -> list[dict]:
    """Records binned on a `cell_deg` grid: one row per non-empty cell, at its records' mean point.

    Each row: lat, lon, n, radius (grows with log n), color (the cell's most frequent chain) and a
    tooltip with the count, the CNY project investment (`invest`: amount or 0 per record) and chain.
    """
    if not len(points):
        return []
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    gx, gy = np.floor(lon / cell_deg).astype(np.int64), np.floor(lat / cell_deg).astype(np.int64)
    # cells in (gx, gy) order; numpy sums instead of pandas groupbys (a third of the time)
    cell_key = (gx - gx.min()) * (int(gy.max() - gy.min()) + 1) + (gy - gy.min())
    _, cell, n = np.unique(cell_key, return_inverse=True, return_counts=True)
    chains, chain_code = np.unique(points["chain"].astype("object").fillna("").to_numpy().astype(str),
                                   return_inverse=True)
    per_chain = np.bincount(cell * len(chains) + chain_code, minlength=len(n) * len(chains)).reshape(len(n), -1)
    stats = pd.DataFrame({"lon": np.bincount(cell, lon) / n, "lat": np.bincount(cell, lat) / n, "n": n,
                          "invest": np.bincount(cell, np.asarray(invest, dtype=float), minlength=len(n)),
                          "chain": chains[per_chain.argmax(axis=1)]})  # the most frequent; ties: first by name
    return cell_dicts(stats)


def cell_dicts(stats: pd.DataFrame) -> list[dict]:
    """One marker row per cell of `stats` (columns lon, lat, n, invest, chain; "" for no chain)."""
    rows = []
    for r in stats[["lon", "lat", "n", "invest", "chain"]].itertuples(index=False):
        chain = r.chain or None
        rows.append({"lat": round(float(r.lat), 5), "lon": round(float(r.lon), 5), "n": int(r.n),
                     "radius": round(min(5 + 6 * math.log10(r.n + 1), 24), 1), "color": chain_color(chain),
                     "tooltip": f"{int(r.n)} 条记录 records · {format_amount(float(r.invest)) or '0.00 亿元'} 投资 "
                                f"investment · 主要产业链 main chain: {esc(label({}, chain))}"})
    return rows


def render_raw_json(element, attr: str, render, kwargs) -> None:
    """Render `element` with its JSON attribute kept out of folium's Jinja re-parse.

    folium wraps each rendered script in a new Jinja template; for large data that costs more than
    everything else, and article text must never be read as template syntax. The JSON is swapped in
    after that step, as plain text.
    """
    data = getattr(element, attr)
    setattr(element, attr, _PLACEHOLDER)
    try:
        render(**kwargs)
    finally:
        setattr(element, attr, data)
    scripts = element.get_root().script._children
    text = scripts[element.get_name()].render()
    scripts[element.get_name()] = RawText(text.replace(_PLACEHOLDER, data, 1))


class RawText(Element):
    """Text added to a folium page as is (folium.Element would compile it as a Jinja template)."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class _InertTemplate:
    """What jinja2.Template(source) renders for a source with no Jinja syntax: the source itself, less
    one trailing newline (Jinja's keep_trailing_newline is off). Made without Jinja's compile."""

    __slots__ = ("text",)
    module = types.SimpleNamespace()  # a template without macros exports nothing

    def __init__(self, source: str):
        source = str(source)
        self.text = source[:-1] if source.endswith("\n") else source

    def render(self, *args, **kwargs) -> str:
        return self.text


def _element_template(source: str):
    """branca's Template for an Element made from text (branca.element.Template, see below)."""
    if "{{" in source or "{%" in source or "{#" in source or "\r" in source:  # Jinja would read or rewrite it
        return _JINJA_TEMPLATE(source)
    return _InertTemplate(source)


# Rendering a map wraps every element's rendered script in a new branca Element, which compiles it as
# a Jinja template (~26 compiles, ~7 ms of every new map) only to print it back unchanged: text with no
# Jinja syntax (and no carriage return, which Jinja's lexer would turn into a newline) is kept as text.
# branca.element.Template is only called by Element(template) and Element.__setstate__.
_JINJA_TEMPLATE = branca.element.Template
branca.element.Template = _element_template


def display_points(records: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Records drawn as project markers: located at site/zone/county precision with a point.

    With `columns`, only those columns (much cheaper than copying every text column of 100k rows).
    """
    keep = display_mask(records)
    return records[keep] if columns is None else records.loc[keep, columns]


def display_mask(records: pd.DataFrame) -> np.ndarray:
    """Boolean mask of the rows `display_points` keeps."""
    return (records["precision"].isin(("site", "zone", "county")) & records["lon"].notna()
            & records["lat"].notna()).to_numpy(dtype=bool)


def as_float_array(values) -> np.ndarray:
    """1-d float array (a scalar becomes length 1)."""
    return np.atleast_1d(np.asarray(values, dtype=float))
