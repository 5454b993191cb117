"""Streamlit app: sidebar filters → map, county summary, table, charts, downloads.

Run `streamlit run app.py` (the store defaults to data/projects.gpkg; set GEO_DB to use another
one). Wiring only: every computation is a geo.* call, and geo errors become messages here.
The filter state is mirrored into the URL (st.query_params) so a view can be shared.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo import charts, export, mapview, pipeline, query, spatial, store
from geo.errors import GeoError, StoreError
from geo.labels import (AMOUNT_KIND_LABELS, KIND_LABELS, ORIGIN_LABELS, STAGE_LABELS, display_table,
                        format_amount, label)

ROOT = Path(__file__).resolve().parent
DB = Path(os.environ.get("GEO_DB", ROOT / "data" / "projects.gpkg"))
SEEDS = ROOT / "seeds"
ASSET_URL = "/app/static/vendor"  # ./static is served here (server.enableStaticServing)
BASEMAP_LABELS = {"none": "无底图 none (offline)", "osm": "OpenStreetMap (online)",
                  "amap": "高德 Amap (online, GCJ-02)"}
METRIC_LABELS = {k: f"{zh} {en}（{unit}）" for k, (zh, en, unit) in query.METRICS.items()}

st.set_page_config(page_title="山西招商引资项目地图 Shanxi investment map", layout="wide")


@st.cache_data(show_spinner=False)
def load_records(path: str, mtime: float):
    """The store's records (cached until the file changes)."""
    return store.read_records(Path(path))


@st.cache_resource(show_spinner=False)
def load_boundaries():
    """Simplified county and city polygons (shared by every session)."""
    return spatial.load_counties(simplified=True), spatial.load_cities(simplified=True)


def build_store() -> None:
    """Build the store from seeds/ with a progress bar."""
    bar = st.progress(0.0, text=f"从 {SEEDS.name}/ 构建数据库 Building the store …")
    summary = pipeline.build(SEEDS, DB, progress=lambda i, n, name: bar.progress(i / n, text=f"{i}/{n} {name}"))
    bar.empty()
    st.toast(" · ".join(summary.lines()[1:4]))


def records():
    """Read the store, building it from seeds/ when missing; stop with a message when unreadable."""
    try:
        if not DB.exists():
            build_store()
        return load_records(str(DB), DB.stat().st_mtime)
    except StoreError as exc:
        st.error(f"数据库无法读取 The store cannot be read: {exc}")
        if st.button("从 seeds/ 重新构建 Rebuild from seeds/"):
            build_store()
            st.rerun()
    except GeoError as exc:
        st.error(f"构建失败 Build failed: {exc}")
    st.stop()


def init_state(opts: dict) -> None:
    """On a session's first run, take widget values from the URL (values not in the data dropped)."""
    if st.session_state.get("_init"):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    f = query.from_query_params(params)
    for attr in ("chains", "origins", "stages", "kinds", "amount_kinds"):
        st.session_state[f"f_{attr}"] = [v for v in getattr(f, attr) if v in opts[attr]]
    st.session_state["f_articles"] = [a for a in f.articles if a in opts["articles"]]
    st.session_state["f_text"] = f.text
    if opts["date_min"]:
        lo, hi = dt.date.fromisoformat(opts["date_min"]), dt.date.fromisoformat(opts["date_max"])
        start = dt.date.fromisoformat(f.date_from) if f.date_from else lo
        end = dt.date.fromisoformat(f.date_to) if f.date_to else hi
        st.session_state["f_dates"] = (max(lo, min(start, hi)), min(hi, max(end, lo)))
    metric = (params.get("metric") or ["investment_yi"])[-1]
    st.session_state["metric"] = metric if metric in query.METRICS else "investment_yi"
    basemap = (params.get("basemap") or ["none"])[-1]
    st.session_state["basemap"] = basemap if basemap in mapview.BASEMAPS else "none"
    st.session_state["county"] = f.county_adcode
    st.session_state["map_key"] = 0
    st.session_state["_init"] = True


def sidebar(opts: dict) -> query.Filters:
    """The filter widgets; returns the Filters they describe (county comes from the map)."""
    sb = st.sidebar
    sb.header("筛选 Filters")
    sb.multiselect("产业链 Industry chain", opts["chains"], key="f_chains", format_func=lambda c: label({}, c))
    sb.multiselect("来源地区 Origin region", opts["origins"], key="f_origins",
                   format_func=lambda v: label(ORIGIN_LABELS, v))
    sb.multiselect("阶段 Stage", opts["stages"], key="f_stages", format_func=lambda v: label(STAGE_LABELS, v))
    sb.multiselect("类型 Kind", opts["kinds"], key="f_kinds", format_func=lambda v: label(KIND_LABELS, v))
    sb.multiselect("金额类型 Amount kind", opts["amount_kinds"], key="f_amount_kinds",
                   format_func=lambda v: label(AMOUNT_KIND_LABELS, v))
    date_from = date_to = None
    if opts["date_min"]:
        lo, hi = dt.date.fromisoformat(opts["date_min"]), dt.date.fromisoformat(opts["date_max"])
        chosen = sb.date_input("日期 Date range", min_value=lo, max_value=hi, key="f_dates")
        # The full range means "no date filter", so undated records stay visible.
        if isinstance(chosen, tuple) and len(chosen) == 2 and chosen != (lo, hi):
            date_from, date_to = chosen[0].isoformat(), chosen[1].isoformat()
    sb.multiselect("文章 Article", list(opts["articles"]), key="f_articles",
                   format_func=lambda a: opts["articles"].get(a, a))
    sb.text_input("搜索 Search (名称/企业/地点/原句 name, company, place, sentence)", key="f_text")
    sb.divider()
    sb.selectbox("分级指标 Map metric", list(query.METRICS), key="metric", format_func=METRIC_LABELS.get)
    sb.selectbox("底图 Basemap", list(mapview.BASEMAPS), key="basemap", format_func=BASEMAP_LABELS.get)
    sb.checkbox("显示投资来源地区 Zoom out to show flow origins", key="fit_flows")
    ss = st.session_state
    return query.Filters(chains=ss.f_chains, origins=ss.f_origins, stages=ss.f_stages, kinds=ss.f_kinds,
                         amount_kinds=ss.f_amount_kinds, date_from=date_from, date_to=date_to,
                         articles=ss.f_articles, text=ss.f_text, county_adcode=ss.county)


