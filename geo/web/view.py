"""What the app shows, computed once per store state and once per filter state (no streamlit here).

A `StoreView` is the store with the analysts' corrections applied, plus what the filter widgets
offer; a `Selection` is one filter state's rows, kept as row positions (never a copy of the rows)
with its headline counts. The app caches both and shares them between sessions, so a rerun with
nothing changed, or a second user with the same filters, costs nothing; only the rows on screen
(a table page, a search's matches) are ever turned into a frame.

Two implementations answer the same questions (table_page, county_metrics, map_rows, chart_rows, find,
…): `StoreView` holds every record in pandas (a GeoPackage store, read whole once per state);
`SqlStoreView` (a PostGIS store) asks the database per filter state (geo.store.sqlview), so its
answers are small however many records the store holds. `load_view` picks one; the app never asks which.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.store import corrections, query
from geo.store.backend import is_postgres, open_store
from geo.store.gpkg import points
from geo.web import charts, mapview, markers
from geo.web.correction_form import chain_choices

PAGE_SIZE = 100  # table rows sent to the browser at once
_SUMMARY_COLUMNS = ["kind", "precision", "amount_kind", "currency", "amount_yi", "project_uid", "date",
                    "article_date"]


@dataclass
class Selection:
    """One filter state: its filters, summary and counts, and (pandas) its row positions."""

    filters: query.Filters
    summary: dict
    count: int  # records passing every filter
    table_count: int  # rows of the table (hidden ones too with "show hidden")
    hidden_too: bool = False
    level: str = "county"  # choropleth level where most of the map selection's investment is
    map_positions: np.ndarray | None = None  # in view.visible, every filter but the clicked county
    positions: np.ndarray | None = None  # in view.visible, every filter
    table_positions: np.ndarray | None = None  # in the table's frame (view.current with "show hidden")


def _map_filters(filters: query.Filters) -> query.Filters:
    """The map's filters: every one but the clicked county (the map shows every county)."""
    return query.Filters(**{**vars(filters), "county_adcode": None})


@dataclass
class StoreView:
    """One state of the store in pandas: records (corrected), what is visible, and the widgets' options."""

    key: str  # changes whenever the store file or the corrections log changes
    current: pd.DataFrame  # every record, corrections applied (hidden ones flagged)
    visible: pd.DataFrame  # current without hidden records (the same object when none is hidden)
    orphans: list
    articles: pd.DataFrame
    options: dict
    chains: list = field(default_factory=list)  # chain choices for the correction forms

    @property
    def total(self) -> int:
        """Visible records in the store."""
        return len(self.visible)

    @property
    def hidden_count(self) -> int:
        """Records an analyst hid."""
        return len(self.current) - len(self.visible)

    def table_page(self, sel: Selection, number: int, size: int = PAGE_SIZE) -> pd.DataFrame:
        """Page `number` of the selection's table (hidden rows too when it was selected with them)."""
        return page(self.current if sel.hidden_too else self.visible, sel.table_positions, number, size)

    def unresolved_page(self, sel: Selection, size: int = PAGE_SIZE) -> pd.DataFrame:
        """The first `size` selected records with no place (not on the map)."""
        return page(self.visible, unresolved_positions(self, sel.positions), 1, size)

    def county_metrics(self, sel: Selection, counties: pd.DataFrame) -> pd.DataFrame:
        """query.county_metrics of the map's selection (every filter but the county)."""
        return query.county_metrics(rows(self, sel.map_positions, _METRIC_COLUMNS), counties)

    def city_totals(self, sel: Selection, cities: pd.DataFrame) -> pd.DataFrame:
        """query.city_totals of the map's selection (each project once)."""
        return query.city_totals(query.count_once(rows(self, sel.map_positions, _METRIC_COLUMNS)), cities)

    def map_rows(self, sel: Selection, columns: list[str]) -> pd.DataFrame:
        """The map selection's records (`columns` only), for geo.web.mapview.build_map."""
        return rows(self, sel.map_positions, columns)

    def map_input(self, sel: Selection, columns: list[str], counties, cities, level: str = "county",
                  max_markers: int = mapview.MAX_MARKERS):
        """(records, parts) for geo.web.mapview.build_map: here every record, and no precomputed parts."""
        return self.map_rows(sel, columns), None

    def chart_rows(self, sel: Selection) -> pd.DataFrame:
        """The selection's records for geo.web.charts.all_charts (project_uid too: each project counts once)."""
        return rows(self, sel.positions, [*charts.COLUMNS, "project_uid"])

    def selected_rows(self, sel: Selection) -> pd.DataFrame:
        """Every record of the selection (downloads)."""
        return rows(self, sel.positions)

    def find(self, text: str, limit: int = 50, also: str | None = None) -> pd.DataFrame:
        """query.find_records over every record (hidden too), with the record `also` first if not found."""
        found = query.find_records(self.current, text, limit)
        if also is not None and also not in set(found["id"]):
            chosen = self.current[self.current["id"].to_numpy() == also]
            found = pd.concat([chosen, found]) if len(chosen) else found
        return found

    def project_reports(self, uid: str) -> pd.DataFrame:
        """The visible reports of project `uid` (geo.link.lifecycle.timeline's input)."""
        return self.visible[self.visible["project_uid"].to_numpy() == uid] if "project_uid" in self.visible \
            else self.visible.iloc[:0]


