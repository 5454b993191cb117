"""The app's caches, shared by every session (st.cache_resource / st.cache_data).

In their own module so that their decorators run once per process: defined in app.py, every script
run would decorate them again, and each decoration reads and hashes the function's source.
A StoreView holds one state of the store (the file and the corrections log); a Selection, one filter
state (row positions in pandas, its filters for PostGIS: geo.web.view). Nothing returned here is mutated.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util
from streamlit.components.v1 import custom_component

from geo.link import lifecycle
from geo.places import spatial
from geo.store import corrections, query
from geo.store.backend import open_store
from geo.web import charts, mapview, markers, view
from geo.web.correction_form import place_choices, plain
from geo.web.labels import display_table, timeline_table

ASSET_URL = "/app/static/vendor"  # ./static is served here (server.enableStaticServing)
DEFAULT_MAP = ("investment_yi", "none", None, "shanxi")  # metric, basemap, county, fit of a new session


def current_view(db) -> view.StoreView:
    """The store at `db` (a path or a URL) as it is now, corrections applied; read once per state.

    The corrections log is read on every call, not cached: a save from another session shows on the
    next run.
    """
    log = corrections.load(db)
    key = f"{open_store(db).state_key()}|{len(log)}|{log[-1].seq if log else 0}"
    return store_view(str(db), key, log)


@st.cache_resource(show_spinner=False, max_entries=2)
def store_view(path: str, key: str, _log) -> view.StoreView:
    """The store with its corrections applied (re-read when the file or the log changes)."""
    return view.load_view(path, _log, key)  # a path or a URL (Path would fold its //)


@st.cache_resource(show_spinner=False, max_entries=32)
def selection(view_key: str, filter_key: str, show_hidden: bool, _view, _filters) -> view.Selection:
    """One filter state (summary, counts; row positions for a GeoPackage store)."""
    return view.select(_view, _filters, show_hidden)


@st.cache_resource(show_spinner=False, max_entries=16)
def map_component(view_key: str, filter_key: str, metric: str, basemap: str, county: str | None, fit: str,
                  level: str, _view, _sel) -> dict:
    """The map of one view, rendered once into streamlit-folium's component arguments.

    st_folium renders the whole folium map on every call; this does what it does once per view
    and state (shared by sessions), and show_map passes the result to the same component. A shared
    resource, not a copy per run (cache_data would unpickle ~1 MB of script every rerun): never mutated.
    """
    import streamlit_folium  # folium and its plugins: imported when the first map is drawn

    counties, cities = load_boundaries()
    records, parts = _view.map_input(_sel, mapview.COLUMNS, counties, cities, level)
    metrics = county_metrics(view_key, filter_key, _view, _sel, counties) if parts is None else None
    popups = city_popups(view_key, _view) if parts is None else None  # SQL parts hold the first rows only
    texts = marker_texts(view_key, _view) if parts is None and not mapview.draws_cells(records) else None
    m = mapview.build_map(records, metric=metric, basemap=basemap, counties=counties, cities=cities,
                          selected_county=county, fit=fit, asset_base_url=ASSET_URL, level=level,
                          city_popups=popups, parts=parts, marker_texts=texts, metrics=metrics)
    m.get_root().render()  # once: st_folium renders the map a second time, which changes nothing
    html, header = streamlit_folium._get_html(m), streamlit_folium._get_header(m)
    script = map_script(m)
    css, js = [], []
    todo = [m]
    while todo:  # every element's JS/CSS, as st_folium collects them (local copies after localize)
        elem = todo.pop(0)
        css += [href for _, href in getattr(elem, "default_css", [])]
        js += [src for _, src in getattr(elem, "default_js", [])]
        todo += list(getattr(elem, "_children", {}).values())
    out = {"script": script, "html": html, "header": header, "id": streamlit_folium.get_full_id(m),
           "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js)),
           # st_folium's component key, computed here once rather than over the whole script on every run
           "digest": streamlit_folium.generate_js_hash(script, None, False)}
    del m
    view.release_memory(collect=False)  # the map's temporary copies of the rows
    return out


class _ComponentJson:
    """The `json` of Streamlit's custom_component module: its one call, json.dumps(args), with the
    map's large arguments (its ~1 MB script) encoded once per map instead of on every run.

    A component's arguments are JSON-encoded on every script run; for the map that was ~7 ms of every
    run, cached or new. A dict of text-keyed values encodes as "{" + ", ".join(key: value) + "}" with
    json.dumps' default separators, so each large string's text is kept (by the string's identity, the
    string held with it) and the rest encoded as before: the same text.
    """

    LARGE = 100_000  # characters: the map's script and HTML header, not its options
    _held: dict[int, tuple[str, str]] = {}  # id(string) -> (string, its JSON), the latest few maps

    @classmethod
    def dumps(cls, obj, *args, **kwargs) -> str:
        if args or kwargs or type(obj) is not dict or not all(type(k) is str for k in obj):
            return json.dumps(obj, *args, **kwargs)
        return "{" + ", ".join(f"{json.dumps(k)}: {cls._value(v)}" for k, v in obj.items()) + "}"

    @classmethod
    def _value(cls, value) -> str:
        if type(value) is not str or len(value) < cls.LARGE:
            return json.dumps(value)
        held = cls._held.pop(id(value), None)
        if held is None or held[0] is not value:
            held = (value, json.dumps(value))
        cls._held[id(value)] = held  # last used last; the oldest go first
        while len(cls._held) > 12:
            try:
                del cls._held[next(iter(cls._held))]
            except (RuntimeError, KeyError, StopIteration):  # another session's run changed it meanwhile
                break
        return held[1]


custom_component.json = _ComponentJson  # its only use of json is json.dumps(args)


def folium_component():
    """streamlit_folium's component function, registered with this server.

    The component registers itself only when its module is first imported inside a script run;
    geo.web.serve imports it earlier, in its warm-up thread, so it is registered here if needed.
    """
    import streamlit_folium
    from streamlit.runtime import Runtime

    func = streamlit_folium._component_func
    if Runtime.exists():  # app.py run bare (python app.py, a spawned worker re-running __main__) has none
        registry = Runtime.instance().component_registry
        if registry.get_component(func.name) is None:
            registry.register_component(func)
    return func


def first_screen(db) -> None:
    """Compute the unfiltered view a new session opens on, as app.py asks for it (geo.web.serve)."""
    v = current_view(db)
    filters = query.Filters()
    key = query.filter_key(filters)
    sel = selection(v.key, key, False, v, filters)
    map_component(v.key, key, *DEFAULT_MAP, sel.level, v, sel)
    table_page(v.key, key, False, 1, v, sel)
    chart_spec(v.key, key, 0, v, sel)
    project_entities(str(db), v.key)


_RAW_JSON_ATTRS = ("data_json", "rows_json", "tables_json")  # the layers' data (geo.web.layers, markers)
_SLOT = re.compile(r"@@GEO_RAW_(\d+)@@")


def map_script(m) -> str:
    """streamlit_folium's script of a rendered map, with the layers' JSON data kept out of its passes.

    streamlit_folium runs regular expressions over the whole script (a Python callback for every
    `_word` in it, then dedent): ~20 ms for 1 MB of marker and GeoJSON data that they never change,
    since it holds no folium variable name and no line break. The data are swapped for short slots
    while it runs and put back after; the script is the same (tests/web/test_caches.py).
    """
    import streamlit_folium

    slots: list[tuple] = []
    todo = [m]
    while todo:
        elem = todo.pop()
        for attr in _RAW_JSON_ATTRS:
            text = getattr(elem, attr, None)
            if isinstance(text, str) and len(text) > 1000:
                slots.append((elem, attr, text))
                setattr(elem, attr, f"@@GEO_RAW_{len(slots) - 1}@@")
        todo += list(getattr(elem, "_children", {}).values())
    try:
        script = streamlit_folium._get_map_string(m)
    finally:
        for elem, attr, text in slots:
            setattr(elem, attr, text)
    if sorted(int(i) for i in _SLOT.findall(script)) != list(range(len(slots))):
        raise RuntimeError("a map layer's data slot was not written exactly once")
    return _SLOT.sub(lambda match: slots[int(match.group(1))][2], script)


@st.cache_resource(show_spinner=False, max_entries=2)
def marker_texts(view_key: str, _view) -> pd.DataFrame:
    """The marker texts of every record of a store state (they do not change with the filter)."""
    return markers.marker_texts(markers.display_points(view.rows(_view, np.arange(len(_view.visible)),
                                                                 mapview.COLUMNS)))


@st.cache_resource(show_spinner=False, max_entries=2)
def city_popups(view_key: str, _view) -> pd.Series:
    """The popup lines of every city-level record of a store state (they do not change with the filter)."""
    return mapview.city_record_popups(view.rows(_view, np.arange(len(_view.visible)), mapview.COLUMNS))


@st.cache_data(show_spinner=False, max_entries=32)
def chart_spec(view_key: str, filter_key: str, number: int, _view, _sel) -> dict:
    """Chart `number` of charts.CHARTS for one filter state as a Vega-Lite spec, its datasets as Arrow bytes.

    Only the open tab's chart is made (the app sends no other). st.vega_lite_chart converts a
    spec's datasets to Arrow on every run unless they already are bytes; here that happens once.
    """
    spec = charts.CHARTS[number](_view.chart_rows(_sel))
    spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(values)
                        for name, values in spec["datasets"].items()}
    return spec


@st.cache_data(show_spinner=False, max_entries=64)
def table_page(view_key: str, filter_key: str, show_hidden: bool, number: int, _view,
               _sel) -> tuple[pd.DataFrame | pa.Table, list[bool], list[str]]:
    """Page `number` of a filter state's rows as the table shows them, with their hidden flags and ids.

    Formatting a page costs more than the rest of a rerun with nothing changed, so it is done once.
    The table is already Arrow (see arrow_table) unless a row is hidden: the app then greys those
    rows with a pandas Styler, which needs the frame.
    """
    rows = _view.table_page(_sel, number)
    hidden = rows["hidden"].astype(bool).tolist() if "hidden" in rows else [False] * len(rows)
    table = display_table(rows)
    return table if any(hidden) else arrow_table(table), hidden, rows["id"].tolist()


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The Arrow table st.dataframe would make of `frame` on every run (the same bytes are sent).

    Made once per cached page instead: st.dataframe only serialises an Arrow table it is given.
    """
    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


