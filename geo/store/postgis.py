"""The PostgreSQL + PostGIS store: the same tables as the GeoPackage, in a database a team shares.

`--db postgresql://user@host/dbname` (or `GEO_DB`) selects it. Tables: `articles`, `records`
(geometry(Point, 4326), GiST index, filter indexes on county/city adcode, chain, stage and date),
`source_files` (incremental builds), `corrections` and `entity_links` (the analysts' append-only logs
of record corrections and of project merges/splits, which no build touches), `record_links` (record id
→ project_uid) and `projects` (geometry(Point, 4326), one row per project entity) written by
geo.link.entities, `store_state` (a counter every write bumps: the app's cache key) and `schema_version`
(one row per forward migration applied; see MIGRATIONS).

Every write is one transaction, so readers see the old rows or the new ones, never half a build;
builds are serialised with a PostgreSQL advisory lock; each correction is its own INSERT with an
identity sequence number, so two editors saving at once both keep their edit. Connection problems,
a database of some other program and a schema newer than this code are StoreErrors.
"""
from __future__ import annotations

import logging
from collections.abc import Collection
from contextlib import contextmanager

import geopandas as gpd
import pandas as pd
import sqlalchemy as sa
from geoalchemy2 import Geometry
from geoalchemy2.shape import from_shape
from sqlalchemy import exc as sa_exc

from geo.errors import StoreError
from geo.models import Article, Record, SourceFile
from geo.store.query import COUNTY_PRECISIONS, MISSING, Filters
from geo.store.gpkg import (ARTICLE_COLUMNS, RECORD_COLUMNS, _join_articles, _typed, articles_frame, records_frame,
                       state_from_frames)
from geo.store.gpkg_update import StoreCounts, _sql_value

logger = logging.getLogger("geo.store.postgis")

SRID = 4326
_LOCK_KEY = 0x67656F  # pg_advisory_lock key of builds ("geo")
_SCHEMA_LOCK_KEY = 0x67656F + 1  # migrations
_OUR_TABLES = ("articles", "records", "source_files", "corrections", "store_state")

