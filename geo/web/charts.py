"""Altair charts of the filtered records: by chain, by origin region, region → city → chain, by month.

Each chart function takes the filtered records frame and returns an altair chart; each has a
pure-pandas table function beside it (tested on its own). Investment sums follow the county
rule without the location condition: CNY investment of kind "project" only, so batches
(aggregates) and output/contract figures never inflate a total. Altair ships with streamlit
and renders offline (vega is bundled in streamlit's frontend). No streamlit import here.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from geo.store import query
from geo.web.labels import ORIGIN_LABELS, REGION_COLORS, chain_color, label

_INVEST = "投资额 Investment (亿元)"
_COUNT = "记录数 Records"
_FONT = "WenQuanYi Micro Hei"
# Category axes show every label, cut at 150 px (the full name is in the tooltip) so a 390 px
# screen keeps room for the bars; they have no axis title (the chart's title names them), which
# a narrow chart cut off at its left edge.
_EVERY_LABEL = alt.Axis(labelOverlap=False, labelLimit=150)


# The records' columns the charts read (callers may pass a frame of these alone).
COLUMNS = ["chain", "origin_region", "city", "precision", "date", "article_date", "kind", "amount_kind",
           "currency", "amount_yi"]


def all_charts(gdf: pd.DataFrame) -> list:
    """The four charts (chain, origin, flows, month), sharing one pass over the records."""
    frame = _invest_frame(gdf)
    return [make(gdf, frame) for make in (chart_by_chain, chart_by_origin, chart_flows, chart_by_month)]


def _frame(gdf: pd.DataFrame, frame: pd.DataFrame | None) -> pd.DataFrame:
    return _invest_frame(gdf) if frame is None else frame


def _invest_frame(gdf: pd.DataFrame) -> pd.DataFrame:
    """Columns used by every table, with amount_yi zeroed where it is not a CNY project investment.

    Each project entity counts once (query.count_once).
    """
    gdf = query.count_once(gdf)
    frame = pd.DataFrame({
        "chain": _labelled(gdf["chain"], {}),
        "origin": _labelled(gdf["origin_region"], ORIGIN_LABELS),
        "region": gdf["origin_region"].astype("object").fillna(query.MISSING),
        "city": gdf["city"].astype("object").where(
            gdf["city"].notna(), gdf["precision"].map({"province": "全省 province-level"}).fillna("未定位 unresolved")),
        "month": [d[:7] if isinstance(d, str) else None for d in query.effective_dates(gdf)],
    }, index=gdf.index)
    frame["amount_yi"] = gdf["amount_yi"].where(query.investment_mask(gdf), 0.0).fillna(0.0)
    frame["records"] = gdf["records"] if "records" in gdf else 1  # rows grouped in SQL carry their count
    return frame


def _labelled(series: pd.Series, vocabulary: dict) -> np.ndarray:
    """label() of every value, computed once per distinct value (a few dozen among 100k rows)."""
    codes, uniques = pd.factorize(series.astype("object"), use_na_sentinel=False)
    return np.array([label(vocabulary, u) for u in uniques] or [""], dtype=object)[codes]


def _totals(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.groupby(keys, dropna=False).agg(amount_yi=("amount_yi", "sum"),
                                                records=("records", "sum")).reset_index()
    out["amount_yi"] = out["amount_yi"].round(2)
    return out.sort_values(["amount_yi", "records"], ascending=False, kind="stable").reset_index(drop=True)


def chain_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per chain: amount_yi (CNY project investment) and records (all kinds), largest first."""
    return _totals(_frame(gdf, frame), ["chain"])


def origin_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per origin region (with its label): amount_yi and records, largest first."""
    return _totals(_frame(gdf, frame), ["region", "origin"])


def flow_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (origin region, city, chain) for records with a known origin: amount_yi and records."""
    frame = _frame(gdf, frame)
    return _totals(frame[frame["region"] != query.MISSING], ["origin", "city", "chain"])


