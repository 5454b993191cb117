"""What the app shows of a PostGIS store, computed in SQL: filters, summaries, metrics, options, pages.

The pandas view (geo.web.view) reads every record once per store state; here each filter state is a
few queries whose answers are small (a summary row, one row per county, a table page, the map's
markers or grid cells), so the records never travel to Python whole. Every function matches its
pandas counterpart in geo.store.query (filters, count_once, summary, county_metrics, city_totals,
default_level, options) or geo.web (flows, chart totals, marker cells) row for row.

Corrections: `refresh` applies the corrections log (geo.store.corrections.apply, the same code as the
GeoPackage path) to the records the log touches only, and keeps the result in `corrected_records`
(with the generation and log position it was made for). Queries read `records` minus those ids plus
`corrected_records`, so an analyst's edit costs work in proportion to the log, not to the store.

A filter state's selection and its count_once are computed once into temporary tables of the
database session (`_sel`), which every answer of that state then reads.
"""
from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
import sqlalchemy as sa

from geo.store.gpkg import RECORD_COLUMNS, _typed
from geo.store.postgis import exact_conditions
from geo.store.query import MISSING, TEXT_COLUMNS, Filters

_FIELDS = list(RECORD_COLUMNS)
# The columns of a row, in the order of the pandas view's frame (geometry aside: lon and lat are there).
ROW_COLUMNS = [*_FIELDS, "project_uid", "article", "article_title", "article_date", "hidden", "record_source", "url"]
_ROW = ", ".join(ROW_COLUMNS)
_OPTION_COLUMNS = (("chains", "chain"), ("origins", "origin_region"), ("stages", "stage"), ("kinds", "kind"),
                   ("amount_kinds", "amount_kind"))
_C = 'COLLATE "C"'  # byte order of UTF-8 = Python's code-point order of str

# Every record as the app sees it: corrected where the log touches it, article fields and project joined.
_CURRENT = f"""
current AS (
  SELECT {', '.join(f'r.{c}' for c in _FIELDS)}, l.project_uid, false AS hidden,
         CASE WHEN r.corrected THEN 'corrected' ELSE 'machine' END AS record_source
  FROM records r LEFT JOIN record_links l ON l.record_id = r.id
  WHERE NOT EXISTS (SELECT 1 FROM corrected_records c WHERE c.id = r.id)
  UNION ALL
  SELECT {', '.join(f'c.{c}' for c in _FIELDS)}, c.project_uid, c.hidden, c.record_source FROM corrected_records c
), app AS (
  SELECT cur.*, a.article, a.article_title, a.article_date, a.url,
         CASE WHEN d.x IS NULL OR d.x = '' THEN NULL WHEN length(d.x) = 4 THEN d.x || '-01-01'
              WHEN length(d.x) = 7 THEN d.x || '-01' ELSE d.x END AS eff_date
  FROM current cur LEFT JOIN articles a ON a.article_id = cur.article_id,
       LATERAL (SELECT left(coalesce(nullif(cur.date, ''), a.article_date), 10) AS x) d
)"""

# count_once (geo.store.query): each linked project once, at its finest-located (then latest) report,
# carrying its latest investment figure (window functions only: no self-join). Needs a CTE `sel`.
_AMOUNTS = ("amount_yi", "amount_max_yi", "amount_kind", "currency", "qualifier")
_COUNTED_COLUMNS = ("id", "kind", "precision", "chain", "county_adcode", "city_adcode", "city", "origin_region",
                    "origin_place", "place_text", "lon", "lat", "eff_date")
