"""Streamlit app: sidebar filters → map, county summary, table, charts, downloads; add articles, correct records.

Run `streamlit run app.py` (the store defaults to data/projects.gpkg; set GEO_DB to use another
file or a postgresql://user@host/dbname database), or `python -m geo.web.serve`, the same with the store
read while Streamlit starts (scripts/run_app.sh). Wiring only: every computation is a geo.* call,
and geo errors become messages here.
The filter state is mirrored into the URL (st.query_params) so a view can be shared.
Everything costly is computed once per store state and filter state and shared by every session
(geo.web.view, geo.web.caches); only the rows on screen are turned into tables, and downloads are
written when their button is clicked.
Every view reads geo.store.corrections.read_current's frame (the analysts' corrections applied; hidden
records left out). Article text and file names are shown only through widgets that do not render
HTML, or through escape_markdown.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.store import corrections, export, query
from geo.web import access, charts, mapview, serve, timeline, view
from geo.web import caches  # the shared caches: a module, so they are decorated once per process
from geo.web.correction_form import FORM_FIELDS, KEEP_PLACE, changed_fields, form_values
from geo.store.corrections import CorrectionError
from geo.errors import CorrectionsLogError, GeoError, StoreError
from geo.web.labels import (AMOUNT_KIND_LABELS, KIND_LABELS, ORIGIN_LABELS, STAGE_LABELS,
                        escape_markdown, format_amount, label, record_source_label)
from geo.store.backend import open_store

ROOT = Path(__file__).resolve().parent

DB = serve.store_location(ROOT)  # GEO_DB (a GeoPackage file or a postgresql:// URL), else data/projects.gpkg
SEEDS = ROOT / "seeds"
# Upload size limit: server.maxUploadSize in .streamlit/config.toml (5 MB), and geo.web.uploads' own check.
UPLOAD_TYPES = ("txt", "md", "markdown", "html", "htm")
BASEMAP_LABELS = {"none": "无底图 none (offline)", "osm": "OpenStreetMap (online)",
                  "amap": "高德 Amap (online, GCJ-02)"}
LEVEL_LABELS = {"auto": "自动 auto", "county": "县区 county", "city": "地市 city"}
STEP_LABELS = {"month": "月 month", "quarter": "季 quarter"}
PLAY_DELAY_S = 1.0  # pause between two steps of the time slider's play
METRIC_LABELS = {k: f"{zh} {en}（{unit}）" for k, (zh, en, unit) in query.METRICS.items()}

st.set_page_config(page_title="山西招商引资项目地图 Shanxi investment map", layout="wide")



def editor_password() -> str | None:
    """The configured editor password (environment first, then .streamlit/secrets.toml), if any."""
    password = os.environ.get(access.PASSWORD_ENV)
    if password:
        return password
    if st.secrets.load_if_toml_exists():
        return st.secrets.get(access.SECRET_KEY) or None
    return None


def edit_mode() -> str:
    """access.OPEN / LOCKED / READ_ONLY for this server (its bound address and configured password)."""
    return access.edit_mode(editor_password(), st.get_option("server.address"))


def store_name() -> str:
    """The store's file name, or the database name of a URL (never its password)."""
    try:
        return Path(open_store(DB).name).name
    except StoreError:  # a malformed URL: records() shows the error
        return "?"


def can_edit() -> bool:
    """True when this session may change the store (checked again in every saving callback)."""
    mode = edit_mode()
    return mode == access.OPEN or (mode == access.LOCKED and bool(st.session_state.get("editor")))


def unlock() -> None:
    """Form callback: check the typed password; only the verdict stays in the session."""
    ss = st.session_state
    typed, ss["editor_password"] = ss.get("editor_password") or "", ""
    if access.check_password(typed, editor_password()):
        ss["editor"] = True
        ss["flash"] = ("success", "已解锁编辑 Editing unlocked")
    else:
        ss["editor"] = False
        ss["flash"] = ("error", "密码错误，未解锁 Wrong password: editing stays locked")


def lock() -> None:
    """Button callback: end this session's editing."""
    st.session_state["editor"] = False


