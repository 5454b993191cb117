"""The linkage harness (`python -m geo evaluate --linkage FOLDER`) on the invented folder
tests/linkage_invented (articles and annotation made up for the tests)."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from geo.evaluate import evaluate_linkage, main
from tests.annotation_schema import check_record_schema

FOLDER = Path(__file__).parent / "linkage_invented"


def test_invented_annotation_follows_the_format():
    for entry in yaml.safe_load((FOLDER / "annotations.yaml").read_text(encoding="utf-8")):
        for rec in entry["records"]:
            check_record_schema(rec)


def test_harness_scores_pairs_and_counts_entities():
    report = evaluate_linkage(FOLDER)
    assert (report.articles, report.gold_projects, report.matched) == (5, 6, 6)
    assert (report.gold_pairs, report.predicted_pairs, report.tp) == (4, 4, 4)
    assert report.precision == 1.0 and report.recall == 1.0
    assert (report.gold_entities, report.predicted_entities) == (3, 3)
    assert (report.matched_gold_entities, report.matched_predicted_entities) == (3, 3)


def test_a_wrong_link_lowers_precision_and_a_missed_one_recall(tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(FOLDER, folder)
    data = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    # Say the 2024 storage report is another project (the linker joins it: a wrong link) and the
    # Daixian one is the Yuanping project (the linker keeps it apart: a missed link).
    by_article = {e["article"]: e for e in data}
    by_article["a5_20240110.txt"]["records"][0]["entity"] = "other-storage"
    by_article["a4_20230820.txt"]["records"][0]["entity"] = "beichen-storage-yuanping"
    (folder / "annotations.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = evaluate_linkage(folder)
    # gold pairs: 3 (glass fibre) + 1 (a1 storage, a4) = 4; predicted: 3 + 1 (a1, a5); right: 3
    assert (report.gold_pairs, report.predicted_pairs, report.tp) == (4, 4, 3)
    assert report.precision == 0.75 and report.recall == 0.75
    assert report.wrong_links == [("beichen-storage-yuanping", "other-storage")]


def test_cli_prints_the_figures_and_rejects_a_missing_folder(tmp_path, capsys):
    assert main(["--linkage", str(FOLDER)]) == 0
    out = capsys.readouterr().out
    assert "precision 1.00 (4/4), recall 1.00 (4/4)" in out and "entities: gold 3, predicted 3" in out
    assert main(["--linkage", str(tmp_path / "missing")]) == 2
    assert "cannot read annotations" in capsys.readouterr().err