_METRIC_COLUMNS = ["kind", "precision", "amount_kind", "currency", "amount_yi", "project_uid", "date",
                   "article_date", "chain", "amount_max_yi", "qualifier", "county_adcode", "city_adcode"]


def load_view(db: Path | str, log: list, key: str, in_sql: bool | None = None):
    """The store at `db` with the corrections `log` applied; `key` names this state for caches.

    A PostGIS store gives a SqlStoreView (answers computed in the database per filter state), a
    GeoPackage a StoreView (read whole); `in_sql` forces one or the other (tests, benchmarks).
    """
    source = open_store(db)
    if in_sql is None:
        in_sql = is_postgres(db)
    if in_sql:
        out = SqlStoreView.open(source, log, key)
        freeze_heap()
        return out
    records, articles = source.read_records(), source.read_articles()
    current, orphans = corrections.apply(records, log, articles)
    if "url" not in current:  # the article's address, for the popups' source link
        urls = dict(zip(articles["article_id"], articles["url"]))
        current["url"] = current["article_id"].map(urls).astype("object")
    visible = query.visible(current)
    out = StoreView(key=key, current=current, visible=visible, orphans=orphans, articles=articles,
                    options=query.options(visible), chains=chain_choices(current["chain"]))
    del records
    freeze_heap()
    return out


def release_memory(collect: bool = True) -> None:
    """Give freed heap back to the operating system (glibc's malloc_trim; nothing elsewhere).

    `collect` runs the garbage collector first (slower; for after a store is read).
    Reading 100k records frees a few hundred MB of temporary copies that glibc would otherwise keep,
    so a long-running server's RSS stayed at its peak (about 175 MB of 560 MB released at 100k).
    """
    if collect:
        gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def freeze_heap() -> None:
    """Collect cyclic garbage, return freed heap to the OS, then hide the survivors from the collector.

    Python's oldest-generation collections (and Streamlit's gc.collect() after every script run, when
    runner.postScriptGC is on; .streamlit/config.toml turns it off) walk every tracked object: with the
    libraries and a store state loaded ~200k long-lived ones (modules, functions, the records), ~0.1-0.2 s
    each time. gc.freeze() moves them to a generation the collector skips, so its runs only walk what was
    made since.
    Frozen objects are still freed by reference counting; cycles among them (none in a StoreView)
    wait for the next call, which unfreezes first: once per store state.
    """
    gc.unfreeze()
    release_memory()
    gc.freeze()


def _load_libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _load_libc()


def _sql():
    """geo.store.sqlview, imported when a PostGIS store is first asked: it pulls SQLAlchemy and GeoAlchemy2
    (~0.5 s of a cold start), which a GeoPackage store never needs."""
    from geo.store import sqlview

    return sqlview


def select(view, filters: query.Filters, show_hidden: bool = False) -> Selection:
    """One filter state (county included): its summary, counts and (pandas) row positions.

    The table may include hidden rows (`show_hidden`).
    """
    if isinstance(view, SqlStoreView):
        return view.select(filters, show_hidden)
    map_pos = query.positions(view.visible, _map_filters(filters)).astype(np.int32)
    if filters.county_adcode:
        inside = query.in_county(view.visible.iloc[map_pos][["precision", "county_adcode", "place_adcodes"]],
                                 filters.county_adcode)
        pos = map_pos[inside]
    else:
        pos = map_pos
    table_pos = query.positions(view.current, filters).astype(np.int32) if show_hidden else pos
    columns = [c for c in _SUMMARY_COLUMNS if c in view.visible]  # project_uid: stores since linkage
    summary = query.summary(view.visible[columns].iloc[pos])
    level = query.default_level(view.visible[[*columns, "county_adcode", "city_adcode"]].iloc[map_pos])
    return Selection(filters=filters, summary=summary, count=len(pos), table_count=len(table_pos),
                     hidden_too=show_hidden, level=level, map_positions=map_pos, positions=pos,
                     table_positions=table_pos)