def editor_section() -> None:
    """Sidebar: the editor login (password set), or why editing is off (exposed, no password)."""
    mode = edit_mode()
    if mode == access.OPEN:
        return
    box = st.sidebar.expander("编辑权限 Editing", expanded=mode == access.READ_ONLY)
    if mode == access.READ_ONLY:
        box.info("只读 Read-only: 本应用对外开放且未设置编辑密码。 This app is reachable from other machines "
                 f"and no editor password is set ({access.PASSWORD_ENV}).")
    elif st.session_state.get("editor"):
        box.success("可编辑 Editing unlocked")
        box.button("锁定 Lock editing", on_click=lock, key="lock_editing")
    else:
        with box.form("editor_form", clear_on_submit=True):
            st.text_input("编辑密码 Editor password", type="password", key="editor_password")
            st.form_submit_button("解锁编辑 Unlock editing", on_click=unlock)


def progress_bar(text: str):
    """A progress bar and the pipeline callback that drives it (file names shown literally)."""
    bar = st.progress(0.0, text=text)
    return bar, lambda i, n, name: bar.progress(i / max(n, 1), text=f"{i}/{n} {escape_markdown(name)}")


def opened(container, label: str, key: str, expanded: bool = False):
    """An expander of `container` that is drawn with its content only while open, else None.

    Opening or closing it reruns the page, so a closed expander's widgets (forms of a dozen fields)
    cost nothing on every other run.
    """
    box = container.expander(label, expanded=expanded, key=key, on_change="rerun")
    return box if box.open else None


def rebuild() -> bool:
    """Re-extract every stored article plus seeds/ (corrections are kept) with a progress bar."""
    from geo.web import uploads  # the extraction pipeline: imported when first used, not at the cold start
    bar, tick = progress_bar("重建数据库 Rebuilding the store …")
    try:
        report = uploads.rebuild_store(DB, SEEDS, progress=tick)
    except GeoError as exc:
        bar.empty()
        st.error(f"重建失败 Rebuild failed: {escape_markdown(exc)}")
        return False
    bar.empty()
    moved = report.moved_aside and f" · 无法读取的旧库已移至 unreadable store moved to {report.moved_aside.name}"
    st.session_state["flash"] = ("success", f"已重建 Rebuilt: {report.summary.articles} 篇文章 articles "
                                 f"({report.stored_articles} 篇来自旧库 from the store){moved or ''}")
    return True


def records() -> view.StoreView:
    """The store as the app shows it (corrections applied); builds a missing store.

    Stops the page with a clear message (and a rebuild button) when the store cannot be read.
    """
    try:
        store = open_store(DB)
        if not store.exists() and not (can_edit() and rebuild()):
            if not can_edit():
                st.error(f"没有数据库 No store at {escape_markdown(store_name())}; 只读模式不能构建 read-only: cannot build it.")
            st.stop()
        return caches.current_view(DB)
    except CorrectionsLogError as exc:  # the store is fine: rebuilding it would not help
        st.error(f"更正记录无法读取 The corrections log cannot be read: {escape_markdown(exc)}")
    except StoreError as exc:
        st.error(f"数据库无法读取 The store cannot be read: {escape_markdown(exc)}")
        st.caption("重建会重新抽取 seeds/ 与旧库中可读的文章；无法读取的文件会被移到一旁保留，更正记录不受影响。 "
                   "Rebuilding re-extracts seeds/ (and the old store's articles if readable); an unreadable "
                   "file is moved aside, never deleted; corrections are kept.")
        if can_edit() and st.button("重建数据库 Rebuild the store", key="rebuild_broken"):
            rebuild()
            st.rerun()
    except GeoError as exc:
        st.error(f"构建失败 Build failed: {escape_markdown(exc)}")
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
    level = (params.get("level") or ["auto"])[-1]
    st.session_state["level"] = level if level in LEVEL_LABELS else "auto"
    if opts["date_min"]:
        step = (params.get("step") or [""])[-1]
        st.session_state["t_step"] = (step if step in timeline.STEPS
                                      else timeline.default_step(opts["date_min"], opts["date_max"]))
        st.session_state["t_period"] = (params.get("until") or [timeline.ALL])[-1]
    st.session_state["fit_flows"] = (params.get("fit") or ["shanxi"])[-1] == "flows"
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
    time_controls(opts)
    sb.multiselect("文章 Article", list(opts["articles"]), key="f_articles",
                   format_func=lambda a: opts["articles"].get(a, a))
    sb.text_input("搜索 Search (名称/企业/地点/原句 name, company, place, sentence)", key="f_text")
    sb.divider()
    sb.selectbox("分级指标 Map metric", list(query.METRICS), key="metric", format_func=METRIC_LABELS.get)
    sb.radio("分级层级 Choropleth level", list(LEVEL_LABELS), key="level", format_func=LEVEL_LABELS.get,
             horizontal=True, help="自动：投资额多数所在的层级 auto: the level where most of the investment is located")
    sb.selectbox("底图 Basemap", list(mapview.BASEMAPS), key="basemap", format_func=BASEMAP_LABELS.get)
    sb.checkbox("显示投资来源地区 Zoom out to show flow origins", key="fit_flows")
    ss = st.session_state
    return query.Filters(chains=ss.f_chains, origins=ss.f_origins, stages=ss.f_stages, kinds=ss.f_kinds,
                         amount_kinds=ss.f_amount_kinds, date_from=date_from, date_to=date_to,
                         articles=ss.f_articles, text=ss.f_text, county_adcode=ss.county)


