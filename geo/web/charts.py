"""Charts of the filtered records as Vega-Lite specs: by chain, by origin region, region → city → chain, by month;
and one project's reports (geo.web.labels.timeline_table) on a time axis.

Each chart function takes the filtered records frame and returns a Vega-Lite spec (a plain dict,
what st.vega_lite_chart draws; vega is bundled in streamlit's frontend, so charts render offline);
each has a pure-pandas table function beside it (tested on its own). Investment sums follow the
county rule without the location condition: CNY investment of kind "project" only, so batches
(aggregates) and output/contract figures never inflate a total. The specs are written as dicts,
not built with altair: altair's deep copies cost ~0.1 s per filter state for four small charts.
They are the specs altair produced (same data naming, altair's `SCHEMA_URL`, tested equal). No streamlit
here, and no altair: importing it costs ~0.4 s of the app's cold start.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from geo.store import query
from geo.web.labels import NO_STAGE, ORIGIN_LABELS, REGION_COLORS, STAGE_LABELS, chain_color, label

_INVEST = "投资额 Investment (亿元)"
_COUNT = "记录数 Records"
_FONT = "WenQuanYi Micro Hei"
SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.4.1.json"  # altair.SCHEMA_URL of the altair we test with
# Category axes show every label, cut at 150 px (the full name is in the tooltip) so a 390 px
# screen keeps room for the bars; they have no axis title (the chart's title names them), which
# a narrow chart cut off at its left edge.
_EVERY_LABEL = {"labelLimit": 150, "labelOverlap": False}
_CONFIG = {"axis": {"labelFont": _FONT, "labelLimit": 220, "titleFont": _FONT},
           "legend": {"labelFont": _FONT, "titleFont": _FONT},
           "title": {"anchor": "start", "font": _FONT},
           "view": {"continuousHeight": 300, "continuousWidth": 300}}


# The records' columns the charts read (callers may pass a frame of these alone).
COLUMNS = ["chain", "origin_region", "city", "precision", "date", "article_date", "kind", "amount_kind",
           "currency", "amount_yi"]


def all_charts(gdf: pd.DataFrame) -> list[dict]:
    """The four chart specs (chain, origin, flows, month), sharing one pass over the records."""
    frame = _invest_frame(gdf)
    return [make(gdf, frame) for make in CHARTS]


def _frame(gdf: pd.DataFrame, frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """`frame` if given, else the invest frame with only the label `columns` one table groups by."""
    return _invest_frame(gdf, columns) if frame is None else frame


# The label columns of the invest frame, each computed from the records (count_once applied).
_LABELS = {
    "chain": lambda gdf: _labelled(gdf["chain"], {}),
    "origin": lambda gdf: _labelled(gdf["origin_region"], ORIGIN_LABELS),
    "region": lambda gdf: gdf["origin_region"].astype("object").fillna(query.MISSING),
    "city": lambda gdf: gdf["city"].astype("object").where(
        gdf["city"].notna(), gdf["precision"].map({"province": "全省 province-level"}).fillna("未定位 unresolved")),
    "month": lambda gdf: _months(query.effective_dates(gdf)),
}


def _invest_frame(gdf: pd.DataFrame, columns: tuple[str, ...] = tuple(_LABELS)) -> pd.DataFrame:
    """Label `columns` (all by default: one chart needs one or two), amount_yi zeroed where it is not a
    CNY project investment, and records.

    Each project entity counts once (query.count_once).
    """
    gdf = query.count_once(gdf)
    frame = pd.DataFrame({name: _LABELS[name](gdf) for name in columns}, index=gdf.index)
    frame["amount_yi"] = gdf["amount_yi"].where(query.investment_mask(gdf), 0.0).fillna(0.0)
    frame["records"] = gdf["records"] if "records" in gdf else 1  # rows grouped in SQL carry their count
    return frame


def _months(dates: pd.Series) -> np.ndarray:
    """yyyy-mm of each yyyy-mm-dd date (None stays None), computed once per distinct date."""
    codes, uniques = pd.factorize(dates, use_na_sentinel=False)
    return np.array([d[:7] if isinstance(d, str) else None for d in uniques] or [None], dtype=object)[codes]


def _labelled(series: pd.Series, vocabulary: dict) -> np.ndarray:
    """label() of every value, computed once per distinct value (a few dozen among 100k rows)."""
    codes, uniques = pd.factorize(series.astype("object"), use_na_sentinel=False)
    return np.array([label(vocabulary, u) for u in uniques] or [""], dtype=object)[codes]


def _totals(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(keys, dropna=False)
    # rows grouped in SQL carry their count in "records"; pandas rows count 1 each
    out = pd.DataFrame({"amount_yi": grouped["amount_yi"].sum(), "records": grouped["records"].sum()}).reset_index()
    out["amount_yi"] = out["amount_yi"].round(2)
    return out.sort_values(["amount_yi", "records"], ascending=False, kind="stable").reset_index(drop=True)


def chain_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per chain: amount_yi (CNY project investment) and records (all kinds), largest first."""
    return _totals(_frame(gdf, frame, ("chain",)), ["chain"])


