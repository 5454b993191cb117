"""What the app shows, computed once per store state and once per filter state (no streamlit here).

A `StoreView` is the store with the analysts' corrections applied, plus what the filter widgets
offer; a `Selection` is one filter state's rows, kept as row positions (never a copy of the rows)
with its headline counts. The app caches both and shares them between sessions, so a rerun with
nothing changed, or a second user with the same filters, costs nothing; only the rows on screen
(a table page, a search's matches) are ever turned into a frame.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.store import corrections, query
from geo.web.correction_form import chain_choices
from geo.store.backend import open_store

PAGE_SIZE = 100  # table rows sent to the browser at once
_SUMMARY_COLUMNS = ["kind", "precision", "amount_kind", "currency", "amount_yi", "project_uid", "date",
                    "article_date"]


@dataclass
class StoreView:
    """One state of the store: records (corrected), what is visible, and the widgets' options."""

    key: str  # changes whenever the store file or the corrections log changes
    current: pd.DataFrame  # every record, corrections applied (hidden ones flagged)
    visible: pd.DataFrame  # current without hidden records (the same object when none is hidden)
    orphans: list
    articles: pd.DataFrame
    options: dict
    chains: list = field(default_factory=list)  # chain choices for the correction forms


@dataclass
class Selection:
    """One filter state: row positions in the map frame and in the table frame, and its summary."""

    map_positions: np.ndarray  # in view.visible, every filter but the clicked county
    positions: np.ndarray  # in view.visible, every filter
    table_positions: np.ndarray  # in the table's frame (view.current with "show hidden")
    summary: dict
    level: str = "county"  # choropleth level where most of the map selection's investment is


def load_view(db: Path | str, log: list, key: str) -> StoreView:
    """Read the store at `db`, apply the corrections `log`; `key` names this state for caches."""
    source = open_store(db)
    records, articles = source.read_records(), source.read_articles()
    current, orphans = corrections.apply(records, log, articles)
    if "url" not in current:  # the article's address, for the popups' source link
        urls = dict(zip(articles["article_id"], articles["url"]))
        current["url"] = current["article_id"].map(urls).astype("object")
    visible = query.visible(current)
    out = StoreView(key=key, current=current, visible=visible, orphans=orphans, articles=articles,
                    options=query.options(visible), chains=chain_choices(current["chain"]))
    del records
    release_memory()
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


def _load_libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _load_libc()


def select(view: StoreView, filters: query.Filters, show_hidden: bool = False) -> Selection:
    """The rows of one filter state (county included), as positions; the table may include hidden rows."""
    map_filters = query.Filters(**{**vars(filters), "county_adcode": None})
    map_pos = query.positions(view.visible, map_filters).astype(np.int32)
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
    return Selection(map_positions=map_pos, positions=pos, table_positions=table_pos, summary=summary,
                     level=level)


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