def time_controls(opts: dict) -> None:
    """Sidebar: the time slider (investment arrived up to a month or quarter) and its play button."""
    ss, sb = st.session_state, st.sidebar
    if not opts["date_min"]:
        return
    step = sb.radio("时间步长 Time step", timeline.STEPS, key="t_step", horizontal=True, format_func=STEP_LABELS.get)
    stops = [*timeline.periods(opts["date_min"], opts["date_max"], step), timeline.ALL]
    if "_t_next" in ss:  # the play loop's next stop (a widget's value can only be set before it is drawn)
        ss["t_period"] = ss.pop("_t_next")
    if ss.get("t_period") not in stops:
        ss["t_period"] = timeline.ALL
    ss["_t_stops"] = stops
    sb.select_slider("截至 Up to (累计 cumulative)", stops, key="t_period",
                     format_func=lambda p: "全部 all" if p == timeline.ALL else p,
                     help="只显示该时期结束前的记录；未注明日期的记录此时不显示。 Only records dated up to the end "
                          "of this period; undated records are left out while a period is chosen.")
    if ss.get("playing"):
        sb.button("⏸ 暂停 Pause", key="t_pause", on_click=stop_playing)
    else:
        sb.button("▶ 播放 Play", key="t_play", on_click=start_playing)


def start_playing() -> None:
    """Button callback: play the time slider from its first stop."""
    ss = st.session_state
    ss["playing"] = True
    ss["t_period"] = ss["_t_stops"][0]


def stop_playing() -> None:
    """Button callback: stop the time slider where it is."""
    st.session_state["playing"] = False


def play_step() -> None:
    """At the end of a run while playing: wait, move the slider one period on, and rerun (stops at the last)."""
    ss = st.session_state
    if not ss.get("playing"):
        return
    stops = ss.get("_t_stops") or [timeline.ALL]
    at = stops.index(ss.t_period) if ss.get("t_period") in stops else len(stops) - 1
    if at >= len(stops) - 2:  # the last period reached ("all" is not a step of the play)
        ss["playing"] = False
        return
    time.sleep(PLAY_DELAY_S)
    ss["_t_next"] = stops[at + 1]
    ss["playing"] = at + 1 < len(stops) - 2
    st.rerun()


def sync_url(filters: query.Filters) -> None:
    """Mirror the view into the URL so it can be shared (only when it changed)."""
    params = query.to_query_params(filters)
    if st.session_state.metric != "investment_yi":
        params["metric"] = st.session_state.metric
    if st.session_state.basemap != "none":
        params["basemap"] = st.session_state.basemap
    if st.session_state.level != "auto":
        params["level"] = st.session_state.level
    if st.session_state.get("fit_flows"):
        params["fit"] = "flows"
    if st.session_state.get("t_period", timeline.ALL) != timeline.ALL:
        params["until"], params["step"] = st.session_state.t_period, st.session_state.t_step
    current = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    wanted = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)


def clear_county() -> None:
    """Forget the clicked county; a new map key drops the component's last click."""
    st.session_state.county = None
    st.session_state.map_key += 1


def show_map(v: view.StoreView, sel: view.Selection, map_key: str) -> None:
    """The folium map; a click on a county selects it (and reruns so the table follows)."""
    ss = st.session_state
    try:
        args = caches.map_component(v.key, map_key, ss.metric, ss.basemap, ss.county,
                             "flows" if ss.get("fit_flows") else "shanxi",
                             sel.level if ss.level == "auto" else ss.level, v, sel)
    except GeoError as exc:
        st.error(f"地图无法绘制 The map cannot be drawn: {exc}")
        return
    args = dict(args)
    key = f"map_{args.pop('digest')}_{ss.map_key}"  # a new map (or a cleared click) remounts the component
    out = caches.folium_component()(
        **args, key=key, height=620, width=None, returned_objects=["last_active_drawing"],
        default={"last_active_drawing": None}, zoom=None, center=None, feature_group=None,
        return_on_hover=False, layer_control=None, pixelated=False, wrap_longitude=False)
    props = ((out or {}).get("last_active_drawing") or {}).get("properties") or {}
    if props.get("layer") == "county" and props.get("adcode") != ss.county:
        ss.county = props["adcode"]
        st.rerun()


