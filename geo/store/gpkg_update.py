"""Incremental writes to an existing store: only the changed articles' rows, in one SQLite transaction.

A GeoPackage is an SQLite file, so adding ten articles to a store of ten thousand is a delete of the
replaced articles' rows and an insert of the new ones, not a rewrite. For crash safety the store is
still never written in place: it is copied to a temporary file beside it (a plain file copy, tens
of milliseconds at 10k articles), the transaction runs on the copy, and the copy is renamed over
the store. A killed build leaves the old store intact and a temporary file the next build removes.

GDAL's R-tree triggers on the `records` table call `ST_IsEmpty`, `ST_MinX` … which only GDAL
defines; they are registered here for the point geometries the store holds.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import struct
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import StoreError
from geo.models import Article, Record, SourceFile, is_missing
from geo.store.gpkg import (ARTICLE_COLUMNS, RECORD_COLUMNS, articles_frame, check_store, check_writable,
                       records_frame, save_source_files, temp_files, temp_path)

_SRS_ID = 4326
# GeoPackage binary header: magic, version 0, flags (little-endian, no envelope), srs id; then WKB Point.
_HEADER = struct.pack("<2sBBi", b"GP", 0, 1, _SRS_ID)
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


@dataclass
class StoreCounts:
    """Headline counts of a store, read with SQL (no rows are loaded)."""

    articles: int = 0
    records_by_kind: dict = field(default_factory=dict)
    unresolved: int = 0
    unresolved_places: list[str] = field(default_factory=list)


def _connect(path: Path, readonly: bool = True) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def can_update(path: Path) -> bool:
    """Whether the store at `path` is readable and has every current column (else rewrite it whole)."""
    check_store(path)
    try:
        with closing(_connect(path)) as conn:
            rec = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
            art = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    except sqlite3.Error:
        return False
    return set(RECORD_COLUMNS) <= rec and set(ARTICLE_COLUMNS) <= art


def stored_articles(path: Path) -> dict[str, str]:
    """Article id → source name of every stored article."""
    with closing(_connect(path)) as conn:
        return dict(conn.execute("SELECT article_id, article FROM articles"))


def known_files(path: Path) -> dict[str, SourceFile]:
    """Absolute path → SourceFile for input files whose article is still in the store ({} if none kept)."""
    try:
        with closing(_connect(path)) as conn:
            rows = conn.execute("SELECT f.path, f.size, f.mtime_ns, f.sha1, f.article_id FROM source_files f "
                                "WHERE f.article_id IN (SELECT article_id FROM articles)").fetchall()
    except sqlite3.Error:  # no table yet (a store from before it existed): every file is read
        return {}
    return {row[0]: SourceFile(*row) for row in rows}


def counts(path: Path) -> StoreCounts:
    """Articles, records by kind and unresolved records of the store at `path`."""
    with closing(_connect(path)) as conn:
        out = StoreCounts(articles=conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        out.records_by_kind = dict(conn.execute("SELECT kind, COUNT(*) FROM records GROUP BY kind"))
        places = [p for (p,) in conn.execute("SELECT place_text FROM records WHERE precision = 'unresolved'")]
    out.unresolved = len(places)
    out.unresolved_places = sorted({p for p in places if p})
    return out


def update_store(path: Path, remove_ids: set[str], articles: list[Article], records: list[Record],
                 files: list[SourceFile] = ()) -> Path:
    """Delete the articles `remove_ids` and their records, add `articles` and `records`, remember `files`.

    One transaction on a copy of the store, then an atomic rename; raises StoreError with the
    store untouched when anything fails.
    """
    path = Path(path)
    check_writable(path)
    tmp = temp_path(path)
    try:
        shutil.copyfile(path, tmp)
        with closing(_connect(tmp, readonly=False)) as conn:
            _register_geometry_functions(conn)
            conn.execute("BEGIN IMMEDIATE")
            removed = [(i,) for i in sorted(remove_ids)]
            conn.executemany("DELETE FROM records WHERE article_id = ?", removed)
            conn.executemany("DELETE FROM articles WHERE article_id = ?", removed)
            _insert_articles(conn, articles)
            _insert_records(conn, records, articles)
            save_source_files(conn, files)
            conn.execute("COMMIT")
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot update {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    finally:
        for leftover in (tmp, *temp_files(tmp)):
            if leftover.exists():
                leftover.unlink()
    return path


def _sql_value(value):
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value  # numpy scalars → Python


def _insert_articles(conn: sqlite3.Connection, articles: list[Article]) -> None:
    frame = articles_frame(articles)
    names = ", ".join(f'"{c}"' for c in ARTICLE_COLUMNS)
    marks = ", ".join("?" * len(ARTICLE_COLUMNS))
    conn.executemany(f"INSERT INTO articles ({names}) VALUES ({marks})",
                     [tuple(_sql_value(v) for v in row) for row in frame[ARTICLE_COLUMNS].itertuples(index=False)])


def _insert_records(conn: sqlite3.Connection, records: list[Record], articles: list[Article]) -> None:
    if not records:
        return
    frame = records_frame(records, articles)
    names = ", ".join(f'"{c}"' for c in ["geom", *RECORD_COLUMNS])
    marks = ", ".join("?" * (len(RECORD_COLUMNS) + 1))
    rows = []
    for geom, row in zip(frame.geometry, frame[RECORD_COLUMNS].itertuples(index=False)):
        blob = None if geom is None else _HEADER + struct.pack("<BIdd", 1, 1, geom.x, geom.y)
        rows.append((blob, *(_sql_value(v) for v in row)))
    conn.executemany(f"INSERT INTO records ({names}) VALUES ({marks})", rows)
    located = frame.geometry.dropna()
    if len(located):
        x0, y0, x1, y1 = located.total_bounds
        conn.execute("UPDATE gpkg_contents SET min_x = MIN(IFNULL(min_x, :x0), :x0), "
                     "min_y = MIN(IFNULL(min_y, :y0), :y0), max_x = MAX(IFNULL(max_x, :x1), :x1), "
                     "max_y = MAX(IFNULL(max_y, :y1), :y1) WHERE table_name = 'records'",
                     {"x0": float(x0), "y0": float(y0), "x1": float(x1), "y1": float(y1)})


def _point_xy(blob: bytes) -> tuple[float, float]:
    """x, y of a GeoPackage Point blob (GDAL writes no envelope for points, but one is allowed)."""
    start = 8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 7]
    order = "<" if blob[start] == 1 else ">"
    return struct.unpack_from(f"{order}dd", blob, start + 5)


def _register_geometry_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions GDAL's R-tree triggers call, for Point blobs."""
    conn.create_function("ST_IsEmpty", 1, lambda b: None if b is None else int(bool(b[3] & 0x10)),
                         deterministic=True)
    conn.create_function("ST_MinX", 1, lambda b: None if b is None else _point_xy(b)[0], deterministic=True)
    conn.create_function("ST_MaxX", 1, lambda b: None if b is None else _point_xy(b)[0], deterministic=True)
    conn.create_function("ST_MinY", 1, lambda b: None if b is None else _point_xy(b)[1], deterministic=True)
    conn.create_function("ST_MaxY", 1, lambda b: None if b is None else _point_xy(b)[1], deterministic=True)
