"""The whole pipeline on the real seeds: build, incremental add, rebuild, bad input."""
import shutil

import pytest

from geo.store import corrections
from geo.errors import IngestError
from geo.pipeline import build
from geo.store.gpkg import read_articles, read_records

SEEDS = "seeds"


def test_build_seeds_then_rebuild_gives_same_content(tmp_path):
    a = build(SEEDS, tmp_path / "a.gpkg")
    build(SEEDS, tmp_path / "b.gpkg")
    assert a.articles == 5 and a.added == 5
    ra, rb = read_records(tmp_path / "a.gpkg"), read_records(tmp_path / "b.gpkg")
    assert len(ra) > 0 and ra.to_json() == rb.to_json()
    # every record keeps its article and its sentence, which is a substring of the article text
    texts = read_articles(tmp_path / "a.gpkg").set_index("article_id")["text"]
    for rec in ra.itertuples():
        assert rec.sentence and rec.sentence in texts[rec.article_id]


def test_incremental_build_processes_only_new_or_changed_articles(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    shutil.copy("seeds/000_2c7220527f8011eb.txt", first)
    shutil.copy("seeds/001_b2ec74ad4efc39d8.txt", second)
    db = tmp_path / "p.gpkg"
    s1 = build(first, db)
    ids_before = set(read_records(db)["id"])
    s2 = build(second, db)
    assert (s1.added, s2.added, s2.articles) == (1, 1, 2)
    assert ids_before <= set(read_records(db)["id"])
    s3 = build(second, db)  # same text again: nothing to do
    assert (s3.added, s3.skipped, s3.articles) == (0, 1, 2)
    # a changed version of an article (same file name) replaces the old one and its records
    changed = second / "001_b2ec74ad4efc39d8.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n大同市签约新项目，总投资8亿元。\n", encoding="utf-8")
    s4 = build(second, db)
    assert (s4.added, s4.replaced, s4.articles) == (1, 1, 2)
    assert len(read_articles(db)) == 2


def test_rebuild_keeps_corrections(tmp_path):
    db = tmp_path / "p.gpkg"
    build(SEEDS, db)
    rid = read_records(db)["id"].iloc[0]
    corrections.save(db, rid, "edit", {"chain": "氢能"})
    build(SEEDS, db, rebuild=True)
    gdf, orphans = corrections.read_current(db)
    assert gdf.set_index("id").loc[rid, "chain"] == "氢能" and orphans == []


def test_missing_input_is_an_error(tmp_path):
    with pytest.raises(IngestError):
        build(tmp_path / "nope", tmp_path / "p.gpkg")


def test_cli_build_takes_a_worker_count(tmp_path, capsys):
    from geo.cli import main

    assert main(["build", "--db", str(tmp_path / "p.gpkg"), "--workers", "2"]) == 0
    assert "articles: 5 in store" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["build", "--db", str(tmp_path / "p.gpkg"), "--workers", "0"])
    assert "whole number of processes" in capsys.readouterr().err