_INVEST = "(kind = 'project' AND amount_kind = 'investment' AND currency = 'CNY' AND amount_yi IS NOT NULL)"
_LATEST = f"coalesce(eff_date, '') {_C} DESC, id {_C}"
_COUNT_ONCE = f"""
multi AS (  -- projects with more than one report in the store: the only ones a selection can hold twice
  SELECT project_uid FROM record_links GROUP BY project_uid HAVING count(*) > 1
  UNION SELECT project_uid FROM corrected_records WHERE project_uid IS NOT NULL
), lk AS (
  SELECT {', '.join(f's.{c}' for c in (*_COUNTED_COLUMNS, *_AMOUNTS))},
         coalesce(s.kind = 'project' AND m.project_uid IS NOT NULL, false) AS linked,
         s.project_uid, coalesce({_INVEST.replace('(kind', '(s.kind')}, false) AS invest,
         CASE s.precision WHEN 'site' THEN 0 WHEN 'zone' THEN 1 WHEN 'county' THEN 2 WHEN 'city' THEN 3
                          WHEN 'province' THEN 4 ELSE 5 END AS prank
  FROM sel s LEFT JOIN multi m ON m.project_uid = s.project_uid
), grp AS (
  SELECT lk.*, row_number() OVER (PARTITION BY project_uid ORDER BY prank, {_LATEST}) AS keep_rank,
         bool_or(invest) OVER (PARTITION BY project_uid) AS has_carrier,
         {', '.join(f'first_value({a}) OVER carrier AS c_{a}' for a in _AMOUNTS)}
  FROM lk WHERE linked
  WINDOW carrier AS (PARTITION BY project_uid ORDER BY invest DESC, {_LATEST})
), counted AS (
  SELECT {', '.join((*_COUNTED_COLUMNS, *_AMOUNTS))} FROM lk WHERE NOT linked
  UNION ALL
  SELECT {', '.join(_COUNTED_COLUMNS)},
         {', '.join(f'CASE WHEN has_carrier THEN c_{a} ELSE {a} END AS {a}' for a in _AMOUNTS)}
  FROM grp WHERE keep_rank = 1
)"""


def where(filters: Filters, hidden_too: bool = False) -> tuple[str, dict]:
    """The WHERE clause over `app` for `filters`, exactly as geo.store.query.positions selects rows."""
    conditions, params = exact_conditions(filters)
    if not hidden_too:
        conditions.insert(0, "NOT hidden")
    if filters.date_from or filters.date_to:
        conditions.append("eff_date IS NOT NULL")
    if filters.date_from:
        params["date_from"] = filters.date_from
        conditions.append(f"eff_date {_C} >= :date_from")
    if filters.date_to:
        params["date_to"] = filters.date_to
        conditions.append(f"eff_date {_C} <= :date_to")
    text = filters.text.strip()
    if text:
        params["needle"] = text.casefold()
        conditions.append("(" + " OR ".join(f"strpos(lower(coalesce({c}, '')), :needle) > 0"
                                            for c in TEXT_COLUMNS) + ")")
    return ("WHERE " + " AND ".join(conditions)) if conditions else "", params


def _inline(filters: Filters, hidden_too: bool = False) -> tuple[str, dict]:
    """`WITH current, app, sel` for one filter state, computed inside the query (counts, lookups)."""
    clause, params = where(filters, hidden_too)
    return f"WITH {_CURRENT}, sel AS (SELECT * FROM app {clause})", params


_KEPT = 8  # temporary tables a connection keeps (two per filter state); the oldest are dropped


def _sel(conn: sa.Connection, filters: Filters, hidden_too: bool = False, counted: bool = False) -> tuple[str, dict]:
    """`WITH sel` (and `counted`: count_once of it) for one filter state, read from temporary tables.

    The selection and its count_once are computed once per connection, store state and filter state
    (tables named by a hash of the three, committed so that later checkouts of the connection reuse
    them), so the ten or so answers of a filter change scan them instead of recomputing both.
    """
    clause, params = where(filters, hidden_too)
    state = tuple(conn.execute(sa.text(
        "SELECT s.generation, c.generation, c.seq FROM store_state s, corrected_state c")).one())
    key = hashlib.sha1(repr((clause, sorted(params.items()), state)).encode()).hexdigest()[:24]
    sel = _temporary(conn, f"sel_{key}", f"WITH {_CURRENT} SELECT * FROM app {clause}", params)
    head = f"WITH sel AS (SELECT * FROM {sel})"
    if counted:
        once = _temporary(conn, f"counted_{key}", f"{head}, {_COUNT_ONCE} SELECT * FROM counted", {})
        head += f", counted AS (SELECT * FROM {once})"
    return head, {}


