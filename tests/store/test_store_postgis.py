"""What only the PostGIS store has: its schema, migrations, server errors, and the CLI bar (same export as the GeoPackage)."""
import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from geo.store import postgis as store_postgis
from geo.errors import StoreError
from geo.pipeline import build
from geo.store.query import Filters
from geo.store.backend import open_store

REPO = Path(__file__).resolve().parents[2]


def geo_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def query(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def test_cli_build_and_export_give_the_same_features_as_the_geopackage(pg_url, tmp_path):
    gpkg = tmp_path / "p.gpkg"
    for db in (str(gpkg), pg_url):
        done = geo_cli("build", "--input", "seeds", "--db", db)
        assert done.returncode == 0, done.stderr
    assert f"store: {pg_url}" in done.stdout
    for filters in ((), ("--chain", "氢能", "--kind", "project")):  # the second one is filtered in SQL
        exports = []
        for db in (str(gpkg), pg_url):
            done = geo_cli("export", "--db", db, *filters)
            assert done.returncode == 0, done.stderr
            exports.append(json.loads(done.stdout)["features"])
        from_gpkg, from_postgis = exports
        assert len(from_gpkg) > (50 if not filters else 0)
        assert [f["properties"]["id"] for f in from_postgis] == [f["properties"]["id"] for f in from_gpkg]
        assert from_postgis == from_gpkg  # properties and geometry, exactly
    store = open_store(pg_url)
    assert 0 < len(store.read_records(Filters(chains=["氢能"]))) < len(store.read_records()) / 4


def test_schema_has_srid_4326_a_gist_index_and_filter_indexes(pg_url, sample):
    article, records = sample
    open_store(pg_url).write([article], records)
    assert query(pg_url, "SELECT srid, type FROM geometry_columns WHERE f_table_name = 'records'") == [(4326, "POINT")]
    indexes = dict(query(pg_url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'records'"))
    assert "USING gist (geom)" in indexes["records_geom"]
    for column in ("county_adcode", "city_adcode", "chain", "stage", "date"):
        assert f"records_{column}" in indexes
    assert query(pg_url, "SELECT max(version) FROM schema_version") == [(store_postgis.LATEST,)]
    # the spatial index answers a bounding-box question (太谷区 lies in this box, the city point not)
    assert query(pg_url, "SELECT id FROM records WHERE geom && ST_MakeEnvelope(112.5, 37.4, 112.6, 37.5, 4326)") \
        == [("r0001",)]


def test_forward_migration_is_applied_once_and_recorded(pg_url, sample, monkeypatch):
    article, records = sample
    open_store(pg_url).write([article], records)
    migrations = dict(store_postgis.MIGRATIONS)
    nxt = store_postgis.LATEST + 1
    migrations[nxt] = ["CREATE INDEX records_kind ON records (kind)"]
    monkeypatch.setattr(store_postgis, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_postgis, "LATEST", nxt)
    open_store(pg_url).update(set(), [], [])
    open_store(pg_url).update(set(), [], [])
    assert [v for (v,) in query(pg_url, "SELECT version FROM schema_version ORDER BY version")] == list(range(1, nxt + 1))
    assert query(pg_url, "SELECT count(*) FROM pg_indexes WHERE indexname = 'records_kind'") == [(1,)]
    assert len(open_store(pg_url).read_records()) == 3


def test_a_newer_schema_is_refused(pg_url, sample):
    article, records = sample
    open_store(pg_url).write([article], records)
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (99)")
    with pytest.raises(StoreError, match="schema version 99, newer"):
        open_store(pg_url).read_records()


def test_a_foreign_database_is_refused_and_left_alone(pg_url, tmp_path):
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE records (id integer, note text)")
        conn.execute("INSERT INTO records VALUES (1, 'not ours')")
    done = geo_cli("build", "--input", "seeds", "--db", pg_url)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "did not make" in done.stderr and done.stderr.startswith("error:")
    assert query(pg_url, "SELECT * FROM records") == [(1, "not ours")]


def test_server_down_is_a_clear_error_without_traceback(pg_cluster):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://nobody@127.0.0.1:{port}/geo"
    for args in (("build", "--input", "seeds"), ("export",)):
        done = geo_cli(*args, "--db", url)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "error: cannot" in done.stderr and "Is the server running" in done.stderr


def test_missing_database_and_bad_url_are_clear_errors(pg_cluster):
    with pytest.raises(StoreError, match="geo_nope"):
        open_store(f"{pg_cluster.base}/geo_nope").exists()
    with pytest.raises(StoreError, match="names no database"):
        open_store(pg_cluster.base)


def test_password_is_not_shown(pg_url):
    store = open_store(pg_url.replace("postgresql://postgres@", "postgresql://postgres:secret@"))
    assert "secret" not in store.name and "***" in store.name


def test_an_update_replaces_an_articles_records_in_one_transaction(pg_url, sample):
    """A reader during an update sees the old rows or the new ones, never the article without records."""
    article, records = sample
    store = open_store(pg_url)
    store.write([article], records)
    with psycopg.connect(pg_url) as reader:
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        assert reader.execute("SELECT count(*) FROM records").fetchone() == (3,)
        store.update({article.id}, [article], records[:1])
        assert reader.execute("SELECT count(*) FROM records").fetchone() == (3,)  # its snapshot
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM records").fetchone() == (1,)


def test_build_summary_and_incremental_counts(pg_url):
    first = build(REPO / "seeds", pg_url)
    again = build(REPO / "seeds", pg_url)
    assert first.added == 5 and (again.added, again.skipped) == (0, 5)
    assert again.records_by_kind == first.records_by_kind


def test_a_user_who_cannot_install_postgis_is_told_what_to_do(pg_cluster):
    pg_cluster.admin("CREATE ROLE analyst LOGIN")
    pg_cluster.admin("CREATE DATABASE geo_nogis OWNER analyst TEMPLATE template0")
    user_url = f"{pg_cluster.base.replace(pg_cluster.user + '@', 'analyst@')}/geo_nogis"
    done = geo_cli("build", "--input", "seeds", "--db", user_url)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "CREATE EXTENSION postgis" in done.stderr
    # with PostGIS installed by an administrator, the same user builds the store
    pg_cluster.admin("CREATE EXTENSION postgis", db="geo_nogis")
    assert geo_cli("build", "--input", "seeds", "--db", user_url).returncode == 0


def test_a_store_from_before_linkage_is_migrated_and_relinked(pg_url, monkeypatch):
    from geo.link import entities
    from geo.store import corrections

    monkeypatch.setattr(store_postgis, "MIGRATIONS", {1: store_postgis.MIGRATIONS[1]})
    monkeypatch.setattr(store_postgis, "LATEST", 1)
    monkeypatch.setattr(store_postgis.PostgisStore, "relink", lambda self: None)  # as the code before linkage
    build(REPO / "seeds", pg_url)  # a store of schema version 1: no linkage tables
    monkeypatch.undo()
    store = open_store(pg_url)
    assert store.read_records()["project_uid"].isna().all() and store.links_stale()
    assert len(entities.read_projects(pg_url)) == 0 and corrections.load_links(pg_url) == []
    build(REPO / "seeds", pg_url)  # nothing new, but stale links: migrated to version 2 and relinked
    assert query(pg_url, "SELECT max(version) FROM schema_version") == [(store_postgis.LATEST,)]
    assert not store.links_stale()
    projects = store.read_records().query("kind == 'project'")
    assert projects["project_uid"].notna().all() and len(entities.read_projects(pg_url)) > 0