def county_panel(v: view.StoreView, sel: view.Selection, map_key: str, counties) -> None:
    """Summary of the selected county, with a button to clear the selection."""
    code = st.session_state.county
    if not code:
        st.caption("点击地图上的县区以筛选表格 Click a county on the map to filter the table.")
        return
    metrics = caches.county_summary(v.key, map_key, v, sel, counties)
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


STATUS_BOXES = {"added": (st.success, "已添加 added"),
                "no_place": (st.warning, "已添加，未找到山西地点 added, no Shanxi place"),
                "duplicate": (st.info, "重复 duplicate"), "rejected": (st.error, "已拒绝 rejected")}


def show_upload_results() -> None:
    """The per-file verdicts of the last upload (kept in the session until the next one)."""
    for name, status, message in st.session_state.get("upload_results", []):
        box, word = STATUS_BOXES[status]
        box(escape_markdown(f"{name}: {word} — {message}"))


def run_upload(add) -> None:
    """Run one add_uploads/add_pasted call with a progress bar; keep its results for display."""
    bar, tick = progress_bar("抽取与定位 Extracting and locating …")
    try:
        report = add(tick)
    except GeoError as exc:  # StoreError: the store cannot be read, nothing was written
        st.session_state["upload_results"] = [("—", "rejected", str(exc))]
    else:
        st.session_state["upload_results"] = [(r.label, r.status, r.message) for r in report.results]
    bar.empty()


def add_articles_section() -> None:
    """Sidebar: upload files or paste text; runs before the store is read, so new records show at once."""
    box = opened(st.sidebar, "添加文章 Add articles", "upload_open", bool(st.session_state.get("upload_results")))
    if box is None:
        return
    with box:
        with st.form("upload_form", clear_on_submit=True):
            files = st.file_uploader("文件 Files (txt, md, html)", type=list(UPLOAD_TYPES),
                                     accept_multiple_files=True, key="upload_files")
            sent_files = st.form_submit_button("添加文件 Add files")
        results = st.container()  # verdicts right under the uploader, filled once the forms are read
        with st.form("paste_form", clear_on_submit=True):
            title = st.text_input("标题 Title", key="paste_title")
            date = st.date_input("日期 Date", value=None, key="paste_date")
            url = st.text_input("来源网址 Source URL", key="paste_url")
            text = st.text_area("正文 Text", key="paste_text", height=120)
            sent_text = st.form_submit_button("添加文本 Add text")
        if sent_files or sent_text:
            from geo.web import uploads  # the extraction pipeline: imported when first used, not at the cold start
        if sent_files:
            payload = [(f.name, f.getvalue()) for f in files or []]
            if payload:
                run_upload(lambda tick: uploads.add_uploads(DB, payload, progress=tick))
            else:
                st.session_state["upload_results"] = [("—", "rejected", "no file chosen")]
        if sent_text:
            run_upload(lambda tick: uploads.add_pasted(DB, text, title, date.isoformat() if date else None,
                                                       url, progress=tick))
        with results:
            show_upload_results()


def rebuild_section() -> None:
    """Sidebar: re-extract every article (after the extractor changed); corrections survive."""
    with st.sidebar.expander("重建 Rebuild"):
        st.caption("重新抽取库中全部文章与 seeds/；更正记录单独保存，不会丢失。 Re-extracts every stored "
                   "article and seeds/; corrections are a separate log and are kept.")
        if st.button("重建数据库 Rebuild the store", key="rebuild"):
            rebuild()


def show_flash() -> None:
    """One-shot messages set by callbacks and actions of the previous run."""
    flash = st.session_state.pop("flash", None)
    if flash:
        kind, text = flash
        (st.toast if kind == "success" else st.error)(escape_markdown(text))


