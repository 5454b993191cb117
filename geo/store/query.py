"""Filters over the records frame, their URL form, and per-county / per-city summaries.

The records frame is the one `geo.store.gpkg.read_records` returns: one row per record, every
field of `geo.models.Record` plus `article`, `article_title`, `article_date`, `place_adcodes`
as a "|"-joined string. Nothing here knows about streamlit; the app mirrors `Filters` into
`st.query_params` through `to_query_params` / `from_query_params`.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.models import AMOUNT_KINDS, ORIGIN_REGIONS, STAGES, is_missing

logger = logging.getLogger("geo.store.query")

KINDS = ("project", "batch", "stat")  # stat: a figure about a place, not a project
MISSING = "_none"  # filter value standing for "field is empty" (e.g. no known origin)
# Precisions precise enough to put a record inside one county polygon.
COUNTY_PRECISIONS = ("site", "zone", "county")
TEXT_COLUMNS = ("name", "company", "place_text", "sentence")
METRICS = {
    # metric key -> (Chinese label, English label, unit)
    "investment_yi": ("投资额", "Investment", "亿元"),
    "project_count": ("项目数", "Projects", "个"),
    "chain_count": ("产业链数", "Industry chains", "个"),
}

# Filters field -> (query-param key, allowed values or None for free text)
_LIST_PARAMS = {
    "chains": ("chain", None),
    "origins": ("origin", (*ORIGIN_REGIONS, MISSING)),
    "stages": ("stage", (*STAGES, MISSING)),
    "kinds": ("kind", KINDS),
    "amount_kinds": ("amount_kind", (*AMOUNT_KINDS, MISSING)),
    "articles": ("article", None),
}
_SCALAR_PARAMS = {"date_from": "from", "date_to": "to", "text": "q", "county_adcode": "county"}
_MAX_FREE_TEXT = 200
_ADCODE_RE = re.compile(r"^14\d{4}$")


@dataclass
class Filters:
    """What the user chose. Empty lists mean "all"; dates are ISO yyyy-mm-dd strings, inclusive."""

    chains: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    amount_kinds: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    articles: list[str] = field(default_factory=list)  # article_id values
    text: str = ""
    county_adcode: str | None = None

    def is_empty(self) -> bool:
        """True when no filter is set (every record passes)."""
        return self == Filters()


def apply(gdf: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of `gdf` passing every filter, in the original order (a copy; index kept).

    - list filters match the column value; `MISSING` matches empty values;
    - dates use the record's own date, else its article's date; partial dates ("2023-07")
      count as their first day; with a date bound set, undated records are excluded;
    - text is a case-insensitive substring search over name, company, place_text, sentence;
    - county_adcode keeps records located in that county below city level (county_adcode
      equal, or a multi-county zone whose place_adcodes include it). City-level records
      are not in any county.
    """
    return gdf[_mask(gdf, filters)].copy()


def _mask(gdf: pd.DataFrame, filters: Filters) -> np.ndarray:
    mask = np.ones(len(gdf), dtype=bool)
    for attr, column in (("chains", "chain"), ("origins", "origin_region"), ("stages", "stage"),
                         ("kinds", "kind"), ("amount_kinds", "amount_kind"),
                         ("articles", "article_id")):
        wanted = getattr(filters, attr)
        if wanted:
            mask &= _isin(gdf[column], wanted)
    if filters.date_from or filters.date_to:
        mask &= _date_mask(gdf, filters.date_from, filters.date_to)
    if filters.text.strip():
        mask &= _text_mask(gdf, filters.text.strip())
    if filters.county_adcode:
        mask &= in_county(gdf, filters.county_adcode)
    return mask


def visible(gdf: pd.DataFrame) -> pd.DataFrame:
    """Records not marked wrong by an analyst (`hidden` from geo.store.corrections); all rows if no such column.

    Hidden records stay in the store and the corrections log; views, charts and exports drop them.
    """
    if "hidden" not in gdf:
        return gdf
    hidden = gdf["hidden"].astype("object").fillna(False).astype(bool).to_numpy()
    return gdf[~hidden] if hidden.any() else gdf  # no copy of a large frame when nothing is hidden


def filter_key(filters: Filters) -> str:
    """A stable text key of the filters (equal filters, equal key): for caches keyed on the view."""
    return json.dumps(to_query_params(filters), ensure_ascii=False, sort_keys=True)