def _temporary(conn: sa.Connection, name: str, sql: str, params: dict) -> str:
    """The temporary table `name` holding `sql`'s rows, made (and committed) unless this connection has it."""
    made = conn.info.setdefault("geo_temporary", [])  # lives as long as the database session
    if name not in made:
        while len(made) >= _KEPT:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {made.pop(0)}"))
        conn.execute(sa.text(f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} AS {sql}"), params)
        conn.execute(sa.text(f"ANALYZE {name}"))
        conn.commit()
        made.append(name)
    return name


def _frame(conn: sa.Connection, sql: str, params: dict) -> pd.DataFrame:
    result = conn.execute(sa.text(sql), params)
    return pd.DataFrame(result.all(), columns=list(result.keys()), dtype=object)


# --- corrections ---------------------------------------------------------------------------


def refresh(conn: sa.Connection, log: list) -> list:
    """Bring `corrected_records` up to the store's generation and `log`; returns the orphan corrections.

    Only the records the log names are read and corrected (geo.store.corrections.apply); the table is
    replaced only when it was made for an older (generation, last seq), so concurrent app servers
    never roll it back. Call inside a write transaction.
    """
    from geo.store import corrections

    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x67656F + 2})
    generation = conn.execute(sa.text("SELECT generation FROM store_state")).scalar()
    seq = log[-1].seq if log else 0
    ids = sorted({c.record_id for c in log})
    touched = _touched(conn, ids)
    articles = _frame(conn, "SELECT article_id, article, article_title, article_date FROM articles "
                            "WHERE article_id = ANY(:a)", {"a": sorted({c.article_id for c in log if c.article_id})})
    fixed, orphans = corrections.apply(touched, log, articles)
    made_for = tuple(conn.execute(sa.text("SELECT generation, seq FROM corrected_state")).one())
    if made_for == (generation, seq) or made_for > (generation, seq):
        return orphans
    conn.execute(sa.text("DELETE FROM corrected_records"))
    columns = [*_FIELDS, "project_uid", "hidden", "record_source"]
    rows = [{c: _plain(v) for c, v in zip(columns, values)}
            for values in fixed[columns].itertuples(index=False, name=None)]
    if rows:
        conn.execute(sa.text(f"INSERT INTO corrected_records ({', '.join(columns)}) "
                             f"VALUES ({', '.join(':' + c for c in columns)})"), rows)
    conn.execute(sa.text("UPDATE corrected_state SET generation = :g, seq = :s"), {"g": generation, "s": seq})
    return orphans


def _touched(conn: sa.Connection, ids: list[str]) -> pd.DataFrame:
    """The stored records `ids` (machine values) with their project, typed as geo.store.gpkg reads them."""
    raw = _frame(conn, f"SELECT {', '.join(f'r.{c}' for c in _FIELDS)}, l.project_uid FROM records r "
                       f"LEFT JOIN record_links l ON l.record_id = r.id WHERE r.id = ANY(:ids) ORDER BY r.id", {"ids": ids})
    if raw.empty:
        raw = pd.DataFrame(columns=[*_FIELDS, "project_uid"])
    typed = _typed(raw[_FIELDS])
    typed["project_uid"] = raw["project_uid"].to_numpy(dtype=object)
    typed["geometry"] = None
    return typed