def record_table(v: view.StoreView, sel: view.Selection, filter_key: str, show_hidden: bool) -> None:
    """One page of the records table; selecting a row picks that record in the correction form."""
    ss = st.session_state
    total = sel.table_count
    pages = view.page_count(total)
    ss["table_page"] = min(max(int(ss.get("table_page") or 1), 1), pages)  # the selection may have shrunk
    if pages > 1:
        cols = st.columns([1, 4])
        cols[0].number_input("页 Page", min_value=1, max_value=pages, step=1, key="table_page")
        first = (ss.table_page - 1) * view.PAGE_SIZE
        cols[1].caption(f"第 {first + 1}–{min(first + view.PAGE_SIZE, total)} 条，共 {total} 条 "
                        f"rows {first + 1}–{min(first + view.PAGE_SIZE, total)} of {total} · 共 {pages} 页 pages")
    table, hidden, ids = caches.table_page(v.key, filter_key, show_hidden, ss.table_page, v, sel)
    data = table
    if any(hidden):
        data = table.style.apply(lambda r: ["color: #a0a0a0" if hidden[r.name] else ""] * len(r), axis=1)
    event = st.dataframe(data, hide_index=True, height=360, key=f"table_{ss.table_page}", on_select="rerun",
                         selection_mode="single-row")
    picked = event.selection.rows if event else []
    if picked and picked[0] < len(ids) and ss.get("_picked") != ids[picked[0]]:
        ss["_picked"] = ss["fix_target"] = ids[picked[0]]
        ss["fix_nonce"] = ss.get("fix_nonce", 0) + 1  # a new record selectbox, starting at this record


def downloads(v: view.StoreView, sel: view.Selection) -> None:
    """GeoJSON and CSV of exactly the selection, written only when a button is clicked."""
    dl = st.columns(2)
    dl[0].download_button("下载 GeoJSON Download GeoJSON", lambda: export.to_geojson(v.selected_rows(sel)),
                          file_name="shanxi_projects.geojson", mime="application/geo+json", on_click="ignore")
    dl[1].download_button("下载 CSV Download CSV", lambda: export.to_csv(v.selected_rows(sel)),
                          file_name="shanxi_projects.csv", mime="text/csv", on_click="ignore")


def field_widgets(prefix: str, base: dict, chains: list, place_label: str | None) -> None:
    """The editable fields, keyed `<prefix>_<field>`, showing `base` unless already edited."""
    places = caches.load_place_choices()
    c = st.columns(3)
    c[0].text_input("名称 Name", value=base["name"] or "", key=f"{prefix}_name")
    c[1].text_input("企业 Company", value=base["company"] or "", key=f"{prefix}_company")
    place_opts = ([KEEP_PLACE] if base["county_adcode"] == KEEP_PLACE else []) + [None, *places]
    c[2].selectbox("县区/地市 County or city", place_opts, index=place_opts.index(base["county_adcode"]),
                   key=f"{prefix}_county_adcode",
                   format_func=lambda v: (f"保持 keep: {place_label}" if v == KEEP_PLACE
                                          else places.get(v, "（未定位 unresolved）")))
    chain_opts = [None, *chains] + ([base["chain"]] if base["chain"] and base["chain"] not in chains else [])
    c[0].selectbox("产业链 Chain (可输入新值 type a new one)", chain_opts, index=chain_opts.index(base["chain"]),
                   key=f"{prefix}_chain", accept_new_options=True, format_func=lambda v: v or "（无 none）")
    c[1].number_input("金额 Amount (亿 1e8)", value=base["amount_yi"], min_value=0.0, step=1.0, format="%.4f",
                      key=f"{prefix}_amount_yi")
    for col, field, vocab, words in ((c[2], "amount_kind", AMOUNT_KIND_LABELS, "金额类型 Amount kind"),
                                     (c[0], "stage", STAGE_LABELS, "阶段 Stage"),
                                     (c[1], "origin_region", ORIGIN_LABELS, "来源地区 Origin region")):
        opts = [None, *vocab]
        col.selectbox(words, opts, index=opts.index(base[field]) if base[field] in opts else 0,
                      key=f"{prefix}_{field}", format_func=lambda v, vocab=vocab: vocab.get(v, "（无 none）"))
    c[2].text_input("来源地 Origin place", value=base["origin_place"] or "", key=f"{prefix}_origin_place")


def save_correction(record_id: str, action: str) -> None:
    """Form callback: append an edit (changed fields only), a hide or an unhide to the log."""
    ss = st.session_state
    ss["_fix_submitted"] = True
    if not can_edit():
        ss["flash"] = ("error", "未保存：需要编辑权限 Not saved: editing is locked")
        return
    submitted = {f: ss.get(f"fx_{record_id}_{f}") for f in FORM_FIELDS}
    fields = changed_fields(ss[f"fx_base_{record_id}"], submitted) if action == "edit" else {}
    if action == "edit" and not fields:
        ss["flash"] = ("success", "没有改动 Nothing changed")
        return
    try:
        corrections.save(DB, record_id, action, fields)
    except (CorrectionError, StoreError) as exc:
        ss["flash"] = ("error", f"未保存 Not saved: {exc}")
        return
    words = {"edit": "已保存更正 Correction saved", "hide": "已隐藏 Record hidden", "unhide": "已恢复 Record shown"}
    ss["flash"] = ("success", f"{words[action]}: {record_id} {', '.join(fields)}")


