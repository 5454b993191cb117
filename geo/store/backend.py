"""One small interface over the two stores: a GeoPackage file (the default) or a PostgreSQL + PostGIS database.

`open_store(db)` takes what the user gave as `--db` or `GEO_DB`: a `postgresql://user@host/dbname`
URL opens the PostGIS store (`geo.store.postgis`), anything else is a GeoPackage path
(`geo.store.gpkg`, `geo.store.gpkg_update`, and the corrections log beside the file). The pipeline, the
command line and the app talk to the returned `Store` only, so they never ask which one it is.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Protocol

import geopandas as gpd
import pandas as pd

from geo.store import gpkg as store, gpkg_update as store_update
from geo.errors import StoreError
from geo.models import Article, Record, SourceFile
from geo.store.gpkg_update import StoreCounts

URL_PREFIXES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def is_postgres(db) -> bool:
    """Whether `db` (a path or a URL) names a PostgreSQL database."""
    return isinstance(db, str) and db.startswith(URL_PREFIXES)


class Store(Protocol):
    """What the pipeline, the command line and the app need of a store."""

    name: str  # for messages: the file path, or the URL without its password

    def exists(self) -> bool: ...
    def lock(self) -> Iterator[None]: ...  # a context manager serialising builds across processes
    def remove_temp_files(self) -> None: ...
    def can_update(self) -> bool: ...
    def write(self, articles: list[Article], records: list[Record], files: list[SourceFile] = ()) -> None: ...
    def update(self, remove_ids: set[str], articles: list[Article], records: list[Record],
               files: list[SourceFile] = ()) -> None: ...
    def stored_articles(self) -> dict[str, str]: ...
    def known_files(self) -> dict[str, SourceFile]: ...
    def counts(self) -> StoreCounts: ...
    def read_records(self, filters=None, keep=()) -> gpd.GeoDataFrame: ...  # filters: a superset may come back
    def read_articles(self) -> pd.DataFrame: ...
    def read_state(self) -> tuple[list[Article], list[Record]]: ...
    def state_key(self) -> str: ...  # changes whenever the store's content changes (the app's cache key)
    def append_correction(self, row: dict) -> int: ...
    def correction_rows(self) -> list[tuple]: ...
    def append_link(self, row: dict) -> int: ...  # an analyst's merge/split (geo.store.corrections.save_link)
    def link_rows(self) -> list[tuple]: ...
    def link_columns(self) -> pd.DataFrame: ...  # the records' columns linkage reads (geo.link.entities)
    def write_links(self, links: pd.DataFrame, projects: gpd.GeoDataFrame) -> None: ...  # both, atomically
    def read_projects(self) -> gpd.GeoDataFrame: ...  # the `projects` layer (empty before linkage)
    def links_stale(self) -> bool: ...  # the project linkage does not cover the stored records
    def relink(self): ...  # recompute the project linkage of every record (geo.link.entities)


def open_store(db) -> Store:
    """The store named by `db`: a PostGIS store for a postgresql:// URL, else a GeoPackage file (a Store: itself)."""
    if not isinstance(db, (str, os.PathLike)):  # already a Store
        return db
    if is_postgres(db):
        from geo.store.postgis import PostgisStore

        return PostgisStore(db)
    if isinstance(db, str) and "://" in db:
        raise StoreError(f"--db {db.split('://')[0]}://… is not supported; give a GeoPackage file or a "
                         f"postgresql://user@host/dbname URL")
    return GeoPackageStore(Path(db))


class GeoPackageStore:
    """The GeoPackage file at `path` and its corrections log beside it (`<stem>.corrections.sqlite`)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.name = str(self.path)

    def exists(self) -> bool:
        return self.path.exists()

    @contextmanager
    def lock(self):
        """An exclusive lock on `.<name>.lock` beside the store (app uploads, CLI builds)."""
        store.check_writable(self.path)
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(lock_path, "a")
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc} ({lock_path})") from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def remove_temp_files(self) -> None:
        store.remove_temp_files(self.path)

    def can_update(self) -> bool:
        return self.path.is_file() and store_update.can_update(self.path)

    def write(self, articles, records, files=()) -> None:
        store.write_store(self.path, articles, records, files=files)

    def update(self, remove_ids, articles, records, files=()) -> None:
        store_update.update_store(self.path, remove_ids, articles, records, files)

    def stored_articles(self) -> dict[str, str]:
        return store_update.stored_articles(self.path)

    def known_files(self) -> dict[str, SourceFile]:
        return store_update.known_files(self.path)

    def counts(self) -> StoreCounts:
        return store_update.counts(self.path)

    def read_records(self, filters=None, keep=()) -> gpd.GeoDataFrame:
        """Every record: a file is read whole, so `filters` and `keep` change nothing here."""
        return store.read_records(self.path)

    def read_articles(self) -> pd.DataFrame:
        return store.read_articles(self.path)

    def read_state(self):
        return store.read_state(self.path)

    def state_key(self) -> str:
        try:
            info = self.path.stat()
        except OSError as exc:
            raise StoreError(f"no store at {self.path} ({exc.strerror})") from exc
        return f"{self.path}|{info.st_mtime_ns}|{info.st_ino}|{info.st_size}"

    def append_correction(self, row: dict) -> int:
        from geo.store.corrections import append_sqlite, corrections_path

        return append_sqlite(corrections_path(self.path), row)

    def correction_rows(self) -> list[tuple]:
        from geo.store.corrections import corrections_path, load_sqlite

        path = corrections_path(self.path)
        return load_sqlite(path) if path.exists() else []

    def append_link(self, row: dict) -> int:
        from geo.store.corrections import append_link_sqlite, corrections_path

        return append_link_sqlite(corrections_path(self.path), row)

    def link_rows(self) -> list[tuple]:
        from geo.store.corrections import corrections_path, load_links_sqlite

        path = corrections_path(self.path)
        return load_links_sqlite(path) if path.exists() else []

    def link_columns(self) -> pd.DataFrame:
        from geo.link import entities

        return entities.gpkg_link_columns(self.path)

    def write_links(self, links: pd.DataFrame, projects: gpd.GeoDataFrame) -> None:
        from geo.link import entities

        store.check_writable(self.path)
        entities.gpkg_write_links(self.path, links, projects)

    def read_projects(self) -> gpd.GeoDataFrame:
        from geo.link import entities

        return entities.gpkg_read_projects(self.path)

    def links_stale(self) -> bool:
        from geo.link import entities

        return entities.gpkg_links_stale(self.path)

    def relink(self):
        from geo.link import entities

        return entities.relink_store(self)