# Forward migrations: version → statements, applied in order in one transaction each. Never edit a
# released one; add the next version instead (ALTER TABLE … ADD COLUMN, CREATE INDEX …).
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        """CREATE TABLE articles (
            article_id text PRIMARY KEY, article text, article_title text, article_date text, url text,
            categories text, warnings text, text text, original_text text)""",
        """CREATE TABLE records (
            fid bigserial PRIMARY KEY, geom geometry(Point, 4326),
            id text NOT NULL, kind text, article_id text, sentence text, name text, company text,
            amount_yi double precision, amount_max_yi double precision, amount_kind text, amount_text text,
            currency text, qualifier text, project_count bigint, chain text, chain_keyword text,
            origin_region text, origin_place text, stage text, date text, date_end text, place_text text,
            precision text, lon double precision, lat double precision, county_adcode text, county text,
            city_adcode text, city text, zone text, place_adcodes text, sentence_start bigint,
            corrected boolean NOT NULL DEFAULT false, sentence_original text)""",
        "CREATE INDEX records_geom ON records USING gist (geom)",
        "CREATE INDEX records_id ON records (id)",
        "CREATE INDEX records_article_id ON records (article_id)",
        "CREATE INDEX records_county_adcode ON records (county_adcode)",
        "CREATE INDEX records_city_adcode ON records (city_adcode)",
        "CREATE INDEX records_chain ON records (chain)",
        "CREATE INDEX records_stage ON records (stage)",
        "CREATE INDEX records_date ON records (date)",
        """CREATE TABLE source_files (
            path text PRIMARY KEY, size bigint NOT NULL, mtime_ns bigint NOT NULL, sha1 text NOT NULL,
            article_id text NOT NULL)""",
        """CREATE TABLE corrections (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, record_id text NOT NULL, article_id text,
            action text NOT NULL CHECK (action IN ('edit', 'hide', 'unhide', 'add')),
            fields text NOT NULL DEFAULT '{}', author text, note text, created_at text NOT NULL)""",
        "CREATE INDEX corrections_record ON corrections (record_id)",
        "CREATE TABLE store_state (generation bigint NOT NULL)",
        "INSERT INTO store_state (generation) VALUES (0)",
    ],
    2: [  # project linkage (geo.link.entities): the analysts' merges/splits, record → project, the projects layer
        """CREATE TABLE entity_links (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            action text NOT NULL CHECK (action IN ('merge', 'split')), record_id text NOT NULL, other_id text,
            author text, note text, created_at text NOT NULL)""",
        "CREATE TABLE record_links (record_id text PRIMARY KEY, project_uid text)",
        """CREATE TABLE projects (
            fid bigserial PRIMARY KEY, geom geometry(Point, 4326), project_uid text NOT NULL, name text,
            company text, current_stage text, stages text, signed_date text, started_date text,
            production_date text, first_date text, last_date text, amount_yi double precision,
            amount_record_id text, amounts text, member_count bigint, article_count bigint, record_ids text,
            chain text, precision text, county_adcode text, county text, city_adcode text, city text)""",
        "CREATE INDEX projects_geom ON projects USING gist (geom)",
    ],
    3: [  # the corrected records the app queries (geo.store.sqlview): the log applied to the rows it touches
        "CREATE TABLE corrected_records (LIKE records)",
        "ALTER TABLE corrected_records DROP COLUMN fid, DROP COLUMN geom, ADD COLUMN project_uid text, "
        "ADD COLUMN hidden boolean NOT NULL DEFAULT false, ADD COLUMN record_source text NOT NULL, ADD PRIMARY KEY (id)",
        "CREATE TABLE corrected_state (generation bigint NOT NULL, seq bigint NOT NULL)",
        "INSERT INTO corrected_state (generation, seq) VALUES (-1, -1)",
    ],
}
LATEST = max(MIGRATIONS)

# Core tables for inserts (GeoAlchemy2 binds shapely points as EWKB); the DDL above is the schema.
_meta = sa.MetaData()
_articles = sa.Table("articles", _meta, *(sa.Column(c, sa.Text) for c in ARTICLE_COLUMNS))
_records = sa.Table(
    "records", _meta, sa.Column("geom", Geometry("POINT", srid=SRID, spatial_index=False)),
    *(sa.Column(c, sa.Float if c in ("amount_yi", "amount_max_yi", "lon", "lat") else
                sa.BigInteger if c in ("project_count", "sentence_start") else
                sa.Boolean if c == "corrected" else sa.Text) for c in RECORD_COLUMNS))
_engines: dict[str, sa.Engine] = {}


def engine_url(db: str) -> sa.URL:
    """The SQLAlchemy URL of `db` with the psycopg 3 driver (postgres:// and postgresql:// alike)."""
    try:
        url = sa.make_url(db)
    except sa_exc.ArgumentError as exc:
        raise StoreError(f"--db {db!r} is not a database URL such as postgresql://user@host/dbname") from exc
    if not url.database:
        raise StoreError(f"--db {url.render_as_string(hide_password=True)} names no database "
                         f"(postgresql://user@host/dbname)")
    return url.set(drivername="postgresql+psycopg")


def _engine(url: sa.URL) -> sa.Engine:
    key = url.render_as_string(hide_password=False)
    if key not in _engines:
        _engines[key] = sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    return _engines[key]


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__


_LIST_FILTERS = (("chains", "chain"), ("origins", "origin_region"), ("stages", "stage"), ("kinds", "kind"),
                 ("amount_kinds", "amount_kind"), ("articles", "article_id"))


