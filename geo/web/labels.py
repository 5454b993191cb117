"""Bilingual display labels for the value vocabularies of geo.models, and amount formatting.

One place for the words the map, the charts and the app show, so they never disagree.
"""
from __future__ import annotations

import csv
import functools
import math
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from geo.models import is_missing

AMOUNT_KIND_LABELS = {
    "investment": "投资额 investment",
    "output": "产值 output",
    "revenue": "营收 revenue",
    "profit_tax": "利税 profit & tax",
    "contract": "合同额 contract value",
    "orders": "订单额 orders",
    "other": "其他金额 other amount",
}
STAGE_LABELS = {
    "signed": "签约 signed",
    "started": "开工 started",
    "in_production": "投产 in production",
    "negotiating": "洽谈 negotiating",
    "planned": "计划 planned",
}
KIND_LABELS = {"project": "项目 project", "batch": "批量 batch of projects", "stat": "统计 statistic"}
PRECISION_LABELS = {
    "site": "具体地点 site",
    "zone": "园区 zone",
    "county": "县区 county",
    "city": "地市 city-level",
    "province": "全省 province-level",
    "unresolved": "未定位 unresolved",
}
ORIGIN_LABELS = {
    "guangdong": "粤港澳大湾区 Guangdong",
    "jingjinji": "京津冀 Beijing-Tianjin-Hebei",
    "yangtze_delta": "长三角 Yangtze River Delta",
    "other": "其他地区 other",
}
SOURCE_LABELS = {"machine": "机器 machine", "corrected": "已更正 corrected", "manual": "手工 manual"}
HIDDEN_LABEL = "已隐藏 hidden"
QUALIFIER_PREFIX = {"about": "约", "over": "超过", "at_least": "不低于", "at_most": "不超过"}
CURRENCY_UNITS = {"CNY": "亿元", "USD": "亿美元", "EUR": "亿欧元", "HKD": "亿港元", "JPY": "亿日元"}
MISSING_LABEL = "（未知 unknown）"


def label(vocabulary: dict, value) -> str:
    """The display label of `value` in `vocabulary`; unknown values shown as themselves, empty as unknown."""
    if is_missing(value) or value == "" or value == "_none":
        return MISSING_LABEL
    return vocabulary.get(value, str(value))


def format_amount(amount_yi, amount_max_yi=None, currency="CNY", qualifier=None) -> str:
    """"20.00 亿元", "约 5.00 亿美元", "20.00–30.00 亿元"; "" when there is no amount."""
    if is_missing(amount_yi):
        return ""
    unit = CURRENCY_UNITS.get(currency or "CNY", f"亿 {currency}")
    has_max = not is_missing(amount_max_yi)
    value = f"{amount_yi:,.2f}–{amount_max_yi:,.2f}" if has_max else f"{amount_yi:,.2f}"
    prefix = QUALIFIER_PREFIX.get(qualifier or "", "")
    return f"{prefix + ' ' if prefix else ''}{value} {unit}"


# --- colours -------------------------------------------------------------------------------
# ColorBrewer YlOrRd (5) for the choropleth; 0 gets a pale blue so it never reads as "low".
SEQUENTIAL = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
ZERO_COLOR = "#d6e6f4"
NO_DATA_COLOR = "#cfcfcf"
REGION_COLORS = {"guangdong": "#d7191c", "jingjinji": "#2c7bb6", "yangtze_delta": "#1a9641", "other": "#888888"}
# Tableau-20-like palette (24 colours ≥ chains in chains.csv): a chain keeps its colour whatever the filter (keyed, not ranked).
CHAIN_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#ad494a", "#637939", "#7b4173", "#3182bd", "#e6550d", "#31a354",
    "#756bb1", "#843c39", "#5254a3", "#8ca252", "#e7969c", "#de9ed6", "#9c9ede", "#cedb9c",
)
UNKNOWN_CHAIN_COLOR = "#9e9e9e"
_CHAINS_CSV = Path(__file__).resolve().parents[1] / "data" / "chains.csv"


@functools.lru_cache(maxsize=1)
def chain_order() -> tuple[str, ...]:
    """Chains in the order of geo/data/chains.csv (first appearance); empty if the table is absent."""
    if not _CHAINS_CSV.exists():
        return ()
    with _CHAINS_CSV.open(encoding="utf-8", newline="") as fh:
        names = [row["chain"] for row in csv.DictReader(fh) if row.get("chain")]
    return tuple(dict.fromkeys(names))


def chain_color(chain) -> str:
    """The fixed colour of an industry chain: by its row in chains.csv, else by a stable hash."""
    if chain is None or (isinstance(chain, float) and math.isnan(chain)) or chain in ("", "_none"):
        return UNKNOWN_CHAIN_COLOR
    order = chain_order()
    if chain in order:
        return CHAIN_PALETTE[order.index(chain) % len(CHAIN_PALETTE)]
    return CHAIN_PALETTE[zlib.crc32(str(chain).encode("utf-8")) % len(CHAIN_PALETTE)]