def save_manual() -> None:
    """Form callback: append a record typed in by hand for an article."""
    ss = st.session_state
    ss["_fix_submitted"] = True
    if not can_edit():
        ss["flash"] = ("error", "未保存：需要编辑权限 Not saved: editing is locked")
        return
    submitted = {f: ss.get(f"add_{f}") for f in FORM_FIELDS}
    fields = changed_fields(dict.fromkeys(FORM_FIELDS), submitted)
    try:
        saved = corrections.save(DB, None, "add", fields, article_id=ss.get("add_article"),
                                 note=(ss.get("add_note") or "").strip() or None)
    except (CorrectionError, StoreError) as exc:
        ss["flash"] = ("error", f"未保存 Not saved: {exc}")
        return
    ss["flash"] = ("success", f"已添加手工记录 Record added by hand: {saved.record_id}")


@st.fragment
def correction_section(v: view.StoreView) -> None:
    """Edit, hide or unhide a record; add one by hand. Every save appends to the corrections log.

    The record is found by a search (name, company, place, sentence or id prefix; at most 50
    matches listed) or by picking a table row, never from a list of every record.
    A fragment: typing a search or picking a record reruns this section alone, not the map; a form
    sent reruns the whole page (its message, the corrected store).
    """
    ss = st.session_state
    if ss.pop("_fix_submitted", False):  # a form of this section was sent: the page shows its outcome
        st.rerun()
    st.subheader("更正记录 Correct a record")
    if not v.total + v.hidden_count:
        st.caption("没有记录 No records yet.")
        return
    search = st.text_input("查找记录 Find a record (名称/企业/地点/原句/id name, company, place, sentence, id)",
                           key="fix_search")
    target = ss.get("fix_target")
    rows, labels = caches.record_matches(v.key, search, target, v)
    if not rows:
        st.caption("没有匹配的记录 No record matches.")
        return
    ids = list(rows)
    target = target if target in rows else ids[0]
    # The widget's identity includes its labels, which change when a record is corrected: it then
    # starts afresh at `index`, so the chosen record is kept in our own state, not the widget's.
    rid = st.selectbox(f"记录 Record ({len(ids)} 条匹配 matches；名称 · 地点 · id；或在上表中选择一行 or pick a table row)",
                       ids, index=ids.index(target), key=f"fix_record_{ss.get('fix_nonce', 0)}",
                       format_func=labels.get)
    ss["fix_target"] = rid
    row = rows[rid]
    base = form_values(row)
    if ss.get(f"fx_base_{rid}") != base:  # changed since drawn (e.g. another session saved): redraw
        for f in FORM_FIELDS:
            ss.pop(f"fx_{rid}_{f}", None)
        ss[f"fx_base_{rid}"] = base
    source = record_source_label(row.get("record_source"), row.get("corrected"), row.get("hidden"))
    title = escape_markdown(row.get("article_title") or "")
    st.caption(f"id {rid} · 来源 Source: {source} · 文章 Article: {title}")
    st.text(f"原句 Sentence: {row.get('sentence') or ''}")
    with st.form("fix_form"):
        field_widgets(f"fx_{rid}", base, v.chains, row.get("place_text"))
        b = st.columns(3)
        b[0].form_submit_button("保存 Save", type="primary", on_click=save_correction, args=(rid, "edit"))
        b[1].form_submit_button("标记错误并隐藏 Hide (mark wrong)", on_click=save_correction, args=(rid, "hide"))
        b[2].form_submit_button("取消隐藏 Unhide", on_click=save_correction, args=(rid, "unhide"),
                                disabled=not row.get("hidden"))
    adder = opened(st, "手工添加 Add a record by hand", "add_open")
    if adder is None:
        return
    with adder:
        with st.form("add_form", clear_on_submit=True):
            titles = caches.article_titles(v.key, v)
            st.selectbox("文章 Article", list(titles), key="add_article", format_func=titles.get)
            field_widgets("add", dict.fromkeys(FORM_FIELDS), v.chains, None)
            st.text_area("原句或备注 Sentence or note", key="add_note", height=80)
            st.form_submit_button("添加记录 Add record", on_click=save_manual)


