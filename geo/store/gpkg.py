"""The embedded store: one GeoPackage file with layers `records`, `articles` and `county_summary`,
and the attribute table `source_files` (each input file's size, mtime and sha1, for incremental builds).
geo.link.entities adds the table `record_links` (record id → project_uid) and the layer `projects`;
`read_records` joins `project_uid` to the records (None where the store has no links).

Records are points in WGS-84 (EPSG:4326); unresolved records have a null geometry and are kept.
Writes go to a temporary file in the same folder and are renamed into place, so a crash in the
middle of a build leaves the previous store readable. The same input gives the same content
(no timestamps, rows sorted by id).
"""
from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import tempfile
from contextlib import closing, contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from geo.errors import StoreError
from geo.models import Article, Record, SourceFile, is_missing

logger = logging.getLogger("geo.store.gpkg")

DEFAULT_DB = Path("data/projects.gpkg")
RECORD_COLUMNS = [f.name for f in dataclasses.fields(Record)]
ARTICLE_COLUMNS = ["article_id", "article", "article_title", "article_date", "url", "categories",
                   "warnings", "text", "original_text"]
# Columns added after stores were first written: an older store reads with them empty.
_ADDED_COLUMNS = frozenset(("original_text", "sentence_original"))
_FLOAT_COLUMNS = ["amount_yi", "amount_max_yi", "lon", "lat"]
_INT_COLUMNS = ["project_count", "sentence_start"]
_BOOL_COLUMNS = ["corrected"]
_STR_COLUMNS = [c for c in RECORD_COLUMNS if c not in _FLOAT_COLUMNS + _INT_COLUMNS + _BOOL_COLUMNS]
REQUIRED_LAYERS = ("records", "articles")


def articles_frame(articles: list[Article]) -> pd.DataFrame:
    """One row per article, with the column names the export contract uses."""
    rows = [
        {
            "article_id": a.id,
            "article": a.source,
            "article_title": a.title,
            "article_date": a.date,
            "url": a.url,
            "categories": "|".join(a.categories),
            "warnings": "\n".join(a.warnings),
            "text": a.text,
            "original_text": a.original_text,
        }
        for a in articles
    ]
    frame = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    return frame.sort_values("article_id", kind="stable").reset_index(drop=True)


def records_frame(records: list[Record], articles: list[Article]) -> gpd.GeoDataFrame:
    """The records as a GeoDataFrame joined to their article's name, title and date."""
    rows = []
    for r in records:
        row = dataclasses.asdict(r)
        row["place_adcodes"] = "|".join(r.place_adcodes)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    gdf = gpd.GeoDataFrame(_typed(frame), geometry=points(frame["lon"], frame["lat"]), crs="EPSG:4326")
    return _join_articles(gdf, articles_frame(articles))


def points(lons, lats) -> list:
    """WGS-84 Point geometries from lon/lat columns; None where either is missing (unresolved)."""
    lon, lat = _floats(lons), _floats(lats)
    out = np.full(len(lon), None, dtype=object)
    known = ~(np.isnan(lon) | np.isnan(lat))
    out[known] = shapely.points(lon[known], lat[known])  # one call, not a Point per record
    return out.tolist()


def _floats(values) -> np.ndarray:
    """float64 array of a column; NaN where missing (None, NaN, pandas' NA)."""
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every record column one fixed dtype, so the GeoPackage schema never depends on the data."""
    frame = frame.copy()
    for col in _FLOAT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in _INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    for col in _BOOL_COLUMNS:
        frame[col] = frame[col].fillna(False).astype(bool)
    for col in _STR_COLUMNS:
        # object dtype keeps None (pandas 3 would infer `str` and turn None into NaN)
        frame[col] = pd.Series(_texts(frame[col]), index=frame.index, dtype=object)
    return frame


def _texts(column: pd.Series) -> np.ndarray:
    """The column as str objects, None where missing or empty (whole-column operations: a store's
    read spends most of its time here when done value by value)."""
    values = column.to_numpy(dtype=object, copy=True)
    values[pd.isna(values)] = None
    values[values == ""] = None
    if not pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
        for i in np.flatnonzero([v is not None and type(v) is not str for v in values]):
            values[i] = str(values[i])  # numbers and the like, as text
    return values


def _join_articles(gdf: gpd.GeoDataFrame, arts: pd.DataFrame) -> gpd.GeoDataFrame:
    info = arts[["article_id", "article", "article_title", "article_date"]]
    joined = gdf.merge(info, on="article_id", how="left")
    joined = gpd.GeoDataFrame(joined, geometry="geometry", crs="EPSG:4326")
    return joined.sort_values("id", kind="stable").reset_index(drop=True)


REBUILD_HINT = "python -m geo build --rebuild --input FOLDER --db {path}"
_TEMP_SUFFIX = ".tmp.gpkg"


def temp_files(path: Path) -> list[Path]:
    """Temporary files of writes to `path` (`.<name>.XXXX.tmp.gpkg` and its -journal/-wal/-shm)."""
    path = Path(path)
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.glob(f".{glob_escape(path.name)}.*{_TEMP_SUFFIX}*")
                  if p.name.endswith((_TEMP_SUFFIX, "-journal", "-wal", "-shm")))


def glob_escape(name: str) -> str:
    """`name` with glob wildcards quoted, so a store called `a[1].gpkg` matches only itself."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