def positions(gdf: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Row positions (for `iloc`) of the rows passing `filters`; as `apply` without copying the rows."""
    return np.flatnonzero(_mask(gdf, filters))


def find_records(gdf: pd.DataFrame, text: str, limit: int = 50) -> pd.DataFrame:
    """Up to `limit` rows whose id starts with `text` or whose name, company, place or sentence contains it.

    Id matches come first; an empty `text` gives the first `limit` rows. For a record picker that
    never lists every record.
    """
    text = text.strip()
    if not text:
        return gdf.iloc[:limit]
    by_id = gdf["id"].astype(str).str.startswith(text).to_numpy(dtype=bool)
    hits = np.concatenate([np.flatnonzero(by_id), np.flatnonzero(_text_mask(gdf, text) & ~by_id)])
    return gdf.iloc[hits[:limit]]


def _isin(series: pd.Series, wanted: list[str]) -> np.ndarray:
    values = [v for v in wanted if v != MISSING]
    out = series.isin(values).to_numpy(dtype=bool)
    if MISSING in wanted:
        out = out | _blank(series)
    return out


def _blank(series: pd.Series) -> np.ndarray:
    return (series.isna() | (series.astype("object").fillna("") == "")).to_numpy(dtype=bool)


def effective_dates(gdf: pd.DataFrame) -> pd.Series:
    """The record date, else the article date, as yyyy-mm-dd strings (None if neither)."""
    own = gdf["date"].astype("object")
    art = gdf["article_date"].astype("object") if "article_date" in gdf else pd.Series(None, index=gdf.index)
    merged = own.where(own.notna() & (own != ""), art)
    codes, uniques = pd.factorize(merged, use_na_sentinel=False)  # few distinct dates among many rows
    padded = np.array([_pad_date(u) for u in uniques] or [None], dtype=object)
    return pd.Series(padded[codes], index=gdf.index, dtype=object)


def _pad_date(value) -> str | None:
    if is_missing(value) or value == "":
        return None
    text = str(value)[:10]
    if len(text) == 4:
        return text + "-01-01"
    if len(text) == 7:
        return text + "-01"
    return text


def _date_mask(gdf: pd.DataFrame, date_from: str | None, date_to: str | None) -> np.ndarray:
    dates = effective_dates(gdf)
    known = dates.notna().to_numpy(dtype=bool)
    values = dates.fillna("")
    mask = known.copy()
    if date_from:
        mask &= (values >= date_from).to_numpy(dtype=bool)
    if date_to:
        mask &= (values <= date_to).to_numpy(dtype=bool)
    return mask


def _text_mask(gdf: pd.DataFrame, text: str) -> np.ndarray:
    needle = text.casefold()
    mask = np.zeros(len(gdf), dtype=bool)
    for column in TEXT_COLUMNS:
        hay = gdf[column].astype("object").fillna("").astype(str).str.casefold()
        mask |= hay.str.contains(needle, regex=False).to_numpy(dtype=bool)
    return mask


def in_county(gdf: pd.DataFrame, adcode: str) -> np.ndarray:
    """Boolean mask: records located in county `adcode` at site/zone/county precision."""
    precise = gdf["precision"].isin(COUNTY_PRECISIONS).to_numpy(dtype=bool)
    own = (gdf["county_adcode"] == adcode).fillna(False).to_numpy(dtype=bool)
    covered = (
        gdf["place_adcodes"].astype("object").fillna("").astype(str)
        .map(lambda s: adcode in s.split("|")).to_numpy(dtype=bool)
    )
    zone_wide = gdf["county_adcode"].isna().to_numpy(dtype=bool) & covered
    return precise & (own | zone_wide)


# --- URL query parameters -----------------------------------------------------------------


def to_query_params(filters: Filters) -> dict[str, str | list[str]]:
    """The filters as URL query parameters; unset filters are left out (so "all" is an empty URL)."""
    params: dict[str, str | list[str]] = {}
    for attr, (key, _) in _LIST_PARAMS.items():
        values = getattr(filters, attr)
        if values:
            params[key] = list(values)
    for attr, key in _SCALAR_PARAMS.items():
        value = getattr(filters, attr)
        if value:
            params[key] = str(value)
    return params


def from_query_params(params: Mapping) -> Filters:
    """Filters from URL query parameters (values str or list of str).

    Unknown keys and bad values are dropped with a logged warning: a shared link with a typo
    still opens the app, showing more rather than crashing.
    """
    known = {key for key, _ in _LIST_PARAMS.values()} | set(_SCALAR_PARAMS.values())
    for key in params:
        if key not in known:
            logger.debug("query parameter %r is not a filter; ignored", key)
    out = Filters()
    for attr, (key, allowed) in _LIST_PARAMS.items():
        values = []
        for value in _as_list(params.get(key)):
            if allowed is not None and value not in allowed:
                logger.warning("ignoring %s=%r: expected one of %s", key, value, ", ".join(allowed))
            elif allowed is None and not _ok_free_text(value):
                logger.warning("ignoring %s=%r: empty or too long", key, value)
            elif value not in values:
                values.append(value)
        setattr(out, attr, values)
    for attr in ("date_from", "date_to"):
        value = _last(params.get(_SCALAR_PARAMS[attr]))
        if value is not None:
            setattr(out, attr, _valid_date(_SCALAR_PARAMS[attr], value))
    text = _last(params.get("q"))
    if text is not None:
        out.text = text if len(text) <= _MAX_FREE_TEXT else ""
        if len(text) > _MAX_FREE_TEXT:
            logger.warning("ignoring q=%r...: longer than %d characters", text[:20], _MAX_FREE_TEXT)
    county = _last(params.get("county"))
    if county is not None:
        if _ADCODE_RE.match(county):
            out.county_adcode = county
        else:
            logger.warning("ignoring county=%r: not a Shanxi county adcode (14xxxx)", county)
    return out


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _last(value) -> str | None:
    values = _as_list(value)
    return values[-1] if values else None


def _ok_free_text(value: str) -> bool:
    return 0 < len(value.strip()) <= _MAX_FREE_TEXT


def _valid_date(key: str, value: str) -> str | None:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        logger.warning("ignoring %s=%r: not an ISO date (yyyy-mm-dd)", key, value)
        return None


# --- widget options ----------------------------------------------------------------------


def options(gdf: pd.DataFrame) -> dict:
    """Values available for each filter widget, most frequent first (empty values as MISSING).

    Keys: chains, origins, stages, kinds, amount_kinds (lists), articles (dict article_id →
    title), date_min, date_max (ISO strings or None).
    """
    out: dict = {}
    for attr, column in (("chains", "chain"), ("origins", "origin_region"), ("stages", "stage"),
                         ("kinds", "kind"), ("amount_kinds", "amount_kind")):
        out[attr] = _values_by_count(gdf[column]) if column in gdf else []
    titles = gdf[["article_id", "article_title"]].drop_duplicates("article_id") if len(gdf) else None
    out["articles"] = {} if titles is None else {
        str(row.article_id): str(row.article_title) if pd.notna(row.article_title) else str(row.article_id)
        for row in titles.itertuples()
    }
    dates = effective_dates(gdf).dropna() if len(gdf) else pd.Series([], dtype=object)
    out["date_min"] = min(dates) if len(dates) else None
    out["date_max"] = max(dates) if len(dates) else None
    return out


def _values_by_count(series: pd.Series) -> list[str]:
    values = series.astype("object").where(~pd.Series(_blank(series), index=series.index), MISSING)
    counts = values.value_counts()
    # Sort by count, then by value, so the order is stable between runs.
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] == MISSING, str(kv[0])))
    return [str(v) for v, _ in ordered]


# --- summaries ---------------------------------------------------------------------------

_PRECISION_RANK = {"site": 0, "zone": 1, "county": 2, "city": 3, "province": 4, "unresolved": 5}
_AMOUNT_COLUMNS = ("amount_yi", "amount_max_yi", "amount_kind", "currency", "qualifier")


def count_once(gdf: pd.DataFrame) -> pd.DataFrame:
    """The rows to count: each project entity (`project_uid`, geo.link.entities) once, other rows as they are.

    Of the selection's reports of one project, the finest-located (then latest) row stands for it,
    carrying the latest report's investment figure (not the sum of the reports). A frame without
    `project_uid`, or where no project is reported twice, is returned as it is (no copy). Records
    keep their provenance in the store; only totals and counts use this. Sorting is done on integer
    codes with numpy (100k rows in tens of milliseconds): the app calls this for every summary.
    """
    if "project_uid" not in gdf or not len(gdf):
        return gdf
    uid = gdf["project_uid"].to_numpy(dtype=object)
    linked = pd.notna(uid) & (gdf["kind"].to_numpy(dtype=object) == "project")
    if not linked.any():
        return gdf
    pos = np.flatnonzero(linked)
    codes = pd.factorize(uid[pos])[0]
    twice = np.bincount(codes)[codes] > 1
    if not twice.any():
        return gdf
    pos, codes = pos[twice], codes[twice]
    rows = gdf.iloc[pos, [gdf.columns.get_loc(c) for c in
                          ("kind", "precision", "date", "article_date", *_AMOUNT_COLUMNS) if c in gdf]]
    rank = rows["precision"].map(_PRECISION_RANK).fillna(5).to_numpy()
    day = pd.factorize(effective_dates(rows).fillna("").to_numpy(dtype=object), sort=True)[0]
    kept = pos[_first_per_code(codes, np.lexsort((pos, -day, rank, codes)))]
    invest = investment_mask(rows)
    order = np.lexsort((pos, -day, codes))
    order = order[invest[order]]
    carriers = _first_per_code(codes, order)  # positions within `rows`, one per entity with a figure
    keep = np.ones(len(gdf), dtype=bool)
    keep[pos] = False
    keep[kept] = True
    out = gdf.iloc[np.flatnonzero(keep)]
    if len(carriers):
        kept_of = dict(zip(codes[np.searchsorted(pos, kept)], kept))
        target = out.index.get_indexer(gdf.index[[kept_of[c] for c in codes[carriers]]])
        for col in _AMOUNT_COLUMNS:
            if col in out:
                out.iloc[target, out.columns.get_loc(col)] = rows[col].to_numpy()[carriers]
    return out


def _first_per_code(codes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The first index of `order` for each distinct value of codes[order] (order sorted by code first)."""
    if not len(order):
        return order
    sorted_codes = codes[order]
    return order[np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]]