def _plain(value):
    """A Python value psycopg can bind (None for pandas' missing values, int/float for numpy numbers)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


# --- one filter state ----------------------------------------------------------------------


def count(conn: sa.Connection, filters: Filters, hidden_too: bool = False) -> int:
    """How many records pass `filters` (hidden ones too with `hidden_too`)."""
    head, params = _inline(filters, hidden_too)
    return int(conn.execute(sa.text(f"{head} SELECT count(*) FROM sel"), params).scalar())


def summary(conn: sa.Connection, filters: Filters) -> dict:
    """geo.store.query.summary of the visible records passing `filters`."""
    head, params = _sel(conn, filters, counted=True)
    row = conn.execute(sa.text(
        f"{head} SELECT (SELECT count(*) FROM sel), count(*) FILTER (WHERE kind = 'project'), "
        f"count(*) FILTER (WHERE kind = 'batch'), count(*) FILTER (WHERE precision = 'unresolved'), "
        f"coalesce(sum(amount_yi) FILTER (WHERE {_INVEST}), 0) FROM counted"), params).one()
    return {"records": int(row[0]), "projects": int(row[1]), "batches": int(row[2]), "unresolved": int(row[3]),
            "investment_yi": float(row[4])}


_PRECISE = "precision IN ('site', 'zone', 'county')"


def default_level(conn: sa.Connection, filters: Filters) -> str:
    """geo.store.query.default_level: "county" unless more investment is located to cities only."""
    head, params = _sel(conn, filters, counted=True)
    county, city = conn.execute(sa.text(
        f"{head} SELECT "
        f"coalesce(sum(amount_yi) FILTER (WHERE {_PRECISE} AND county_adcode IS NOT NULL), 0), "
        f"coalesce(sum(amount_yi) FILTER (WHERE precision = 'city' AND city_adcode IS NOT NULL), 0) "
        f"FROM counted WHERE {_INVEST}"), params).one()
    return "county" if county >= city else "city"


def _stats(conn: sa.Connection, filters: Filters, key: str, located: str) -> pd.DataFrame:
    head, params = _sel(conn, filters, counted=True)
    frame = _frame(conn, (
        f"{head} SELECT {key} AS adcode, coalesce(sum(amount_yi) FILTER (WHERE {_INVEST}), 0) "
        f"AS investment_yi, count(*) FILTER (WHERE kind = 'project') AS project_count, "
        f"count(DISTINCT chain) FILTER (WHERE kind = 'project') AS chain_count, count(*) AS record_count, "
        f"count(*) FILTER (WHERE kind = 'batch') AS batch_count "
        f"FROM counted WHERE {located} AND {key} IS NOT NULL GROUP BY {key}"), params)
    return frame.set_index("adcode") if len(frame) else pd.DataFrame(
        columns=["investment_yi", "project_count", "chain_count", "record_count", "batch_count"])


def _metrics(base: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    from geo.store.query import _fill_stats

    out = pd.DataFrame({"adcode": base["adcode"].astype(str).to_numpy(), "name": base["name"].astype(str).to_numpy()})
    stats = stats.drop(columns="batch_count").astype(float)
    return _fill_stats(out.merge(stats, left_on="adcode", right_index=True, how="left"))


def county_metrics(conn: sa.Connection, filters: Filters, counties: pd.DataFrame) -> pd.DataFrame:
    """geo.store.query.county_metrics of the records passing `filters`."""
    return _metrics(counties, _stats(conn, filters, "county_adcode", _PRECISE))


def city_totals(conn: sa.Connection, filters: Filters, cities: pd.DataFrame) -> pd.DataFrame:
    """geo.store.query.city_totals of the records passing `filters`."""
    return _metrics(cities, _stats(conn, filters, "city_adcode", "precision IN ('site', 'zone', 'county', 'city')"))


def options(conn: sa.Connection) -> dict:
    """geo.store.query.options of the visible records: values by count, articles by first record, date bounds."""
    head, params = _inline(Filters())  # asked once per store state: no copy of every record
    out: dict = {}
    for attr, column in _OPTION_COLUMNS:
        counts = conn.execute(sa.text(
            f"{head} SELECT CASE WHEN {column} IS NULL OR {column} = '' THEN :missing ELSE {column} END AS v, "
            f"count(*) FROM sel GROUP BY 1"), {**params, "missing": MISSING}).all()
        ordered = sorted(counts, key=lambda kv: (-kv[1], kv[0] == MISSING, str(kv[0])))
        out[attr] = [str(v) for v, _ in ordered]
    titles = conn.execute(sa.text(
        f"{head} SELECT DISTINCT ON (article_id) article_id, article_title, id FROM sel "
        f"ORDER BY article_id, id {_C}"), params).all()
    out["articles"] = {str(a): str(t) if t is not None else str(a)
                       for a, t, _ in sorted(titles, key=lambda r: r[2])}
    lo, hi = conn.execute(sa.text(f"{head} SELECT min(eff_date {_C}), max(eff_date {_C}) FROM sel"), params).one()
    out["date_min"], out["date_max"] = lo, hi
    return out


def articles(conn: sa.Connection) -> pd.DataFrame:
    """Every article's id, file name and title, by id (not their text: the forms list titles)."""
    return _frame(conn, "SELECT article_id, article, article_title FROM articles ORDER BY article_id", {})