@st.cache_resource(show_spinner=False, max_entries=16)
def county_metrics(view_key: str, filter_key: str, _view, _sel, _counties) -> pd.DataFrame:
    """Per-county metrics of the map's selection, computed once for the map's colours and the county
    panel (~20 ms a state). Shared, never mutated."""
    return _view.county_metrics(_sel, _counties)


@st.cache_data(show_spinner=False, max_entries=16)
def county_summary(view_key: str, filter_key: str, _view, _sel, _counties) -> pd.DataFrame:
    """Per-county metrics of the map's selection (for the clicked county's panel)."""
    return county_metrics(view_key, filter_key, _view, _sel, _counties).set_index("adcode")


@st.cache_resource(show_spinner=False, max_entries=2)
def project_entities(path: str, view_key: str) -> pd.DataFrame:
    """The store's `projects` layer (one row per project entity, written at build time)."""
    return pd.DataFrame(open_store(path).read_projects().drop(columns="geometry", errors="ignore"))


# The project section draws the same tables on every run: each is made once per store state and choice.
# Shared Arrow tables (st.dataframe only serialises them), never mutated.


@st.cache_resource(show_spinner=False, max_entries=4)
def project_funnel(path: str, view_key: str, by: str, by_label: str) -> pa.Table:
    """lifecycle.stage_funnel of the store's projects by `by`, as the app's table shows it (`by` as `by_label`)."""
    funnel = lifecycle.stage_funnel(project_entities(path, view_key), by).rename(columns=dict(lifecycle.FUNNEL))
    return arrow_table(funnel.drop(columns="city_adcode", errors="ignore").rename(columns={by: by_label}))


