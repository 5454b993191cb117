"""The command line: thin wiring, one-line errors, every command documented in the README."""
from pathlib import Path

import geopandas as gpd

from geo.cli import main, parser
from geo.store.gpkg import read_records

SEEDS = "seeds"
README = Path(__file__).resolve().parents[1] / "README.md"


def test_cli_reports_bad_input_with_one_line_and_nonzero_exit(tmp_path, capsys):
    assert main(["build", "--input", str(tmp_path / "nope"), "--db", str(tmp_path / "p.gpkg")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nope" in err and "Traceback" not in err
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"\x00" * 4096)
    assert main(["export", "--db", str(bad)]) == 2
    assert "rebuild" in capsys.readouterr().err


def test_cli_build_and_export(tmp_path, capsys):
    db = tmp_path / "p.gpkg"
    assert main(["build", "--input", SEEDS, "--db", str(db)]) == 0
    assert "records:" in capsys.readouterr().out
    out = tmp_path / "all.geojson"
    assert main(["export", "--db", str(db), "--out", str(out)]) == 0
    assert len(gpd.read_file(out)) == len(read_records(db))


def test_every_command_is_documented_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"python -m geo {name}" in readme, name


def test_evaluate_passes_its_own_arguments_through(capsys):
    assert main(["evaluate", "--annotations", "tests/corpus/annotations.yaml", "--articles", "tests/corpus"]) == 0
    assert "record found" in capsys.readouterr().out


def test_export_applies_corrections_and_drops_hidden_records(tmp_path, seeded):
    import json
    import shutil

    from geo.store import corrections

    db = tmp_path / "p.gpkg"
    shutil.copy(seeded, db)
    ids = list(read_records(db)["id"])
    corrections.save(db, ids[0], "hide")
    corrections.save(db, ids[1], "edit", {"chain": "氢能"})
    out = tmp_path / "out.geojson"
    assert main(["export", "--db", str(db), "--out", str(out)]) == 0
    features = {f["properties"]["id"]: f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert ids[0] not in features and len(features) == len(ids) - 1
    assert features[ids[1]]["chain"] == "氢能" and features[ids[1]]["record_source"] == "corrected"