def page(conn: sa.Connection, filters: Filters, number: int, size: int, hidden_too: bool = False,
         extra: str | None = None, extra_params: dict | None = None) -> pd.DataFrame:
    """Rows `number` (from 1) of the records passing `filters`, by id, as geo.web.view.page gives them.

    `extra`: one more condition of ours (SQL over the record columns, with `extra_params`). A lookup in
    every record (no filter, an extra condition) is computed inline rather than copying the store.
    """
    lookup = extra and filters == Filters()
    head, params = _inline(filters, hidden_too) if lookup else _sel(conn, filters, hidden_too)
    frame = _frame(conn, f"{head} SELECT {_ROW} FROM sel {f'WHERE {extra}' if extra else ''} "
                         f"ORDER BY id {_C} LIMIT :size OFFSET :skip",
                   {**params, **(extra_params or {}), "size": size, "skip": (max(number, 1) - 1) * size})
    return typed_rows(frame)


def typed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows read from `app` with the dtypes of the pandas view (floats, Int64, bools; text as object)."""
    frame = frame.drop(columns=["eff_date"], errors="ignore")
    for col in ("amount_yi", "amount_max_yi", "lon", "lat"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ("project_count", "sentence_start"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    for col in ("corrected", "hidden"):
        if col in frame:
            frame[col] = frame[col].fillna(False).astype(bool)
    return frame.reset_index(drop=True)


# --- the map and the charts ----------------------------------------------------------------

_DISPLAYED = f"{_PRECISE} AND lon IS NOT NULL AND lat IS NOT NULL"


def marker_count(conn: sa.Connection, filters: Filters) -> int:
    """How many records the map draws as project markers (geo.web.markers.display_mask)."""
    head, params = _sel(conn, filters)
    return int(conn.execute(sa.text(f"{head} SELECT count(*) FROM sel WHERE {_DISPLAYED}"), params).scalar())


def marker_rows(conn: sa.Connection, filters: Filters, columns: list[str], markers: bool = True,
                per_city: int | None = None) -> pd.DataFrame:
    """The records the map draws row by row, by id: the markers (unless not `markers`) and the city- and
    province-level records (with `per_city`, only the first of each city: its popup lists that many)."""
    head, params = _sel(conn, filters)
    city_level = "precision IN ('city', 'province') AND lon IS NOT NULL"
    names = ", ".join(columns)
    limit = "" if per_city is None else f"WHERE n_city <= {int(per_city)}"
    city = (f"SELECT {names} FROM (SELECT *, row_number() OVER (PARTITION BY coalesce(city_adcode, 'province') "
            f"ORDER BY id {_C}) AS n_city FROM sel WHERE {city_level}) s {limit}")
    shown = f"SELECT {names} FROM sel WHERE {_DISPLAYED} UNION ALL {city}" if markers else city
    return typed_rows(_frame(conn, f"{head} SELECT * FROM ({shown}) t ORDER BY id {_C}", params))


def city_counts(conn: sa.Connection, filters: Filters) -> dict:
    """City- and province-level records with a point, per city_adcode ("province" for none)."""
    head, params = _sel(conn, filters)
    return dict(conn.execute(sa.text(
        f"{head} SELECT coalesce(city_adcode, 'province'), count(*) FROM sel "
        f"WHERE precision IN ('city', 'province') AND lon IS NOT NULL GROUP BY 1"), params).all())


def marker_chains(conn: sa.Connection, filters: Filters) -> pd.Series:
    """Markers per chain (MISSING for none), most first (ties: the chain seen first, by id)."""
    head, params = _sel(conn, filters)
    rows = conn.execute(sa.text(
        f"{head} SELECT coalesce(chain, :missing), count(*), min(id {_C}) FROM sel WHERE {_DISPLAYED} "
        f"GROUP BY 1 ORDER BY 2 DESC, 3"), {**params, "missing": MISSING}).all()
    return pd.Series([n for _, n, _ in rows], index=[c for c, _, _ in rows], dtype=int, name="count")


def cells(conn: sa.Connection, filters: Filters, cell_deg: float) -> pd.DataFrame:
    """Markers binned on a `cell_deg` grid (geo.web.markers.cell_rows' statistics), grouped in SQL.

    One row per non-empty cell: gx, gy, lon, lat (the mean point), n, invest (CNY project investment)
    and chain (the most frequent; ties to the first in code-point order, "" for none).
    """
    head, params = _sel(conn, filters)
    return _frame(conn, (
        f"{head}, pts AS (SELECT id, floor(lon / :deg)::int AS gx, floor(lat / :deg)::int AS gy, lon, lat, "
        f"coalesce(chain, '') AS chain, CASE WHEN {_INVEST} THEN amount_yi ELSE 0 END AS invest "
        f"FROM sel WHERE {_DISPLAYED}), "
        f"tops AS (SELECT DISTINCT ON (gx, gy) gx, gy, chain FROM (SELECT gx, gy, chain, count(*) AS k "
        f"FROM pts GROUP BY gx, gy, chain) t ORDER BY gx, gy, k DESC, chain {_C}) "
        f"SELECT p.gx, p.gy, avg(p.lon) AS lon, avg(p.lat) AS lat, count(*) AS n, sum(p.invest) AS invest, "
        f"min(t.chain) AS chain FROM pts p JOIN tops t USING (gx, gy) GROUP BY p.gx, p.gy ORDER BY p.gx, p.gy"),
        {**params, "deg": cell_deg})


def flow_groups(conn: sa.Connection, filters: Filters, regions: list[str]) -> pd.DataFrame:
    """Counted records with an origin in `regions` and a point, grouped by origin and destination point.

    Columns: region, origin_place, lon, lat (rounded to 4 places as numpy does: rint of x·10⁴), coarse, records, amount_yi (CNY
    project investment), place (the first record's place text, else city), first (its id).
    """
    head, params = _sel(conn, filters, counted=True)
    return _frame(conn, (
        f"{head} SELECT origin_region AS region, origin_place, round(lon * 10000) / 10000 AS lon, "
        f"round(lat * 10000) / 10000 AS lat, (kind = 'batch' OR precision IN ('city', 'province')) AS coarse, "
        f"count(*) AS records, sum(CASE WHEN {_INVEST} THEN amount_yi ELSE 0 END) AS amount_yi, "
        f"(array_agg(coalesce(place_text, city, '') ORDER BY id {_C}))[1] AS place, min(id {_C}) AS first "
        f"FROM counted WHERE origin_region = ANY(:regions) AND lon IS NOT NULL GROUP BY 1, 2, 3, 4, 5"),
        {**params, "regions": list(regions)})


def chart_frame(conn: sa.Connection, filters: Filters) -> pd.DataFrame:
    """The charts' counted records grouped by (chain, origin_region, city, precision, month): records, amount_yi."""
    head, params = _sel(conn, filters, counted=True)
    return _frame(conn, (
        f"{head} SELECT chain, origin_region, city, precision, left(eff_date, 7) AS month, "
        f"count(*) AS records, sum(CASE WHEN {_INVEST} THEN amount_yi ELSE 0 END) AS amount_yi "
        f"FROM counted GROUP BY 1, 2, 3, 4, 5"), params)


def find(conn: sa.Connection, text: str, limit: int, ids: list[str] = ()) -> pd.DataFrame:
    """geo.store.query.find_records over every record (hidden too), plus the records `ids`."""
    text = text.strip()
    head, params = _inline(Filters(), hidden_too=True)
    if not text:
        sql = f"{head} SELECT {_ROW} FROM sel ORDER BY id {_C} LIMIT :limit"
    else:
        by_text = " OR ".join(f"strpos(lower(coalesce({c}, '')), :needle) > 0" for c in TEXT_COLUMNS)
        sql = (f"{head} SELECT {_ROW} FROM (SELECT *, CASE WHEN starts_with(id, :prefix) THEN 0 ELSE 1 END AS o "
               f"FROM sel WHERE starts_with(id, :prefix) OR {by_text}) t ORDER BY o, id {_C} LIMIT :limit")
        params.update(prefix=text, needle=text.casefold())
    found = _frame(conn, sql, {**params, "limit": limit})
    extra = [i for i in ids if i not in set(found.get("id", []))]
    if extra:
        more = _frame(conn, f"{head} SELECT {_ROW} FROM sel WHERE id = ANY(:ids)", {**params, "ids": extra})
        found = pd.concat([more, found], ignore_index=True)
    return typed_rows(found)