@st.cache_resource(show_spinner=False, max_entries=8)
def stalled_projects(path: str, view_key: str, months: int, today: str, columns: tuple) -> pa.Table:
    """lifecycle.signed_not_started on day `today` (ISO), its `columns` that the store has, as the table shows it."""
    stalled = lifecycle.signed_not_started(project_entities(path, view_key), months, dt.date.fromisoformat(today))
    return arrow_table(stalled[[c for c in columns if c in stalled]])


@st.cache_resource(show_spinner=False, max_entries=2)
def linked_projects(path: str, view_key: str) -> dict:
    """project_uid → selectbox label of the projects reported more than once, most reported first."""
    projects = project_entities(path, view_key)
    linked = projects[projects["member_count"] > 1].sort_values(["member_count", "last_date"], ascending=False)
    return dict(zip(linked["project_uid"], linked["name"].fillna("") + "（" +
                    linked["member_count"].astype(str) + " 篇报道 reports）"))


@st.cache_data(show_spinner=False, max_entries=32)
def project_timeline(view_key: str, uid: str, _view) -> tuple[pa.Table, dict | None, int]:
    """Project `uid`'s reports as the app shows them: the table (labels.timeline_table), the chart of the
    dated ones (None when there is none; datasets as Arrow bytes, see chart_spec) and the undated count."""
    reports = lifecycle.timeline(_view.project_reports(uid), uid)
    table = timeline_table(reports)
    spec = None
    if table["date"].notna().any():
        spec = charts.chart_project_timeline(table)
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(values)
                            for name, values in spec["datasets"].items()}
    return arrow_table(table), spec, lifecycle.undated(reports)