def show_orphans(orphans) -> None:
    """Corrections whose record no longer exists (after a rebuild): listed, never dropped."""
    if not orphans:
        return
    with st.expander(f"⚠️ 更正找不到对应记录 Corrections without a record ({len(orphans)})"):
        st.warning("这些更正对应的记录在重新抽取后已不存在；它们仍保存在更正日志中。 These corrections refer to "
                   "records that no longer exist after re-extraction; they stay in the log.")
        st.dataframe(pd.DataFrame([{"seq": c.seq, "record_id": c.record_id, "action": c.action,
                                    "fields": json.dumps(c.fields, ensure_ascii=False),
                                    "note": c.note, "created_at": c.created_at} for c in orphans]),
                     hide_index=True)


TIMELINE_HEADERS = {"date": "日期 Date", "stage": "阶段 Stage", "name": "名称 Name", "amount": "金额 Amount",
                    "place_text": "地点 Place", "article_title": "文章 Article"}
FUNNEL_BY_LABELS = {"city": "城市 city", "chain": "产业链 chain"}
PROJECT_TABLE_COLUMNS = ("name", "current_stage", "signed_date", "started_date", "production_date", "amount_yi",
                         "member_count", "city", "county", "project_uid")


def save_link_decision(action: str) -> None:
    """Button callback: append a merge or split of project entities to the log, then relink the store."""
    from geo.link import entities  # with the pipeline's relink: imported when first used, not at the cold start
    from geo.pipeline import relink

    ss = st.session_state
    if not can_edit():
        ss["flash"] = ("error", "未保存：需要编辑权限 Not saved: editing is locked")
        return
    first, second = (ss.get("link_a") or "").strip(), (ss.get("link_b") or "").strip()
    try:
        if action == "merge":
            entities.merge(DB, first, second)
        else:
            entities.split(DB, first)
        relink(DB)
    except GeoError as exc:
        ss["flash"] = ("error", f"未保存 Not saved: {exc}")
        return
    words = {"merge": f"已合并 Merged: {first} + {second}", "split": f"已拆分 Split out: {first}"}
    ss["flash"] = ("success", words[action])


def link_controls() -> None:
    """Editors: merge two records' projects or split a record out of its project (kept in the corrections log)."""
    box = opened(st, "合并或拆分项目 Merge or split projects", "link_open")
    if box is None:
        return
    with box:
        st.caption("记录编号见记录表 id 列。 Record ids are in the table's id column. 合并：两条记录是同一项目；"
                   "拆分：第一条记录自成一个项目。 Merge: both records report one project; split: the first record "
                   "is a project of its own.")
        cols = st.columns(2)
        cols[0].text_input("记录 Record id", key="link_a")
        cols[1].text_input("另一条记录 Other record id (merge)", key="link_b")
        buttons = st.columns(2)
        buttons[0].button("合并 Merge", key="link_merge", on_click=save_link_decision, args=("merge",))
        buttons[1].button("拆分 Split", key="link_split", on_click=save_link_decision, args=("split",))


def project_timeline(v: view.StoreView, uid: str) -> None:
    """One project's reports: on a time axis (dated ones), then all of them in a table with their article links."""
    table, spec, undated = caches.project_timeline(v.key, uid, v)
    if spec is not None:
        st.vega_lite_chart(spec, width="stretch")
    if undated:
        st.caption(f"{undated} 篇报道无日期，只列在表中 {undated} undated report(s): in the table only, not on the axis")
    st.dataframe(table, hide_index=True, column_config={
        **TIMELINE_HEADERS,
        "sentence": st.column_config.TextColumn("原句 Sentence", width="large"),
        "url": st.column_config.LinkColumn("原文 Source", display_text="打开 open")})