def exact_conditions(filters: Filters) -> tuple[list[str], dict]:
    """SQL conditions (and parameters) of the list filters and the clicked county, exactly as
    `geo.store.query` keeps rows (MISSING matches an empty value; a zone's host list counts)."""
    conditions, params = [], {}
    for attr, column in _LIST_FILTERS:
        wanted = getattr(filters, attr)
        if not wanted:
            continue
        params[attr] = [v for v in wanted if v != MISSING]
        test = f"{column} = ANY(:{attr})"
        if MISSING in wanted:
            test = f"({test} OR {column} IS NULL OR {column} = '')"
        conditions.append(test)
    if filters.county_adcode:
        params["county"], params["precise"] = filters.county_adcode, list(COUNTY_PRECISIONS)
        conditions.append("(precision = ANY(:precise) AND (county_adcode = :county OR (county_adcode IS NULL "
                          "AND :county = ANY(string_to_array(coalesce(place_adcodes, ''), '|')))))")
    return conditions, params


def filter_sql(filters: Filters, keep: Collection[str] = ()) -> tuple[str, dict]:
    """A WHERE clause (and its parameters) keeping every record that may pass `filters`, and `keep`.

    The list filters and the clicked county are exact here (`exact_conditions`); dates and text are
    left to pandas, so the clause selects a superset.
    """
    conditions, params = exact_conditions(filters)
    if not conditions:
        return "", {}
    where = " AND ".join(conditions)
    if keep:
        params["keep"] = sorted(keep)
        where = f"({where}) OR id = ANY(:keep)"
    return f"WHERE {where}", params