def origin_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per origin region (with its label): amount_yi and records, largest first."""
    return _totals(_frame(gdf, frame, ("region", "origin")), ["region", "origin"])


def flow_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (origin region, city, chain) for records with a known origin: amount_yi and records."""
    frame = _frame(gdf, frame, ("region", "origin", "city", "chain"))
    return _totals(frame[frame["region"] != query.MISSING], ["origin", "city", "chain"])


def monthly_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per month (yyyy-mm of the record date, else the article date; undated dropped)."""
    frame = _frame(gdf, frame, ("month",))
    out = _totals(frame[frame["month"].notna()], ["month"])
    return out.sort_values("month").reset_index(drop=True)


def _spec(data: pd.DataFrame, title: str, body: dict) -> dict:
    """A top-level spec: `body` (mark/encoding/…) over `data`, stored once in "datasets" (as altair names it)."""
    values = data.to_dict("records")
    name = "data-" + hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return {"$schema": SCHEMA_URL, "config": _CONFIG, "data": {"name": name}, "datasets": {name: values},
            **body, "title": title}


def _field(name: str, kind: str, **extra) -> dict:
    return {"field": name, "type": kind, **extra}


def _tooltips(first: dict) -> list[dict]:
    """`first`, then the total and the record count."""
    return [first, _field("amount_yi", "quantitative", title=_INVEST, format=",.2f"),
            _field("records", "quantitative", title=_COUNT)]


_FIT_WIDTH = {"contains": "padding", "type": "fit-x"}  # width follows the page, height stays as specified


def _bars(data: pd.DataFrame, category: str, colors: list[str], tooltip_title: str, height: int, title: str) -> dict:
    """Horizontal bars of amount_yi per `category`, in the data's order, one colour each."""
    order = list(data[category])
    return _spec(data, title, {
        "encoding": {
            "color": _field(category, "nominal", legend=None, scale={"domain": order, "range": colors}),
            "tooltip": _tooltips(_field(category, "nominal", title=tooltip_title)),
            "x": _field("amount_yi", "quantitative", title=_INVEST),
            "y": _field(category, "nominal", axis=_EVERY_LABEL, sort=order, title=None),
        },
        # fit-x (as the project timeline): Streamlit's default "fit" squeezes title and axis into the height,
        # so a chart of two or three bars drew its labels on top of each other.
        "autosize": _FIT_WIDTH, "height": height, "mark": {"type": "bar"}})