def projects_section(v: view.StoreView, editing: bool = False) -> None:
    """Project entities (every report of one project linked): funnel per city or chain, stalled signings,
    one project's timeline (chart and table)."""
    try:
        projects = caches.project_entities(str(DB), v.key)
    except GeoError as exc:
        st.warning(f"项目实体不可用 project entities unavailable: {exc}")
        return
    if projects.empty:
        return
    st.subheader(f"项目进展 Project lifecycle ({len(projects)} 个项目 projects)")
    st.caption("同一项目的多篇报道合并为一个项目，总额只计一次（最新报道的投资额）。 Reports of one project are one "
               "entity; totals count it once, with the latest report's figure. 合并/拆分 merge/split: "
               "`python -m geo link --merge ID ID | --split ID`.")
    funnel_tab, stalled_tab, timeline_tab = st.tabs(["漏斗 签约→开工→投产 Funnel", "签约未开工 Signed, not started",
                                                     "项目时间线 Timeline"])
    with funnel_tab:
        by = st.radio("按 By", list(FUNNEL_BY_LABELS), format_func=FUNNEL_BY_LABELS.get, horizontal=True,
                      key="funnel_by")
        st.dataframe(caches.project_funnel(str(DB), v.key, by, FUNNEL_BY_LABELS[by]), hide_index=True)
    with stalled_tab:
        months = st.number_input("签约后超过几个月未开工 months since signing without a start", min_value=0,
                                 max_value=240, value=12, step=1, key="stalled_months")
        st.dataframe(caches.stalled_projects(str(DB), v.key, int(months), dt.date.today().isoformat(),
                                             PROJECT_TABLE_COLUMNS), hide_index=True)
    with timeline_tab:
        names = caches.linked_projects(str(DB), v.key)
        if not names:
            st.caption("没有被多篇报道的项目 no project is reported more than once")
        else:
            uid = st.selectbox("项目 Project", list(names)[:500], format_func=lambda u: names.get(u, u),
                               key="timeline_project")
            project_timeline(v, uid)
    if editing:
        link_controls()


def main() -> None:
    """The page."""
    st.html(charts.NARROW_TOOLTIP_CSS)  # style only: Streamlit puts it in the page's head, taking no space
    editor_section()
    editing = can_edit()
    if editing:
        add_articles_section()
        rebuild_section()
    show_flash()
    v = records()
    opts = v.options
    init_state(opts)
    filters = sidebar(opts)
    show_hidden = st.sidebar.toggle("显示已隐藏 show hidden (表格 table only)", key="show_hidden")
    sync_url(filters)
    # The time slider bounds the dates after the URL is written: it has its own "until" parameter.
    filters = dataclasses.replace(filters, date_to=timeline.clip_date_to(filters.date_to, st.session_state.get("t_period")))
    fkey = query.filter_key(filters)
    map_key = query.filter_key(query.Filters(**{**vars(filters), "county_adcode": None}))
    sel = caches.selection(v.key, fkey, show_hidden, v, filters)

    st.title("山西招商引资项目地图 Shanxi investment map")
    s = sel.summary
    head = st.columns([1, 1, 1, 1.7, 1.5])  # the amount needs room for "12,345.67 亿元" at 1600 px
    head[0].metric("记录 Records", s["records"])
    head[1].metric("项目 Projects", s["projects"])
    head[2].metric("批量 Batches", s["batches"])
    head[3].metric("项目投资额 Project investment", format_amount(s["investment_yi"]) or "0.00 亿元")
    with head[4]:
        st.badge(f"未定位 unresolved: {s['unresolved']}", color="orange" if s["unresolved"] else "gray")
        st.caption(f"数据库 store: {store_name()} · 共 {v.total} 条 total · 已隐藏 hidden {v.hidden_count}")
    show_orphans(v.orphans)

    counties, _ = caches.load_boundaries()
    show_map(v, sel, map_key)
    county_panel(v, sel, map_key, counties)

    st.subheader(f"记录 Records ({sel.count})")
    record_table(v, sel, fkey, show_hidden)
    box = s["unresolved"] and opened(st, f"未定位记录 Unresolved records ({s['unresolved']}) — 不在地图上 not on the map",
                                     "unresolved_open")
    if box:  # its table is formatted only while the expander is open
        with box:
            unresolved, more = caches.unresolved_table(v.key, fkey, v, sel)
            if more:
                st.caption(f"显示前 {view.PAGE_SIZE} 条 first {view.PAGE_SIZE} shown; 全部见下载 all in the downloads")
            st.dataframe(unresolved, hide_index=True)
    downloads(v, sel)
    if editing:
        correction_section(v)

    st.subheader("图表 Charts")
    # Only the open tab's chart is sent (switching tabs reruns): the browser draws one chart, not four,
    # while the map paints at a session's first load.
    tabs = st.tabs(["产业链 Chains", "来源 Origins", "流向 Origin → city → chain", "月份 Months"], key="chart_tab",
                   on_change="rerun")
    for number, tab in enumerate(tabs):
        if tab.open:
            tab.vega_lite_chart(caches.chart_spec(v.key, fkey, number, v, sel), width="stretch")
    projects_section(v, editing)
    view.release_memory(collect=False)  # this run's freed heap back to the OS (~0.05 ms when there is none)
    play_step()


main()