def rows(view: StoreView, positions: np.ndarray, columns: list[str] | None = None,
         hidden_too: bool = False) -> pd.DataFrame:
    """The records at `positions` (in view.current when `hidden_too`, else view.visible).

    With `columns`, only those (one copy of a few columns instead of every text column).
    """
    frame = view.current if hidden_too else view.visible
    if columns is None:
        return frame.iloc[positions]
    return frame.iloc[positions, [frame.columns.get_loc(c) for c in columns if c in frame.columns]]


def page(frame: pd.DataFrame, positions: np.ndarray, number: int, size: int = PAGE_SIZE) -> pd.DataFrame:
    """Page `number` (from 1) of the rows at `positions`; an out-of-range number gives the last page."""
    number = min(max(number, 1), page_count(len(positions), size))
    return frame.iloc[positions[(number - 1) * size:number * size]]


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    """Pages needed for `total` rows (at least 1)."""
    return max(1, -(-total // size))


def unresolved_positions(view: StoreView, positions: np.ndarray) -> np.ndarray:
    """The positions among `positions` of records with no place (not on the map)."""
    precision = view.visible["precision"].to_numpy()[positions]
    return positions[precision == "unresolved"]


class SqlStoreView:
    """One state of a PostGIS store, answered in SQL per filter state (geo.store.sqlview).

    Holds no records: options, counts and orphans are read when the state is opened; every other
    answer is one query whose result is small (a summary, a page, one row per county or map cell).
    """

    def __init__(self, store, key: str, orphans: list, options: dict, articles: pd.DataFrame, total: int,
                 hidden_count: int):
        self.store, self.key, self.orphans, self.options, self.articles = store, key, orphans, options, articles
        self.total, self.hidden_count = total, hidden_count
        self.chains = chain_choices(pd.Series(self.options["chains"], dtype=object).replace(query.MISSING, None))

    @classmethod
    def open(cls, store, log: list, key: str) -> "SqlStoreView":
        """Bring the store's corrected records up to `log`, then read the widgets' options and counts."""
        with store._writing("apply the corrections of") as conn:
            orphans = _sql().refresh(conn, log)
        with store._reading() as conn:
            options = _sql().options(conn)
            total = _sql().count(conn, query.Filters())
            hidden = _sql().count(conn, query.Filters(), hidden_too=True) - total
            articles = _sql().articles(conn)
        return cls(store, key, orphans, options, articles, total, hidden)

    def _ask(self, function, *args, **kwargs):
        """`function(connection, *args, **kwargs)` on a connection to the store."""
        with self.store._reading() as conn:
            return function(conn, *args, **kwargs)

    def select(self, filters: query.Filters, show_hidden: bool = False) -> Selection:
        """The summary and counts of one filter state, and the choropleth level of its map selection."""
        with self.store._reading() as conn:
            summary = _sql().summary(conn, filters)
            table = _sql().count(conn, filters, hidden_too=True) if show_hidden else summary["records"]
            level = _sql().default_level(conn, _map_filters(filters))
        return Selection(filters=filters, summary=summary, count=summary["records"], table_count=table,
                         hidden_too=show_hidden, level=level)

    def table_page(self, sel: Selection, number: int, size: int = PAGE_SIZE) -> pd.DataFrame:
        """Page `number` of the selection's table, read with ORDER BY id LIMIT/OFFSET."""
        number = min(max(number, 1), page_count(sel.table_count, size))
        return self._ask(_sql().page, sel.filters, number, size, sel.hidden_too)

    def unresolved_page(self, sel: Selection, size: int = PAGE_SIZE) -> pd.DataFrame:
        """The first `size` selected records with no place."""
        return self._ask(_sql().page, sel.filters, 1, size, extra="precision = 'unresolved'")

    def county_metrics(self, sel: Selection, counties: pd.DataFrame) -> pd.DataFrame:
        """query.county_metrics of the map's selection, grouped in SQL."""
        return self._ask(_sql().county_metrics, _map_filters(sel.filters), counties)

    def city_totals(self, sel: Selection, cities: pd.DataFrame) -> pd.DataFrame:
        """query.city_totals of the map's selection, grouped in SQL."""
        return self._ask(_sql().city_totals, _map_filters(sel.filters), cities)

    def marker_count(self, sel: Selection) -> int:
        """Project markers the map would draw (above the cap it draws cells)."""
        return self._ask(_sql().marker_count, _map_filters(sel.filters))

    def map_rows(self, sel: Selection, columns: list[str]) -> pd.DataFrame:
        """The located records of the map selection (markers and city-level lists), `columns` only."""
        return self._ask(_sql().marker_rows, _map_filters(sel.filters), columns)

    def map_input(self, sel: Selection, columns: list[str], counties, cities, level: str = "county",
                  max_markers: int = mapview.MAX_MARKERS):
        """(records, parts) for geo.web.mapview.build_map: the rows drawn one by one, and the rest in SQL.

        Above `max_markers` markers the cells come from SQL and no marker row is read; city-level
        records are read up to the 30 a city's popup lists.
        """
        filters = _map_filters(sel.filters)
        with self.store._reading() as conn:
            as_cells = max_markers is not None and _sql().marker_count(conn, filters) > max_markers
            records = _sql().marker_rows(conn, filters, columns, markers=not as_cells, per_city=30)
            parts = mapview.MapParts(
                metrics=_sql().county_metrics(conn, filters, counties),
                city_totals=_sql().city_totals(conn, filters, cities) if level == "city" else None,
                flows=_flows(conn, filters), city_counts=_sql().city_counts(conn, filters),
                cells=markers.cell_dicts(_sql().cells(conn, filters, mapview.CELL_DEG)) if as_cells else None,
                cell_chains=_sql().marker_chains(conn, filters) if as_cells else None)
        return records, parts

    def cell_rows(self, sel: Selection, cell_deg: float) -> list[dict]:
        """The map selection's markers as grid cells (geo.web.markers.cell_rows), grouped in SQL."""
        return markers.cell_dicts(self._ask(_sql().cells, _map_filters(sel.filters), cell_deg))

    def flow_table(self, sel: Selection) -> pd.DataFrame:
        """geo.web.mapview.flow_table of the map selection, grouped in SQL."""
        return self._ask(_flows, _map_filters(sel.filters))

    def chart_rows(self, sel: Selection) -> pd.DataFrame:
        """The selection grouped for geo.web.charts.all_charts (a `records` count per group)."""
        grouped = self._ask(_sql().chart_frame, sel.filters)
        return pd.DataFrame({
            "chain": grouped["chain"], "origin_region": grouped["origin_region"], "city": grouped["city"],
            "precision": grouped["precision"], "date": grouped["month"], "article_date": None, "kind": "project",
            "amount_kind": "investment", "currency": "CNY",
            "amount_yi": pd.to_numeric(grouped["amount_yi"]).astype(float),
            "records": pd.to_numeric(grouped["records"]).astype(int)})

    def selected_rows(self, sel: Selection) -> pd.DataFrame:
        """Every record of the selection (downloads: the whole selection is what the user asked for)."""
        frame = self._ask(_sql().page, sel.filters, 1, max(sel.count, 1))
        return gpd.GeoDataFrame(frame, geometry=points(frame["lon"], frame["lat"]), crs="EPSG:4326")

    def find(self, text: str, limit: int = 50, also: str | None = None) -> pd.DataFrame:
        """query.find_records over every record (hidden too), with the record `also` first if not found."""
        return self._ask(_sql().find, text, limit, [also] if also else [])

    def project_reports(self, uid: str) -> pd.DataFrame:
        """The visible reports of project `uid`."""
        return self._ask(_sql().page, query.Filters(), 1, 10_000, extra="project_uid = :uid", extra_params={"uid": uid})


def _flows(conn, filters: query.Filters) -> pd.DataFrame:
    """geo.web.mapview.flow_table of the records passing `filters`, grouped in SQL."""
    from geo.places import regions

    groups = _sql().flow_groups(conn, filters, list(regions.REGIONS))
    return mapview.flows_from_groups(groups.sort_values("first").reset_index(drop=True))
