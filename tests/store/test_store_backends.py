"""The same store cases against both backends (`new_db`: a GeoPackage file, a fresh PostGIS database).

Round trip, stable content, clear errors, incremental builds equal to full ones, a killed build
leaving a readable store, concurrent builds, and corrections (applied, surviving rebuilds, saved
by two processes at once).
"""
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.store import corrections
from geo.errors import StoreError
from geo.pipeline import build
from geo.store.query import MISSING, Filters, apply
from geo.store.backend import open_store
from geo.synthetic import write_article_files

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def same_store(a, b) -> bool:
    sa, sb = open_store(a), open_store(b)
    return (sa.read_records().to_json() == sb.read_records().to_json()
            and sa.read_articles().to_json() == sb.read_articles().to_json())


def written(db, articles, records):
    open_store(db).write(articles, records)
    return db


def cli_build(src: Path, db) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "geo", "build", "--input", str(src), "--db", str(db),
                             "--workers", "1"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_round_trip_keeps_every_record_and_field(new_db, sample):
    article, records = sample
    store = open_store(written(new_db(), [article], records))
    gdf = store.read_records()
    assert list(gdf["id"]) == ["r0001", "r0002", "r0003"]
    first = gdf.iloc[0]
    assert first["amount_yi"] == 20.0 and first["county_adcode"] == "140703"
    assert first["article"] == "article_1.txt" and first["article_title"] == "标题1"
    assert first["place_adcodes"] == "140703"
    assert (first.geometry.x, first.geometry.y) == (112.55, 37.42)
    assert gdf.crs.to_epsg() == 4326
    unresolved = gdf[gdf["id"] == "r0002"].iloc[0]
    assert unresolved["precision"] == "unresolved" and unresolved.geometry is None
    assert unresolved["name"] == "<script>alert(1)</script>项目"
    batch = gdf[gdf["id"] == "r0003"].iloc[0]
    assert batch["project_count"] == 15 and batch["county_adcode"] is None
    assert store.read_articles().iloc[0]["text"] == article.text
    assert store.read_state() == ([article], sorted(records, key=lambda r: r.id))


def test_both_backends_read_back_the_same_frames(new_db, tmp_path, sample):
    article, records = sample
    reference = written(tmp_path / "ref.gpkg", [article], records)
    assert same_store(written(new_db(), [article], list(reversed(records))), reference)


def test_empty_store_is_readable(new_db):
    assert len(open_store(written(new_db(), [], [])).read_records()) == 0


def test_missing_store_is_a_clear_error(new_db):
    with pytest.raises(StoreError, match="python -m geo build"):
        open_store(new_db()).read_records()


def test_incremental_builds_equal_a_full_rebuild_and_keep_corrections(new_db, tmp_path):
    src, db, full = tmp_path / "in", new_db(), new_db()
    src.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, src)
    write_article_files(src, 0, 10)
    build(src, db)
    rid = open_store(db).read_records()["id"].iloc[0]
    corrections.save(db, rid, "edit", {"chain": "氢能"})
    for seed in SEEDS[3:]:
        shutil.copy(seed, src)
    write_article_files(src, 10, 10)
    s2 = build(src, db)
    assert (s2.added, s2.skipped, s2.replaced) == (12, 13, 0)
    seed = src / SEEDS[1].name
    seed.write_text(seed.read_text(encoding="utf-8") + "\n大同市签约新项目，总投资8亿元。\n", encoding="utf-8")
    (src / "000003_synthetic.txt").write_text("第3期\n\n朔州市怀仁市签约陶瓷项目，总投资6亿元。\n", encoding="utf-8")
    write_article_files(src, 20, 10)
    s3 = build(src, db)
    assert (s3.added, s3.replaced, s3.articles) == (12, 2, 35)
    build(src, full, rebuild=True)
    assert same_store(db, full)
    assert s3.records_by_kind == build(src, full).records_by_kind
    gdf, orphans = corrections.read_current(db)
    assert gdf.set_index("id").loc[rid, "chain"] == "氢能" and orphans == []
    build(src, db, rebuild=True)  # a rebuild keeps the corrections too
    assert corrections.read_current(db)[0].set_index("id").loc[rid, "chain"] == "氢能"


def test_unchanged_input_is_not_read_and_the_store_not_written(new_db, tmp_path):
    src, db = tmp_path / "in", new_db()
    write_article_files(src, 0, 20)
    first = build(src, db)
    before = open_store(db).state_key()
    again = build(src, db)
    assert (again.added, again.skipped, again.articles) == (0, 20, first.articles)
    assert open_store(db).state_key() == before
    assert again.records_by_kind == first.records_by_kind and again.unresolved == first.unresolved