def remove_temp_files(path: Path) -> list[Path]:
    """Delete what a killed write to `path` left behind; returns the files removed.

    Only safe while no other write to `path` runs: the pipeline calls it under the store lock.
    """
    removed = []
    for tmp in temp_files(path):
        try:
            tmp.unlink()
            removed.append(tmp)
        except FileNotFoundError:
            pass
        except OSError as exc:
            logger.warning("cannot remove leftover temporary file %s (%s)", tmp, exc.strerror)
    if removed:
        logger.info("removed %d temporary file(s) of an interrupted build: %s", len(removed),
                    ", ".join(p.name for p in removed))
    return removed


def check_writable(path: Path) -> None:
    """Raise StoreError unless a store can be written at `path` (not a folder, folder writable)."""
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{path} is a folder; --db must name a GeoPackage file such as {path / 'projects.gpkg'}")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise StoreError(f"cannot write {path}: {parent} is not a folder")
    if parent.is_dir() and not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"cannot write {path}: folder {parent} is not writable (permission denied)")


def temp_path(path: Path) -> Path:
    """A fresh temporary file name beside `path` that `temp_files` and `remove_temp_files` know."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
    os.close(fd)
    return Path(tmp_name)


@contextmanager
def replacing(path: Path, what: str):
    """A temporary file beside `path` to write, renamed over `path` when the block ends without error.

    Errors writing it are a StoreError naming `what`; the temporary file and its journals never stay.
    """
    tmp = temp_path(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except (OSError, sqlite3.Error, DataSourceError, DataLayerError) as exc:
        raise StoreError(f"cannot write {what}: {getattr(exc, 'strerror', None) or exc}") from exc
    finally:
        for leftover in (tmp, *temp_files(tmp)):
            if leftover.exists():
                leftover.unlink()


def write_store(path: Path, articles: list[Article], records: list[Record],
                county_summary: gpd.GeoDataFrame | None = None, files: list[SourceFile] = ()) -> Path:
    """Write a complete store atomically (temp file + rename); returns the path written.

    `files` fills the `source_files` table. Raises StoreError (nothing written) when the path is a
    folder or cannot be written.
    """
    path = Path(path)
    check_writable(path)
    gdf = records_frame(records, articles)[["geometry", *RECORD_COLUMNS]]
    arts = articles_frame(articles)
    with replacing(path, str(path)) as tmp:
        tmp.unlink()  # GDAL wants to create the file itself
        _write_layers(tmp, gdf, arts, county_summary)
        with closing(sqlite3.connect(tmp)) as conn, conn:
            save_source_files(conn, files)
    logger.info("wrote %d records from %d articles to %s", len(gdf), len(arts), path)
    return path


def _write_layers(tmp: Path, gdf: gpd.GeoDataFrame, arts: pd.DataFrame,
                  county_summary: gpd.GeoDataFrame | None) -> None:
    # An empty GeoDataFrame has no geometry type for GDAL; declare it.
    pyogrio.write_dataframe(gdf, tmp, layer="records", driver="GPKG", geometry_type="Point",
                            promote_to_multi=False)
    pyogrio.write_dataframe(arts, tmp, layer="articles", driver="GPKG")
    if county_summary is not None:
        pyogrio.write_dataframe(county_summary, tmp, layer="county_summary", driver="GPKG")


_FILES_DDL = ("CREATE TABLE IF NOT EXISTS source_files (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
              "path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
              "sha1 TEXT NOT NULL, article_id TEXT NOT NULL)")


def save_source_files(conn: sqlite3.Connection, files: list[SourceFile]) -> None:
    """Create the `source_files` attribute table if missing and insert or update `files` (same transaction)."""
    conn.execute(_FILES_DDL)
    conn.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) "
                 "VALUES ('source_files', 'attributes', 'source_files', 'input files of incremental builds')")
    conn.executemany("INSERT INTO source_files (path, size, mtime_ns, sha1, article_id) VALUES (?, ?, ?, ?, ?) "
                     "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
                     "sha1 = excluded.sha1, article_id = excluded.article_id",
                     [(f.path, f.size, f.mtime_ns, f.sha1, f.article_id) for f in files])


def check_store(path: Path) -> None:
    """Raise StoreError (with the command that makes it anew) unless `path` is a readable store."""
    if not path.exists():
        raise StoreError(f"no store at {path}: run `python -m geo build --db {path}` to create it")
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a GeoPackage store")
    hint = REBUILD_HINT.format(path=path)
    try:
        layers = {name for name, _ in pyogrio.list_layers(path)}
    except (DataSourceError, DataLayerError, sqlite3.Error, OSError) as exc:
        raise StoreError(f"{path} is not a readable GeoPackage ({exc}); make it anew from the articles "
                         f"with `{hint}`") from exc
    missing = [layer for layer in REQUIRED_LAYERS if layer not in layers]
    if missing:
        raise StoreError(f"{path} lacks layer(s) {', '.join(missing)}; make it anew from the articles "
                         f"with `{hint}`")


def _read_layer(path: Path, layer: str, **kwargs):
    try:
        return pyogrio.read_dataframe(path, layer=layer, **kwargs)
    except (DataSourceError, DataLayerError, sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot read layer {layer!r} of {path}: {exc}") from exc


def _fill_added_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    """Empty columns for those of `columns` added after the store was written (_ADDED_COLUMNS)."""
    for col in _ADDED_COLUMNS.intersection(columns).difference(frame.columns):
        frame[col] = None


def read_articles(path: Path = DEFAULT_DB) -> pd.DataFrame:
    """The articles table (id, file name, title, date, url, categories, warnings, cleaned text), by id."""
    path = Path(path)
    check_store(path)
    arts = _read_layer(path, "articles")
    _fill_added_columns(arts, ARTICLE_COLUMNS)
    for col in ARTICLE_COLUMNS:
        if col not in arts.columns:
            raise StoreError(f"{path}: articles layer lacks column {col!r}; rebuild the store with "
                             f"`{REBUILD_HINT.format(path=path)}`")
    # sorted as write_store writes them; rows an incremental build inserted come last in the file
    return arts[ARTICLE_COLUMNS].sort_values("article_id", kind="stable").reset_index(drop=True)


def read_records(path: Path = DEFAULT_DB) -> gpd.GeoDataFrame:
    """All records as a GeoDataFrame (EPSG:4326) with article name, title and date joined."""
    path = Path(path)
    check_store(path)
    gdf = _read_layer(path, "records", use_arrow=True)  # whole columns through Arrow: ~6x faster to read
    _fill_added_columns(gdf, RECORD_COLUMNS)
    missing = [c for c in RECORD_COLUMNS if c not in gdf.columns]
    if missing:
        raise StoreError(f"{path}: records layer lacks columns {missing}; rebuild the store with "
                         f"`{REBUILD_HINT.format(path=path)}`")
    if gdf.crs is None and len(gdf):
        raise StoreError(f"{path}: records layer has no CRS")
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    typed = _typed(pd.DataFrame(gdf[RECORD_COLUMNS]))
    gdf = gpd.GeoDataFrame(typed, geometry=gdf.geometry.values, crs="EPSG:4326")
    uids = {k: v for k, v in read_links(path).items() if v is not None}
    gdf["project_uid"] = gdf["id"].map(uids).astype("object").where(gdf["id"].isin(list(uids)), None)
    return _join_articles(gdf, read_articles(path))


def read_links(path: Path) -> dict[str, str]:
    """Record id → project_uid from the `record_links` table (geo.link.entities; None for a hidden project
    record); {} when the store has none."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return dict(conn.execute("SELECT record_id, project_uid FROM record_links"))
    except sqlite3.OperationalError:  # no such table: a store written before linkage existed
        return {}