def investment_mask(gdf: pd.DataFrame) -> np.ndarray:
    """Rows whose amount may be summed as an investment in CNY (projects only, never batches)."""
    return (
        (gdf["kind"] == "project").fillna(False).to_numpy(dtype=bool)
        & (gdf["amount_kind"] == "investment").fillna(False).to_numpy(dtype=bool)
        & (gdf["currency"] == "CNY").fillna(False).to_numpy(dtype=bool)
        & gdf["amount_yi"].notna().to_numpy(dtype=bool)
    )


def county_metrics(gdf: pd.DataFrame, counties: pd.DataFrame) -> pd.DataFrame:
    """Per county (one row per adcode in `counties`): investment_yi, project_count, chain_count.

    Only records located in the county count: precision site/zone/county AND county_adcode
    set. Batches (aggregates of several projects) and city- or province-level records are
    never smeared onto counties; multi-county zones without a county_adcode are not split.
    - investment_yi: sum of amount_yi (the stated, or lower-bound, value in 亿元) over records
      with kind "project", amount_kind "investment" and currency CNY;
    - project_count: number of kind "project" records;
    - chain_count: distinct industry chains among those projects;
    - record_count: every located record (any kind or amount kind);
    - has_data: record_count > 0. A county with records but no investment figure has
      investment_yi 0, which the map shows differently from "no data".
    """
    gdf = count_once(gdf)
    base = pd.DataFrame({"adcode": counties["adcode"].astype(str).to_numpy(),
                         "name": counties["name"].astype(str).to_numpy()})
    located = gdf.loc[gdf["precision"].isin(COUNTY_PRECISIONS) & gdf["county_adcode"].notna(),
                      [*_STAT_COLUMNS, "county_adcode"]]  # only these columns: no copy of the text
    stats = _group_stats(located, "county_adcode")
    out = base.merge(stats, left_on="adcode", right_index=True, how="left")
    return _fill_stats(out)


