"""geo.web.view: a store state and its filter states as row positions, pages, and the shared view."""
from __future__ import annotations

import gc

import numpy as np
import pytest

from geo.store import corrections, query
from geo.web import view
from geo.store.gpkg import write_store
from geo.synthetic import grid_counties, synthetic_records


@pytest.fixture(scope="module")
def store_view(tmp_path_factory):
    db = tmp_path_factory.mktemp("view") / "projects.gpkg"
    records, articles = synthetic_records(450, grid_counties(), seed=5)
    write_store(db, articles, records)
    corrections.save(db, records[0].id, "hide", {})
    return view.load_view(db, corrections.load(db), "k1")


def test_load_view_applies_corrections_and_offers_options(store_view):
    v = store_view
    assert len(v.current) == 450 and len(v.visible) == 449
    assert set(v.options["chains"]) - {query.MISSING} <= set(v.chains)
    assert v.key == "k1"


@pytest.mark.parametrize("filters", [query.Filters(), query.Filters(chains=["光伏", "氢能"]),
                                     query.Filters(stages=["signed"], text="合成项目1"),
                                     query.Filters(county_adcode="140101")])
def test_selection_positions_are_the_filtered_rows(store_view, filters):
    v = store_view
    sel = view.select(v, filters)
    expected = query.apply(v.visible, filters)
    assert view.rows(v, sel.positions)["id"].tolist() == expected["id"].tolist()
    on_map = query.apply(v.visible, query.Filters(**{**vars(filters), "county_adcode": None}))
    assert view.rows(v, sel.map_positions)["id"].tolist() == on_map["id"].tolist()
    assert sel.summary == query.summary(expected)
    assert sel.level in query.LEVELS


def test_show_hidden_table_includes_the_hidden_record(store_view):
    sel = view.select(store_view, query.Filters(), show_hidden=True)
    assert len(sel.table_positions) == 450 and len(sel.positions) == 449


def test_pages_and_columns(store_view):
    v = store_view
    pos = view.select(v, query.Filters()).positions
    assert view.page_count(len(pos)) == 5 and view.page_count(0) == 1
    assert view.page(v.visible, pos, 1)["id"].tolist() == v.visible["id"].iloc[:100].tolist()
    last = view.page(v.visible, pos, 99)  # past the end: the last page
    assert len(last) == 49 and last["id"].iloc[-1] == v.visible["id"].iloc[-1]
    narrow = view.rows(v, pos[:3], ["id", "chain", "no_such_column"])
    assert list(narrow.columns) == ["id", "chain"] and len(narrow) == 3
    unresolved = view.unresolved_positions(v, pos)
    assert (v.visible["precision"].to_numpy()[unresolved] == "unresolved").all()
    assert len(unresolved) == int((v.visible["precision"] == "unresolved").sum())


def test_release_memory_is_harmless():
    view.release_memory()
    view.release_memory(collect=False)


def test_freeze_heap_hides_the_loaded_state_from_the_collector(store_view):
    view.freeze_heap()
    assert gc.get_freeze_count() > 0  # the libraries and the store state
    frozen = gc.get_freeze_count()

    class Cycle:
        pass

    made = Cycle()
    made.me = made  # garbage made after the freeze is still collected
    del made
    assert gc.collect() >= 1
    view.freeze_heap()  # unfreezes first: the count does not pile up across store states
    assert gc.get_freeze_count() <= frozen + 1000


def test_filter_key_is_stable_and_find_records_searches(store_view):
    a = query.Filters(chains=["光伏"], text="x")
    assert query.filter_key(a) == query.filter_key(query.Filters(text="x", chains=["光伏"]))
    assert query.filter_key(a) != query.filter_key(query.Filters(chains=["光伏"]))
    current = store_view.current
    assert np.array_equal(query.positions(current, a), np.flatnonzero(
        current["id"].isin(query.apply(current, a)["id"]).to_numpy()))
    first = current["id"].iloc[7]
    found = query.find_records(current, first, limit=5)
    assert found["id"].iloc[0] == first and len(found) <= 5
    assert query.find_records(current, "合成项目12", limit=50)["name"].str.contains("合成项目12").all()
    assert len(query.find_records(current, "", limit=10)) == 10
    assert query.find_records(current, "没有这样的记录").empty