def sync_url(filters: query.Filters) -> None:
    """Mirror the view into the URL so it can be shared (only when it changed)."""
    params = query.to_query_params(filters)
    if st.session_state.metric != "investment_yi":
        params["metric"] = st.session_state.metric
    if st.session_state.basemap != "none":
        params["basemap"] = st.session_state.basemap
    current = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    wanted = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)


def clear_county() -> None:
    """Forget the clicked county; a new map key drops the component's last click."""
    st.session_state.county = None
    st.session_state.map_key += 1


def show_map(map_gdf, counties, cities) -> None:
    """The folium map; a click on a county selects it (and reruns so the table follows)."""
    try:
        m = mapview.build_map(map_gdf, metric=st.session_state.metric, basemap=st.session_state.basemap,
                              counties=counties, cities=cities, selected_county=st.session_state.county,
                              fit="flows" if st.session_state.get("fit_flows") else "shanxi",
                              asset_base_url=ASSET_URL)
    except GeoError as exc:
        st.error(f"地图无法绘制 The map cannot be drawn: {exc}")
        return
    out = st_folium(m, returned_objects=["last_active_drawing"], height=620, use_container_width=True,
                    key=f"map_{st.session_state.map_key}")
    props = ((out or {}).get("last_active_drawing") or {}).get("properties") or {}
    if props.get("layer") == "county" and props.get("adcode") != st.session_state.county:
        st.session_state.county = props["adcode"]
        st.rerun()


def county_panel(map_gdf, counties) -> None:
    """Summary of the selected county, with a button to clear the selection."""
    code = st.session_state.county
    if not code:
        st.caption("点击地图上的县区以筛选表格 Click a county on the map to filter the table.")
        return
    metrics = query.county_metrics(map_gdf, counties).set_index("adcode")
    if code not in metrics.index:
        st.warning(f"未知县区代码 Unknown county code {code!r}")
        clear_county()
        return
    row = metrics.loc[code]
    cols = st.columns([3, 2, 2, 2, 2])
    cols[0].markdown(f"**已选县区 Selected county: {row['name']}** `{code}`")
    cols[1].metric("投资额 Investment", format_amount(row["investment_yi"]) or "0.00 亿元")
    cols[2].metric("项目 Projects", int(row["project_count"]))
    cols[3].metric("产业链 Chains", int(row["chain_count"]))
    cols[4].button("清除县区 Clear county", on_click=clear_county)


def main() -> None:
    """The page."""
    gdf = records()
    counties, cities = load_boundaries()
    opts = query.options(gdf)
    init_state(opts)
    filters = sidebar(opts)
    sync_url(filters)
    map_filters = query.Filters(**{**vars(filters), "county_adcode": None})
    map_gdf = query.apply(gdf, map_filters)
    selection = query.apply(map_gdf, query.Filters(county_adcode=filters.county_adcode))

    st.title("山西招商引资项目地图 Shanxi investment map")
    s = query.summary(selection)
    head = st.columns(5)
    head[0].metric("记录 Records", s["records"])
    head[1].metric("项目 Projects", s["projects"])
    head[2].metric("批量 Batches", s["batches"])
    head[3].metric("项目投资额 Project investment", format_amount(s["investment_yi"]) or "0.00 亿元")
    with head[4]:
        st.badge(f"未定位 unresolved: {s['unresolved']}", color="orange" if s["unresolved"] else "gray")
        st.caption(f"数据库 store: {DB.name} · 共 {len(gdf)} 条 total")

    show_map(map_gdf, counties, cities)
    county_panel(map_gdf, counties)

    st.subheader(f"记录 Records ({len(selection)})")
    st.dataframe(display_table(selection), hide_index=True, height=360)
    if s["unresolved"]:
        with st.expander(f"未定位记录 Unresolved records ({s['unresolved']}) — 不在地图上 not on the map"):
            st.dataframe(display_table(selection[selection["precision"] == "unresolved"]), hide_index=True)
    dl = st.columns(2)
    dl[0].download_button("下载 GeoJSON Download GeoJSON", export.to_geojson(selection),
                          file_name="shanxi_projects.geojson", mime="application/geo+json")
    dl[1].download_button("下载 CSV Download CSV", export.to_csv(selection),
                          file_name="shanxi_projects.csv", mime="text/csv")

    st.subheader("图表 Charts")
    tabs = st.tabs(["产业链 Chains", "来源 Origins", "流向 Origin → city → chain", "月份 Months"])
    for tab, make in zip(tabs, (charts.chart_by_chain, charts.chart_by_origin, charts.chart_flows,
                                charts.chart_by_month)):
        tab.altair_chart(make(selection), width="stretch")


main()