def test_touched_file_is_skipped_by_its_hash(new_db, tmp_path):
    src, db = tmp_path / "in", new_db()
    paths = write_article_files(src, 0, 5)
    build(src, db)
    os.utime(paths[0], ns=(1_000_000_000, 1_000_000_000))
    touched = build(src, db)
    assert (touched.added, touched.skipped) == (0, 5)
    assert open_store(db).known_files()[str(paths[0].absolute())].mtime_ns == 1_000_000_000


def test_killed_build_leaves_a_readable_store(new_db, tmp_path):
    src, db, full = tmp_path / "in", new_db(), new_db()
    write_article_files(src, 0, 50)
    build(src, db)
    old = open_store(db).read_records().to_json()
    write_article_files(src, 50, 400)
    for delay in (0.6, 0.9, 1.1, 1.3):  # around the end of the run, when it writes
        proc = cli_build(src, db)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        now = open_store(db).read_records().to_json()  # the old store or the finished new one
        if now != old:
            break
    build(src, db)
    build(src, full, rebuild=True)
    assert same_store(db, full)


def test_concurrent_builds_into_one_store_both_land(new_db, tmp_path):
    one, two, db, full = tmp_path / "one", tmp_path / "two", new_db(), new_db()
    write_article_files(one, 0, 5)
    build(one, db)
    write_article_files(one, 5, 100)
    write_article_files(two, 200, 100)
    procs = [cli_build(src, db) for src in (one, two)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0], [p.stderr.read() for p in procs]
    both = tmp_path / "both"
    shutil.copytree(one, both)
    shutil.copytree(two, both, dirs_exist_ok=True)
    build(both, full)
    assert same_store(db, full)


# -- corrections --------------------------------------------------------------------------------

@pytest.fixture
def db(new_db, sample):
    article, records = sample
    return written(new_db(), [article], records)


def test_corrections_are_applied_hidden_and_added(db):
    corrections.save(db, "r0001", "edit", {"chain": "氢能", "amount_yi": "25.5", "county_adcode": "141081"})
    corrections.save(db, "r0003", "hide", note="not an investment")
    added = corrections.save(db, None, "add", {"name": "手工项目", "amount_yi": 3, "county_adcode": "140703"},
                             article_id="a000000000000001", note="原文句子")
    gdf, orphans = corrections.read_current(db)
    rows = gdf.set_index("id")
    assert (rows.loc["r0001", "chain"], rows.loc["r0001", "amount_yi"], rows.loc["r0001", "county"]) == \
        ("氢能", 25.5, "侯马市")
    assert rows.loc["r0001", "record_source"] == "corrected" and bool(rows.loc["r0003", "hidden"])
    assert rows.loc[added.record_id, "record_source"] == "manual"
    assert rows.loc[added.record_id, "article"] == "article_1.txt" and orphans == []
    assert [c.action for c in corrections.load(db)] == ["edit", "hide", "add"]


def test_corrections_survive_a_rebuild_and_orphans_are_reported(db, sample):
    article, records = sample
    corrections.save(db, "r0001", "edit", {"chain": "光伏"})
    corrections.save(db, "r0003", "edit", {"chain": "锂电"})
    open_store(db).write([article], records[:2])  # the rebuilt store no longer has r0003
    gdf, orphans = corrections.read_current(db)
    assert gdf.set_index("id").loc["r0001", "chain"] == "光伏"
    assert [o.record_id for o in orphans] == ["r0003"]


def _save_many(args):
    db, worker = args
    for i in range(20):
        corrections.save(db, "r0001", "edit", {"name": f"w{worker}-{i}"}, author=f"w{worker}")


def test_concurrent_saves_from_two_processes_all_survive(db):
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_save_many, [(db, 1), (db, 2)])
    log = corrections.load(db)
    assert len(log) == 40
    assert {c.author for c in log} == {"w1", "w2"}
    assert [c.seq for c in log] == sorted(c.seq for c in log)


def test_filtered_reads_keep_exactly_what_the_filters_keep(new_db, tmp_path):
    """A database store filters in SQL; corrected values still decide (a record moved into the filter comes)."""
    db = new_db()
    build(REPO / "seeds", db)
    every = corrections.read_current(db)[0]
    outsider = every[every["chain"] != "氢能"]["id"].iloc[0]
    corrections.save(db, outsider, "edit", {"chain": "氢能"})
    county = every["county_adcode"].dropna().iloc[0]
    cases = [Filters(chains=["氢能"]), Filters(origins=[MISSING], kinds=["project"]),
             Filters(county_adcode=county), Filters(stages=["signed", MISSING], chains=["氢能", "光伏"]), Filters()]
    for filters in cases:
        whole, _ = corrections.read_current(db)
        pushed, orphans = corrections.read_current(db, filters)
        assert apply(pushed, filters)["id"].tolist() == apply(whole, filters)["id"].tolist(), filters
        assert orphans == []
    assert outsider in apply(corrections.read_current(db, cases[0])[0], cases[0])["id"].tolist()