def chart_by_chain(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> dict:
    """Horizontal bars: investment (亿元) per industry chain, in each chain's map colour."""
    data = chain_totals(gdf, frame)
    return _bars(data, "chain", [chain_color(c) for c in data["chain"]], "产业链", max(60, 22 * len(data)),
                 "按产业链 Investment by industry chain")


def chart_by_origin(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> dict:
    """Bars: investment (亿元) per origin region (unknown origins included as their own bar)."""
    data = origin_totals(gdf, frame)
    return _bars(data, "origin", [REGION_COLORS.get(r, "#bbbbbb") for r in data["region"]], "来源",
                 max(60, 28 * len(data)), "按来源地区 Investment by origin region")


def chart_flows(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> dict:
    """Region → city → chain as two linked heatmaps (origin × city, city × chain); no sankey in Vega-Lite.

    Cell colour is the investment (亿元), the number is the record count; cities share one axis.
    """
    data = flow_totals(gdf, frame)
    cities = list(data.groupby("city")["amount_yi"].sum().sort_values(ascending=False).index)
    total = {"aggregate": "sum", "field": "amount_yi", "type": "quantitative"}
    count = {"aggregate": "sum", "field": "records", "type": "quantitative"}

    def heat(column: str, title: str) -> dict:
        rect = {"encoding": {
            "color": {**total, "scale": {"scheme": "oranges"}, "title": _INVEST},
            "tooltip": [_field(column, "nominal"), _field("city", "nominal"), {**total, "format": ",.2f", "title": _INVEST},
                        {**count, "title": _COUNT}],
            "x": _field(column, "nominal", axis={"labelAngle": -40}, title=title),
            "y": _field("city", "nominal", sort=cities, title="地市 City")},
            "mark": {"type": "rect"}}
        text = {"encoding": {"text": count, "x": _field(column, "nominal"), "y": _field("city", "nominal", sort=cities)},
                "mark": {"fontSize": 10, "type": "text"}}
        return {"height": {"step": 22}, "layer": [rect, text], "width": {"step": 44}}

    return _spec(data, "来源 → 地市 → 产业链 Origin → city → chain", {
        "hconcat": [heat("origin", "来源 Origin"), heat("chain", "产业链 Chain")],
        "resolve": {"scale": {"color": "shared"}}})


def chart_by_month(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> dict:
    """Bars: investment (亿元) per month on a time axis (gaps between months stay visible)."""
    data = monthly_totals(gdf, frame)
    data["start"] = [f"{m}-01" for m in data["month"]]
    return _spec(data, "按月份 Investment by month", {
        "encoding": {
            "tooltip": _tooltips(_field("month", "ordinal", title="月份")),
            "x": _field("start", "temporal", axis={"format": "%Y-%m", "labelAngle": -40, "labelOverlap": "greedy"},
                        timeUnit="yearmonth", title="月份 Month"),
            "y": _field("amount_yi", "quantitative", title=_INVEST)},
        "height": 220, "mark": {"color": "#d95f0e", "type": "bar"}})


# Stages bottom to top as a project moves on; colours as the funnel reads (signed blue → production green).
_STAGE_ROWS = (("negotiating", "#9e9ac8"), ("planned", "#bcbddc"), ("signed", "#3182bd"), ("started", "#fd8d3c"),
               ("in_production", "#31a354"), (None, "#969696"))


def chart_project_timeline(table: pd.DataFrame) -> dict:
    """One project's reports (labels.timeline_table) on a time axis: x the date, y and colour the stage.

    One point per dated report (undated ones are in the table only); tooltips give the date, stage,
    amount, sentence, article title and link; clicking a point opens the article (http(s) links only).
    A grey line joins the reports in date order.
    """
    data = table[table["date"].notna()][["date", "stage", "amount", "sentence", "article_title", "url"]]
    # "day": the date as text for the tooltip (Vega-Lite parses "date" into a timestamp for the axis);
    # no link: a blank tooltip line (not "null") and no click
    data = data.assign(day=data["date"], url=data["url"].fillna(""))
    present = set(data["stage"])
    rows = [(label(STAGE_LABELS, s) if s else NO_STAGE, color) for s, color in _STAGE_ROWS]
    rows = [(name, color) for name, color in rows if name in present]
    order = [name for name, _ in rows][::-1]  # the furthest stage on top
    x = _field("date", "temporal", axis={"format": "%Y-%m", "labelAngle": -40, "labelOverlap": "greedy"},
               scale={"padding": 16, "type": "utc"}, title="日期 Date")
    y = _field("stage", "nominal", axis=_EVERY_LABEL, sort=order, title=None)
    tooltip = [_field("day", "nominal", title="日期"), _field("stage", "nominal", title="阶段"),
               _field("amount", "nominal", title="金额"), _field("sentence", "nominal", title="原句"),
               _field("article_title", "nominal", title="文章"), _field("url", "nominal", title="链接")]
    line = {"encoding": {"order": _field("date", "temporal"), "x": x, "y": y},
            "mark": {"color": "#bdbdbd", "strokeWidth": 1, "type": "line"}}
    color = _field("stage", "nominal", legend=None, scale={"domain": [n for n, _ in rows], "range": [c for _, c in rows]})
    points = {"encoding": {"color": color, "href": _field("url", "nominal"), "tooltip": tooltip, "x": x, "y": y},
              "mark": {"cursor": "pointer", "filled": True, "opacity": 0.9, "size": 140, "type": "point"}}
    # fit-x: the width follows the page, the height stays one 36 px row a stage (Streamlit's default "fit"
    # squeezes the title and the date axis into the height and left the rows 0 px tall).
    return _spec(data, "项目时间线 Project timeline", {"autosize": _FIT_WIDTH,
                                                   "height": {"step": 36}, "layer": [line, points]})


# Vega's tooltip (Streamlit's vega-tooltip) tries the four corners around the pointer and, when none
# fits, opens off the left edge: its value cells are up to 300 px wide, so on a 390 px screen no corner
# fits. Up to 640 px wide a tooltip is held to half the screen (its key column ~60 px), so the side of
# the pointer with more room always takes it; long values wrap (at most 7 lines, as before).
NARROW_TOOLTIP_CSS = """<style>
@media (max-width: 640px) {
  #vg-tooltip-element { max-width: calc(50vw - 14px); box-sizing: border-box; }
  #vg-tooltip-element table tr td.value { max-width: calc(50vw - 90px); word-break: break-all; }
  #vg-tooltip-element table tr td.key { max-width: 56px; }
}
</style>"""

CHARTS = (chart_by_chain, chart_by_origin, chart_flows, chart_by_month)  # the app's chart tabs, in order