def monthly_totals(gdf: pd.DataFrame, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per month (yyyy-mm of the record date, else the article date; undated dropped)."""
    frame = _frame(gdf, frame)
    out = _totals(frame[frame["month"].notna()], ["month"])
    return out.sort_values("month").reset_index(drop=True)


def _base(data: pd.DataFrame) -> alt.Chart:
    # A DataFrame goes into the spec's top-level "datasets" once, when the chart is converted;
    # inline values (alt.Data) would be validated and deep-copied with every layer (10× slower).
    return alt.Chart(data)


def _configure(chart, title: str):
    return (chart.properties(title=title)
            .configure_axis(labelFont=_FONT, titleFont=_FONT, labelLimit=220)
            .configure_title(font=_FONT, anchor="start")
            .configure_legend(labelFont=_FONT, titleFont=_FONT))


def chart_by_chain(gdf: pd.DataFrame, frame: pd.DataFrame | None = None):
    """Horizontal bars: investment (亿元) per industry chain, in each chain's map colour."""
    data = chain_totals(gdf, frame)
    chains = list(data["chain"])
    chart = _base(data).mark_bar().encode(
        x=alt.X("amount_yi:Q", title=_INVEST),
        y=alt.Y("chain:N", sort=chains, title=None, axis=_EVERY_LABEL),
        color=alt.Color("chain:N", scale=alt.Scale(domain=chains, range=[chain_color(c) for c in chains]),
                        legend=None),
        tooltip=[alt.Tooltip("chain:N", title="产业链"), alt.Tooltip("amount_yi:Q", title=_INVEST, format=",.2f"),
                 alt.Tooltip("records:Q", title=_COUNT)],
    ).properties(height=max(60, 22 * len(chains)))
    return _configure(chart, "按产业链 Investment by industry chain")


def chart_by_origin(gdf: pd.DataFrame, frame: pd.DataFrame | None = None):
    """Bars: investment (亿元) per origin region (unknown origins included as their own bar)."""
    data = origin_totals(gdf, frame)
    colors = [REGION_COLORS.get(r, "#bbbbbb") for r in data["region"]]
    chart = _base(data).mark_bar().encode(
        x=alt.X("amount_yi:Q", title=_INVEST),
        y=alt.Y("origin:N", sort=list(data["origin"]), title=None, axis=_EVERY_LABEL),
        color=alt.Color("origin:N", scale=alt.Scale(domain=list(data["origin"]), range=colors), legend=None),
        tooltip=[alt.Tooltip("origin:N", title="来源"), alt.Tooltip("amount_yi:Q", title=_INVEST, format=",.2f"),
                 alt.Tooltip("records:Q", title=_COUNT)],
    ).properties(height=max(60, 28 * len(data)))
    return _configure(chart, "按来源地区 Investment by origin region")


def chart_flows(gdf: pd.DataFrame, frame: pd.DataFrame | None = None):
    """Region → city → chain as two linked heatmaps (origin × city, city × chain); no sankey in altair.

    Cell colour is the investment (亿元), the number is the record count; cities share one axis.
    """
    data = flow_totals(gdf, frame)
    cities = list(data.groupby("city")["amount_yi"].sum().sort_values(ascending=False).index)
    base = _base(data)

    def heat(column: str, title: str):
        rect = base.mark_rect().encode(
            x=alt.X(f"{column}:N", title=title, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("city:N", sort=cities, title="地市 City"),
            color=alt.Color("sum(amount_yi):Q", title=_INVEST, scale=alt.Scale(scheme="oranges")),
            tooltip=[alt.Tooltip(f"{column}:N"), alt.Tooltip("city:N"),
                     alt.Tooltip("sum(amount_yi):Q", title=_INVEST, format=",.2f"),
                     alt.Tooltip("sum(records):Q", title=_COUNT)],
        )
        text = base.mark_text(fontSize=10).encode(
            x=f"{column}:N", y=alt.Y("city:N", sort=cities), text="sum(records):Q")
        return (rect + text).properties(width=alt.Step(44), height=alt.Step(22))

    chart = alt.hconcat(heat("origin", "来源 Origin"), heat("chain", "产业链 Chain")).resolve_scale(color="shared")
    return _configure(chart, "来源 → 地市 → 产业链 Origin → city → chain")


def chart_by_month(gdf: pd.DataFrame, frame: pd.DataFrame | None = None):
    """Bars: investment (亿元) per month on a time axis (gaps between months stay visible)."""
    data = monthly_totals(gdf, frame)
    data["start"] = [f"{m}-01" for m in data["month"]]
    chart = _base(data).mark_bar(color="#d95f0e").encode(
        x=alt.X("yearmonth(start):T", title="月份 Month", axis=alt.Axis(format="%Y-%m", labelAngle=-40,
                                                                        labelOverlap="greedy")),
        y=alt.Y("amount_yi:Q", title=_INVEST),
        tooltip=[alt.Tooltip("month:O", title="月份"), alt.Tooltip("amount_yi:Q", title=_INVEST, format=",.2f"),
                 alt.Tooltip("records:Q", title=_COUNT)],
    ).properties(height=220)
    return _configure(chart, "按月份 Investment by month")
