"""The GeoPackage store: round trip, stable content, atomic writes, clear errors."""
import hashlib

import pytest

from geo.errors import StoreError
from geo.store.gpkg import read_records, write_store


def test_same_input_gives_same_content(tmp_path, sample):
    article, records = sample
    a = write_store(tmp_path / "a.gpkg", [article], records)
    b = write_store(tmp_path / "b.gpkg", [article], list(reversed(records)))
    assert read_records(a).to_json() == read_records(b).to_json()


def test_empty_store_is_readable(tmp_path):
    db = write_store(tmp_path / "e.gpkg", [], [])
    assert len(read_records(db)) == 0


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="python -m geo build"):
        read_records(tmp_path / "nope.gpkg")


def test_corrupt_store_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"this is not a geopackage" * 100)
    with pytest.raises(StoreError, match="rebuild"):
        read_records(bad)


def test_failed_write_leaves_previous_store_intact(tmp_path, sample, monkeypatch):
    article, records = sample
    db = write_store(tmp_path / "s.gpkg", [article], records)
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    def crash(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr("geo.store.gpkg._write_layers", crash)
    with pytest.raises(StoreError, match="disk full"):
        write_store(db, [article], records[:1])
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert len(read_records(db)) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["s.gpkg"]  # no temp file left behind