def _none_if_missing(value):
    return None if is_missing(value) else value


def read_state(path: Path = DEFAULT_DB) -> tuple[list[Article], list[Record]]:
    """The store as objects again (for incremental builds): articles with their text, and records."""
    return state_from_frames(read_articles(path), read_records(path))


def state_from_frames(arts: pd.DataFrame, recs: gpd.GeoDataFrame) -> tuple[list[Article], list[Record]]:
    """Articles and records as objects, from the frames `read_articles` and `read_records` return."""
    articles = [
        Article(id=row["article_id"], source=row["article"], title=row["article_title"] or "",
                date=_none_if_missing(row["article_date"]), text=row["text"] or "",
                url=_none_if_missing(row["url"]),
                categories=[c for c in (row["categories"] or "").split("|") if c],
                warnings=[w for w in (row["warnings"] or "").split("\n") if w],
                original_text=_none_if_missing(row["original_text"]))
        for _, row in arts.iterrows()
    ]
    records = []
    for row in recs[RECORD_COLUMNS].to_dict("records"):
        values = {k: _none_if_missing(v) for k, v in row.items()}
        values["place_adcodes"] = [a for a in (values["place_adcodes"] or "").split("|") if a]
        values["corrected"] = bool(values["corrected"])
        for col in _INT_COLUMNS:
            if values[col] is not None:
                values[col] = int(values[col])
        records.append(Record(**values))
    return articles, records