@st.cache_resource(show_spinner=False)
def load_boundaries():
    """Simplified county and city polygons (shared by every session)."""
    return spatial.load_counties(simplified=True), spatial.load_cities(simplified=True)


@st.cache_resource(show_spinner=False)
def load_place_choices() -> dict:
    """adcode → label of the 11 cities and 117 counties, for the correction forms."""
    return place_choices()



@st.cache_data(show_spinner=False, max_entries=16)
def unresolved_table(view_key: str, filter_key: str, _view, _sel) -> tuple[pa.Table, bool]:
    """The first view.PAGE_SIZE unresolved records of a filter state as the table shows them, and
    whether there are more."""
    rows = _view.unresolved_page(_sel, view.PAGE_SIZE + 1)
    return arrow_table(display_table(rows.iloc[:view.PAGE_SIZE])), len(rows) > view.PAGE_SIZE


@st.cache_data(show_spinner=False, max_entries=64)
def record_matches(view_key: str, search: str, also: str | None, _view) -> tuple[dict, dict]:
    """The correction picker's records for a search: id → record (as a dict), id → label.

    At most 50 matches, with the record `also` (the one being corrected) first if it is not among them.
    """
    matches = _view.find(search, limit=50, also=also)
    rows = {r["id"]: r for r in matches.drop(columns="geometry", errors="ignore").to_dict("records")}
    return rows, {rid: record_label(row) for rid, row in rows.items()}


@st.cache_data(show_spinner=False, max_entries=2)
def article_titles(view_key: str, _view) -> dict:
    """article_id → title (else file name) of every article, for the add-a-record form."""
    arts = _view.articles
    return dict(zip(arts["article_id"], arts["article_title"].fillna(arts["article"])))


def record_label(row) -> str:
    """Selectbox label of a record: name · place · id."""
    name = plain(row.get("name")) or "（未命名 unnamed）"
    place = plain(row.get("place_text")) or "未定位 unresolved"
    hidden = " · 已隐藏 hidden" if row.get("hidden") else ""
    return f"{name} · {place} · {row['id']}{hidden}"