class PostgisStore:
    """The store in the PostgreSQL database at `db` (a postgresql:// URL)."""

    def __init__(self, db: str):
        self.url = engine_url(db)
        self.name = self.url.set(drivername=self.url.drivername.split("+")[0]).render_as_string(hide_password=True)
        self.engine = _engine(self.url)

    # -- connections, errors and schema ------------------------------------------------------

    @contextmanager
    def _errors(self, doing: str):
        """Database errors as StoreError naming the store and what was being done."""
        try:
            yield
        except sa_exc.OperationalError as exc:
            hint = " Is the server running and the database created?" if "connect" in str(exc) else ""
            raise StoreError(f"cannot {doing} PostgreSQL store {self.name}: {_first_line(exc)}.{hint}") from exc
        except sa_exc.DBAPIError as exc:
            hint = ("; ask a superuser to run CREATE EXTENSION postgis in this database"
                    if "extension" in str(exc) else "")
            raise StoreError(f"cannot {doing} PostgreSQL store {self.name}: {_first_line(exc)}{hint}") from exc

    def _version(self, conn: sa.Connection) -> int:
        """The schema version of the database (0: none of our tables); StoreError for a foreign or newer one."""
        found = set(conn.execute(sa.text("SELECT t FROM unnest(CAST(:names AS text[])) AS t "
                                         "WHERE to_regclass(t) IS NOT NULL"),
                                 {"names": [*_OUR_TABLES, "schema_version"]}).scalars())
        if "schema_version" not in found:
            if found:
                raise StoreError(f"{self.name} holds tables ({', '.join(sorted(found))}) this program did not "
                                 f"make (no schema_version table); use an empty database for the store")
            return 0
        try:
            with conn.begin_nested():
                version = conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar()
        except sa_exc.ProgrammingError as exc:
            raise StoreError(f"{self.name}: its schema_version table is not this program's ({_first_line(exc)}); "
                             f"use an empty database for the store") from exc
        if not isinstance(version, int) or version < 1:
            raise StoreError(f"{self.name}: its schema_version table is empty or foreign; use an empty database")
        if version > LATEST:
            raise StoreError(f"{self.name} has schema version {version}, newer than this program's {LATEST}; "
                             f"update the program")
        missing = set(_OUR_TABLES) - found
        if missing:
            raise StoreError(f"{self.name} lacks table(s) {', '.join(sorted(missing))}; make the store anew in an "
                             f"empty database with `python -m geo build --rebuild --db {self.name}`")
        return version

    def _migrate(self, conn: sa.Connection) -> None:
        """Create the schema or bring it forward to LATEST (in the caller's transaction, one at a time)."""
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK_KEY})
        version = self._version(conn)
        if version == LATEST:
            return
        if version == 0:
            conn.execute(sa.text("CREATE TABLE schema_version (version integer PRIMARY KEY, "
                                 "applied_at timestamptz NOT NULL DEFAULT now())"))
        for number in range(version + 1, LATEST + 1):
            for statement in MIGRATIONS[number]:
                conn.execute(sa.text(statement))
            conn.execute(sa.text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": number})
            logger.info("%s: schema migrated to version %d", self.name, number)

    @contextmanager
    def _reading(self, doing: str = "read"):
        """A connection to a store that exists (else StoreError saying how to make it)."""
        with self._errors(doing), self.engine.connect() as conn:
            version = self._version(conn)
            if version == 0:
                raise StoreError(f"no store in {self.name}: run `python -m geo build --db {self.name}` to create it")
            conn.info["geo_version"] = version  # a store of version 1 has no linkage tables until its next write
            yield conn

    @contextmanager
    def _writing(self, doing: str = "write"):
        """One transaction with the schema made or migrated first; rolled back on any error."""
        with self._errors(doing), self.engine.begin() as conn:
            self._migrate(conn)
            yield conn

    # -- the Store interface ------------------------------------------------------------------

    def exists(self) -> bool:
        with self._errors("open"), self.engine.connect() as conn:
            return self._version(conn) > 0

    @contextmanager
    def lock(self):
        """A session-level advisory lock held for the whole build (other builds wait for it)."""
        with self._errors("open"), self.engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                conn.commit()

    def remove_temp_files(self) -> None:
        """Nothing to do: a killed build's transaction is rolled back by the server."""

    def can_update(self) -> bool:
        return self.exists()

    def write(self, articles: list[Article], records: list[Record], files: list[SourceFile] = ()) -> None:
        """Replace the whole content (not the corrections) in one transaction."""
        with self._writing() as conn:
            for table in ("records", "articles", "source_files"):
                conn.execute(sa.text(f"DELETE FROM {table}"))
            self._insert(conn, articles, records, files)
        logger.info("wrote %d records from %d articles to %s", len(records), len(articles), self.name)

    def update(self, remove_ids: set[str], articles: list[Article], records: list[Record],
               files: list[SourceFile] = ()) -> None:
        """Delete the articles `remove_ids` and their records, add these, remember `files`: one transaction."""
        with self._writing("update") as conn:
            removed = [{"a": i} for i in sorted(remove_ids)]
            if removed:
                conn.execute(sa.text("DELETE FROM records WHERE article_id = :a"), removed)
                conn.execute(sa.text("DELETE FROM articles WHERE article_id = :a"), removed)
            self._insert(conn, articles, records, files)

    def _insert(self, conn: sa.Connection, articles: list[Article], records: list[Record],
                files: list[SourceFile]) -> None:
        arts = articles_frame(articles)
        if len(arts):
            conn.execute(_articles.insert(), [{c: _sql_value(v) for c, v in row.items()}
                                              for row in arts[ARTICLE_COLUMNS].to_dict("records")])
        if records:
            frame = records_frame(records, articles)
            rows = []
            for geom, row in zip(frame.geometry, frame[RECORD_COLUMNS].to_dict("records")):
                values = {c: _sql_value(v) for c, v in row.items()}
                values["geom"] = None if geom is None else from_shape(geom, srid=SRID)
                rows.append(values)
            conn.execute(_records.insert(), rows)
        if files:
            conn.execute(sa.text(
                "INSERT INTO source_files (path, size, mtime_ns, sha1, article_id) "
                "VALUES (:path, :size, :mtime_ns, :sha1, :article_id) ON CONFLICT (path) DO UPDATE SET "
                "size = excluded.size, mtime_ns = excluded.mtime_ns, sha1 = excluded.sha1, "
                "article_id = excluded.article_id"),
                [{"path": f.path, "size": f.size, "mtime_ns": f.mtime_ns, "sha1": f.sha1,
                  "article_id": f.article_id} for f in files])
        conn.execute(sa.text("UPDATE store_state SET generation = generation + 1"))

    def stored_articles(self) -> dict[str, str]:
        with self._reading() as conn:
            return dict(conn.execute(sa.text("SELECT article_id, article FROM articles")).all())

    def known_files(self) -> dict[str, SourceFile]:
        with self._reading() as conn:
            rows = conn.execute(sa.text(
                "SELECT path, size, mtime_ns, sha1, article_id FROM source_files "
                "WHERE article_id IN (SELECT article_id FROM articles)")).all()
        return {row[0]: SourceFile(*row) for row in rows}

    def counts(self) -> StoreCounts:
        with self._reading() as conn:
            out = StoreCounts(articles=conn.execute(sa.text("SELECT count(*) FROM articles")).scalar())
            out.records_by_kind = dict(conn.execute(sa.text("SELECT kind, count(*) FROM records GROUP BY kind")).all())
            places = conn.execute(sa.text("SELECT place_text FROM records WHERE precision = 'unresolved'")).scalars().all()
        out.unresolved = len(places)
        out.unresolved_places = sorted({p for p in places if p})
        return out

    def read_articles(self) -> pd.DataFrame:
        """The articles table, sorted by id (as the GeoPackage store returns it)."""
        with self._reading() as conn:
            arts = pd.read_sql(sa.text(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY article_id"),
                               conn, dtype=object)
        return arts.reset_index(drop=True)

    def read_records(self, filters: Filters | None = None, keep: Collection[str] = ()) -> gpd.GeoDataFrame:
        """Records (EPSG:4326) with article name, title and date joined.

        With `filters`, only rows that may pass them are read (the indexed list filters and the
        county, in SQL), plus the records `keep` (those a correction touches, whose corrected
        values may pass): a superset, so callers still apply `geo.store.query.apply`.
        """
        where, params = filter_sql(filters, keep) if filters is not None else ("", {})
        with self._reading() as conn:
            linked = conn.info["geo_version"] >= 2
            uid, join = (("l.project_uid", "LEFT JOIN record_links l ON l.record_id = r.id") if linked else
                         ("NULL AS project_uid", ""))
            sql = (f"SELECT r.geom, {', '.join(f'r.{c}' for c in RECORD_COLUMNS)}, {uid} "
                   f"FROM records r {join} {where} ORDER BY r.fid")
            raw = gpd.read_postgis(sa.text(sql), conn, geom_col="geom", crs=f"EPSG:{SRID}", params=params)
            info = pd.read_sql(sa.text("SELECT article_id, article, article_title, article_date FROM articles"),
                               conn, dtype=object)
        typed = _typed(pd.DataFrame(raw[RECORD_COLUMNS]))
        gdf = gpd.GeoDataFrame(typed, geometry=raw.geometry.values, crs=f"EPSG:{SRID}")
        uid = raw["project_uid"].astype("object")
        gdf["project_uid"] = pd.Series(uid.where(uid.notna(), None).tolist(), index=gdf.index, dtype="object")
        return _join_articles(gdf, info)

    def read_state(self) -> tuple[list[Article], list[Record]]:
        return state_from_frames(self.read_articles(), self.read_records())

    def state_key(self) -> str:
        with self._reading() as conn:
            return f"{self.name}|{conn.execute(sa.text('SELECT generation FROM store_state')).scalar()}"

    def append_correction(self, row: dict) -> int:
        """Insert one correction in its own transaction; returns its sequence number."""
        with self._writing("save a correction to") as conn:
            return conn.execute(sa.text(
                "INSERT INTO corrections (record_id, article_id, action, fields, author, note, created_at) "
                "VALUES (:record_id, :article_id, :action, :fields, :author, :note, :created_at) RETURNING seq"),
                row).scalar()

    def links_stale(self) -> bool:
        """True when `record_links` does not cover exactly the project records (as geo.link.entities.links_stale)."""
        with self._reading() as conn:
            if conn.info["geo_version"] < 2:
                return True
            return bool(conn.execute(sa.text(
                "SELECT EXISTS (SELECT 1 FROM records r WHERE r.kind = 'project' AND NOT EXISTS "
                "(SELECT 1 FROM record_links l WHERE l.record_id = r.id)) OR EXISTS (SELECT 1 FROM record_links l "
                "WHERE l.record_id NOT LIKE 'manual-%' AND NOT EXISTS (SELECT 1 FROM records r "
                "WHERE r.id = l.record_id))")).scalar())

    def relink(self):
        from geo.link import entities

        return entities.relink_store(self)

    def link_columns(self) -> pd.DataFrame:
        """The records' columns that linkage reads, with each article's date (geo.link.entities.link_columns)."""
        from geo.link.entities import READ_COLUMNS, typed_link_columns

        names = ", ".join(f"r.{c}" for c in READ_COLUMNS)
        with self._reading() as conn:
            rows = conn.execute(sa.text(f"SELECT {names}, a.article_date FROM records r "
                                        f"LEFT JOIN articles a ON a.article_id = r.article_id ORDER BY r.fid")).all()
        return typed_link_columns(rows)

    def write_links(self, links: pd.DataFrame, projects: gpd.GeoDataFrame) -> None:
        """Replace `record_links` and `projects` in one transaction (readers see the old ones or the new)."""
        with self._writing("write the project links of") as conn:
            conn.execute(sa.text("DELETE FROM record_links"))
            if len(links):
                conn.execute(sa.text("INSERT INTO record_links (record_id, project_uid) VALUES (:record_id, :project_uid)"),
                             [{"record_id": r, "project_uid": _sql_value(u)}
                              for r, u in zip(links["record_id"], links["project_uid"])])
            conn.execute(sa.text("DELETE FROM projects"))
            if len(projects):
                layer = projects.rename_geometry("geom").to_crs(epsg=SRID)
                layer.to_postgis("projects", conn, if_exists="append", index=False)
            conn.execute(sa.text("UPDATE store_state SET generation = generation + 1"))

    def read_projects(self) -> gpd.GeoDataFrame:
        """The `projects` table as the GeoPackage layer reads (geometry column `geometry`, EPSG:4326)."""
        from geo.link.entities import PROJECT_COLUMNS, empty_projects

        with self._reading() as conn:
            if conn.info["geo_version"] < 2:
                return empty_projects()
            gdf = gpd.read_postgis(sa.text(f"SELECT geom, {', '.join(PROJECT_COLUMNS)} FROM projects ORDER BY fid"),
                                   conn, geom_col="geom", crs=f"EPSG:{SRID}")
        return gdf.rename_geometry("geometry")[[*PROJECT_COLUMNS, "geometry"]]

    def append_link(self, row: dict) -> int:
        """Insert one merge/split decision in its own transaction; returns its sequence number."""
        with self._writing("save a linkage decision to") as conn:
            return conn.execute(sa.text(
                "INSERT INTO entity_links (action, record_id, other_id, author, note, created_at) "
                "VALUES (:action, :record_id, :other_id, :author, :note, :created_at) RETURNING seq"), row).scalar()

    def link_rows(self) -> list[tuple]:
        """The merge/split decisions, by seq (none before the store exists)."""
        with self._errors("read the linkage decisions of"), self.engine.connect() as conn:
            if self._version(conn) < 2:
                return []
            return [tuple(r) for r in conn.execute(sa.text(
                "SELECT seq, action, record_id, other_id, author, note, created_at "
                "FROM entity_links ORDER BY seq")).all()]

    def correction_rows(self) -> list[tuple]:
        with self._errors("read the corrections of"), self.engine.connect() as conn:
            if self._version(conn) == 0:
                return []
            return [tuple(r) for r in conn.execute(sa.text(
                "SELECT seq, record_id, article_id, action, fields, author, note, created_at "
                "FROM corrections ORDER BY seq")).all()]
