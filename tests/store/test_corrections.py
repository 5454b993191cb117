"""Corrections: append-only log, applied over extraction output, survives rebuilds, no lost updates."""
import pytest

from geo.store import corrections
from geo.store.corrections import CorrectionError
from geo.errors import StoreError
from geo.store.gpkg import read_articles, read_records, write_store


@pytest.fixture
def db(tmp_path, sample):
    article, records = sample
    return write_store(tmp_path / "p.gpkg", [article], records)


def current(db):
    return corrections.apply(read_records(db), corrections.load(db), read_articles(db))


def test_edit_is_applied_and_flagged(db):
    corrections.save(db, "r0001", "edit", {"chain": "氢能", "amount_yi": "25.5", "stage": "started"})
    gdf, orphans = current(db)
    row = gdf.set_index("id").loc["r0001"]
    assert (row["chain"], row["amount_yi"], row["stage"]) == ("氢能", 25.5, "started")
    assert bool(row["corrected"]) and row["record_source"] == "corrected"
    assert gdf.set_index("id").loc["r0003", "record_source"] == "machine"
    assert orphans == []


def test_moving_a_record_to_another_county_moves_its_point(db):
    corrections.save(db, "r0002", "edit", {"county_adcode": "141081"})  # 侯马市
    gdf, _ = current(db)
    row = gdf.set_index("id").loc["r0002"]
    assert row["county"] == "侯马市" and row["city_adcode"] == "141000" and row["precision"] == "county"
    assert row.geometry is not None
    from geo.places.spatial import assign_counties

    assert assign_counties([row.geometry.x], [row.geometry.y]).iloc[0]["county_adcode"] == "141081"


def test_hide_keeps_the_record_but_flags_it(db):
    corrections.save(db, "r0001", "hide", note="not an investment")
    gdf, _ = current(db)
    assert bool(gdf.set_index("id").loc["r0001", "hidden"])
    corrections.save(db, "r0001", "unhide")
    gdf, _ = current(db)
    assert not bool(gdf.set_index("id").loc["r0001", "hidden"])


def test_hand_added_record_belongs_to_an_article(db):
    added = corrections.save(db, None, "add", {"name": "手工项目", "amount_yi": 3, "county_adcode": "140703"},
                             article_id="a000000000000001", note="原文句子")
    gdf, _ = current(db)
    row = gdf.set_index("id").loc[added.record_id]
    assert row["record_source"] == "manual" and row["article"] == "article_1.txt"
    assert row["county_adcode"] == "140703" and row["sentence"] == "原文句子"
    with pytest.raises(CorrectionError):
        corrections.save(db, None, "add", {"name": "x"})  # no article


def test_bad_values_are_refused_with_the_value_quoted(db):
    with pytest.raises(CorrectionError, match="'lots'"):
        corrections.save(db, "r0001", "edit", {"amount_yi": "lots"})
    with pytest.raises(CorrectionError, match="'sold'"):
        corrections.save(db, "r0001", "edit", {"stage": "sold"})
    with pytest.raises(CorrectionError, match="'999999'"):
        corrections.save(db, "r0001", "edit", {"county_adcode": "999999"})
    with pytest.raises(CorrectionError, match="sentence"):
        corrections.save(db, "r0001", "edit", {"sentence": "rewritten"})
    assert corrections.load(db) == []


def test_unreadable_log_is_a_clear_error(db):
    corrections.corrections_path(db).write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreError, match="corrections log"):
        corrections.load(db)