TABLE_COLUMNS = {
    "name": "名称 Name", "company": "企业 Company", "amount": "金额 Amount", "amount_kind": "金额类型 Amount kind",
    "kind": "类型 Kind", "chain": "产业链 Chain", "stage": "阶段 Stage", "origin": "来源 Origin",
    "place": "地点 Place", "precision": "定位精度 Precision", "article_title": "文章 Article",
    "sentence": "原句 Sentence", "source": "来源 Source",
}


def display_table(gdf) -> pd.DataFrame:
    """The records as the app's table: bilingual headers, amounts formatted like "20.00 亿元".

    Every cell is a string (missing values blank, not "None"), columns of dtype object. Built from
    plain lists: the app formats a page of 100 rows per filter state, and pandas' per-column
    astype/map/where cost ~9 ms a page.
    """

    def col(name) -> list:
        return gdf[name].astype("object").tolist() if name in gdf else [None] * len(gdf)

    places = col("origin_place")
    columns = {
        "name": col("name"),
        "company": col("company"),
        "amount": [format_amount(a, b, c, q) for a, b, c, q in
                   zip(col("amount_yi"), col("amount_max_yi"), col("currency"), col("qualifier"))],
        "amount_kind": [label(AMOUNT_KIND_LABELS, v) if v else "" for v in col("amount_kind")],
        "kind": [label(KIND_LABELS, v) for v in col("kind")],
        "chain": [label({}, v) for v in col("chain")],
        "stage": [label(STAGE_LABELS, v) if v else "" for v in col("stage")],
        "origin": [" ".join(x for x in (label(ORIGIN_LABELS, r) if r else "", p or "") if x)
                   for r, p in zip(col("origin_region"), _blank(places, None))],
        "place": col("place_text"),
        "precision": [label(PRECISION_LABELS, v) for v in col("precision")],
        "article_title": col("article_title"),
        "sentence": col("sentence"),
        "source": [record_source_label(s, c, h) for s, c, h in
                   zip(col("record_source"), col("corrected"), col("hidden"))],
    }
    # Where it is and who said so (machine or analyst) come first: the grid only draws the columns in view.
    order = ["name", "place", "source", *(c for c in TABLE_COLUMNS if c not in ("name", "place", "source"))]
    return pd.DataFrame({TABLE_COLUMNS[c]: pd.Series(_blank(columns[c], ""), dtype=object) for c in order},
                        index=pd.RangeIndex(len(gdf)))


def _blank(values: list, blank) -> np.ndarray:
    """`values` as an object array with `blank` where pandas sees a missing value (None, NaN, NA, NaT)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    out[pd.isna(out)] = blank
    return out


def record_source_label(source, corrected=None, hidden=None) -> str:
    """"机器 machine" / "已更正 corrected" / "手工 manual", plus " · 已隐藏 hidden" for a hidden record."""
    if not isinstance(source, str) or source not in SOURCE_LABELS:
        source = "corrected" if _flag(corrected) else "machine"
    text = SOURCE_LABELS[source]
    return f"{text} · {HIDDEN_LABEL}" if _flag(hidden) else text


def _flag(value) -> bool:
    """True for True / numpy True; False for None, NaN, pd.NA and falsy values."""
    return not is_missing(value) and str(value) == "True"


_MARKDOWN_SPECIALS = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!|<>$:~&"})


def escape_markdown(text) -> str:
    """Text safe to put in st.markdown / st.error / st.toast: every markdown special character escaped.

    Streamlit renders markdown (links, images, `:material/...:` icons, `$math$`) in those calls;
    article text and file names shown there must stay literal.
    """
    return str(text).translate(_MARKDOWN_SPECIALS)


def http_url(url) -> str | None:
    """`url` stripped if it is an http(s) address, else None: no javascript:, data: or file: link reaches a page."""
    if is_missing(url) or not str(url).strip().lower().startswith(("http://", "https://")):
        return None
    return str(url).strip()


NO_STAGE = "未标注 no stage"


def timeline_table(reports: pd.DataFrame) -> pd.DataFrame:
    """geo.link.lifecycle.timeline as the app shows it: stage labelled, amount formatted, url kept only if http(s).

    Undated reports stay (date None), last as the timeline orders them. Article text is left as text:
    the app shows it in widgets that render no markup. When, what stage and where it was said come
    first: the sentence and the name are wide.
    """
    rows = reports.reindex(columns=["date", "stage", "name", "amount_yi", "place_text", "sentence", "article_title",
                                    "url", "id"]).astype("object")

    def text(column: str, blank="") -> list:
        return list(_blank(rows[column].tolist(), blank))

    return pd.DataFrame({
        "date": text("date", None),
        "stage": [label(STAGE_LABELS, s) if isinstance(s, str) and s else NO_STAGE for s in rows["stage"]],
        "amount": [format_amount(a) for a in rows["amount_yi"]],
        "url": [http_url(u) for u in rows["url"]],
        "article_title": text("article_title"),
        "sentence": text("sentence"),
        "name": text("name"),
        "place_text": text("place_text"),
        "id": rows["id"].tolist(),
    }, dtype=object)