def city_metrics(gdf: pd.DataFrame, cities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per city: the city-level records only (precision "city"), which no county owns.

    Columns: adcode, name, investment_yi / project_count / chain_count / record_count
    (as in county_metrics, projects only), batch_count, has_data. With `cities` given, one
    row per city there; otherwise one row per city that has city-level records.
    """
    gdf = count_once(gdf)
    city_level = gdf[(gdf["precision"] == "city") & gdf["city_adcode"].notna()]
    stats = _group_stats(city_level, "city_adcode")
    batches = city_level[city_level["kind"] == "batch"].groupby("city_adcode").size()
    stats["batch_count"] = batches.reindex(stats.index).fillna(0).astype(int)
    if cities is not None:
        base = pd.DataFrame({"adcode": cities["adcode"].astype(str).to_numpy(),
                             "name": cities["name"].astype(str).to_numpy()})
    else:
        names = city_level.groupby("city_adcode")["city"].first()
        base = pd.DataFrame({"adcode": names.index.astype(str), "name": names.astype(str).to_numpy()})
    out = base.merge(stats, left_on="adcode", right_index=True, how="left")
    out["batch_count"] = out["batch_count"].fillna(0).astype(int)
    return _fill_stats(out)


_STAT_COLUMNS = ["kind", "amount_kind", "currency", "amount_yi", "chain"]
LEVELS = ("county", "city")  # choropleth levels


def city_totals(gdf: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    """Per city (one row per adcode in `cities`): every record located in that one city.

    Unlike city_metrics (city-level records only), this counts records at site, zone, county and
    city precision with a city_adcode: the city-level choropleth. Zones inside one city count for
    it; zones spanning cities (no city_adcode) count for none. Columns as in county_metrics.
    """
    gdf = count_once(gdf)
    base = pd.DataFrame({"adcode": cities["adcode"].astype(str).to_numpy(),
                         "name": cities["name"].astype(str).to_numpy()})
    located = gdf.loc[gdf["precision"].isin((*COUNTY_PRECISIONS, "city")) & gdf["city_adcode"].notna(),
                      [*_STAT_COLUMNS, "city_adcode"]]
    out = base.merge(_group_stats(located, "city_adcode"), left_on="adcode", right_index=True, how="left")
    return _fill_stats(out)


def default_level(gdf: pd.DataFrame) -> str:
    """"county" when at least as much CNY project investment is located to counties as to cities only.

    The choropleth then shows where most of the selection's investment is; with no investment, "county".
    """
    gdf = count_once(gdf)
    invest = gdf.loc[investment_mask(gdf), ["precision", "county_adcode", "city_adcode", "amount_yi"]]
    in_county = invest["precision"].isin(COUNTY_PRECISIONS) & invest["county_adcode"].notna()
    city_only = (invest["precision"] == "city") & invest["city_adcode"].notna()
    return "county" if invest.loc[in_county, "amount_yi"].sum() >= invest.loc[city_only, "amount_yi"].sum() else "city"


def _group_stats(located: pd.DataFrame, key: str) -> pd.DataFrame:
    invest = located[investment_mask(located)]
    projects = located[located["kind"] == "project"]
    stats = pd.DataFrame({
        "investment_yi": invest.groupby(key)["amount_yi"].sum(),
        "project_count": projects.groupby(key).size(),
        "chain_count": projects.dropna(subset=["chain"]).groupby(key)["chain"].nunique(),
        "record_count": located.groupby(key).size(),
    })
    stats.index = stats.index.astype(str)
    return stats


def _fill_stats(out: pd.DataFrame) -> pd.DataFrame:
    out["record_count"] = out["record_count"].fillna(0).astype(int)
    out["has_data"] = out["record_count"] > 0
    out["investment_yi"] = out["investment_yi"].fillna(0.0).astype(float).round(4)
    for col in ("project_count", "chain_count"):
        out[col] = out[col].fillna(0).astype(int)
    return out.reset_index(drop=True)


def summary(gdf: pd.DataFrame) -> dict:
    """Headline counts for the filtered frame: records, projects, batches, unresolved, investment_yi.

    investment_yi follows the county rule minus location: CNY investment of projects only. Projects and
    investment count each project entity once (count_once); records counts every report.
    """
    records = len(gdf)
    gdf = count_once(gdf)
    return {
        "records": int(records),
        "projects": int((gdf["kind"] == "project").sum()),
        "batches": int((gdf["kind"] == "batch").sum()),
        "unresolved": int((gdf["precision"] == "unresolved").sum()),
        "investment_yi": float(gdf.loc[investment_mask(gdf), "amount_yi"].sum()),
    }
