"""Incremental builds: only changed input is read and written, and the result equals a full rebuild."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from geo.store import gpkg_update as store_update
from geo.pipeline import build
from geo.store.gpkg import read_articles, read_records, temp_files, write_store
from geo.synthetic import write_article_files

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def same_store(a: Path, b: Path) -> bool:
    return (read_records(a).to_json() == read_records(b).to_json()
            and read_articles(a).to_json() == read_articles(b).to_json())


def test_incremental_builds_keep_the_geopackage_spatial_index(tmp_path):
    """GeoPackage only: GDAL's R-tree follows the rows an incremental build inserts and deletes (the build
    itself is checked on both backends in test_store_backends)."""
    src, db = tmp_path / "in", tmp_path / "p.gpkg"
    write_article_files(src, 0, 10)
    build(src, db)
    (src / "000003_synthetic.txt").write_text("第3期\n\n朔州市怀仁市签约陶瓷项目，总投资6亿元。\n", encoding="utf-8")
    write_article_files(src, 10, 10)
    build(src, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM rtree_records_geom").fetchone() == \
            conn.execute("SELECT COUNT(*) FROM records WHERE geom IS NOT NULL").fetchone()
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_unchanged_input_is_not_read_and_the_store_not_written(tmp_path):
    src, db = tmp_path / "in", tmp_path / "p.gpkg"
    write_article_files(src, 0, 20)
    shutil.copy(SEEDS[0], src / "dup.txt")
    shutil.copy(SEEDS[0], src / "dup2.txt")  # same content: reported as a duplicate every run
    first = build(src, db)
    before = db.stat()
    again = build(src, db)
    after = db.stat()
    assert (again.added, again.skipped, again.articles) == (0, 21, first.articles)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert again.records_by_kind == first.records_by_kind and again.unresolved == first.unresolved
    assert any("duplicate of" in w for w in again.warnings)


def test_touched_file_is_skipped_by_its_hash(tmp_path):
    src, db = tmp_path / "in", tmp_path / "p.gpkg"
    paths = write_article_files(src, 0, 5)
    build(src, db)
    os.utime(paths[0], ns=(1_000_000_000, 1_000_000_000))
    touched = build(src, db)
    assert (touched.added, touched.skipped) == (0, 5)
    assert store_update.known_files(db)[str(paths[0].absolute())].mtime_ns == 1_000_000_000


def test_store_without_file_table_is_updated(tmp_path):
    src, db = tmp_path / "in", tmp_path / "p.gpkg"
    write_article_files(src, 0, 5)
    write_store(db, [], [])
    with sqlite3.connect(db) as conn:  # a store from before the table existed
        conn.execute("DROP TABLE source_files")
        conn.execute("DELETE FROM gpkg_contents WHERE table_name = 'source_files'")
    assert store_update.known_files(db) == {}
    assert build(src, db).added == 5
    assert len(store_update.known_files(db)) == 5


def test_killed_incremental_build_leaves_a_readable_store(tmp_path):
    src, db, full = tmp_path / "in", tmp_path / "p.gpkg", tmp_path / "full.gpkg"
    write_article_files(src, 0, 50)
    build(src, db)
    old = read_records(db).to_json()
    write_article_files(src, 50, 400)
    for delay in (0.6, 0.9, 1.1, 1.3):  # around the end of the run (about 1.3 s), when it writes
        proc = subprocess.Popen([sys.executable, "-m", "geo", "build", "--input", str(src), "--db", str(db),
                                 "--workers", "1"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        now = read_records(db).to_json()  # the old store or the finished new one, never a broken one
        if now != old:
            break
    build(src, db)
    assert not temp_files(db)
    build(src, full, rebuild=True)
    assert same_store(db, full)


def test_concurrent_builds_into_one_store_both_land(tmp_path):
    one, two, db, full = tmp_path / "one", tmp_path / "two", tmp_path / "p.gpkg", tmp_path / "full.gpkg"
    write_article_files(one, 0, 5)
    build(one, db)
    write_article_files(one, 5, 100)
    write_article_files(two, 200, 100)
    procs = [subprocess.Popen([sys.executable, "-m", "geo", "build", "--input", str(src), "--db", str(db),
                               "--workers", "1"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for src in (one, two)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    both = tmp_path / "both"
    shutil.copytree(one, both)
    shutil.copytree(two, both, dirs_exist_ok=True)
    build(both, full)
    assert same_store(db, full)
