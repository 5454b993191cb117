"""geo.store.sqlview against the pandas view on the same PostGIS store: every answer equal.

The store holds the seeds build plus synthetic records (geo.synthetic) on the real counties, linked
into projects; the comparisons run for several filter states, before and after corrections (edit,
hide, add, merge).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo import pipeline
from geo.places import spatial
from geo.store import corrections, query
from geo.store.backend import open_store
from geo.store.query import MISSING, Filters
from geo.synthetic import synthetic_records
from geo.web import charts, markers, mapview, view

REPO = Path(__file__).resolve().parents[2]

FILTER_STATES = [
    Filters(),
    Filters(chains=["新能源汽车", MISSING], kinds=["project"]),
    Filters(origins=["yangtze_delta", MISSING], stages=["signed"], amount_kinds=["investment"]),
    Filters(date_from="2023-03-01", date_to="2023-09-30"),
    Filters(text="合成公司1"),
    Filters(county_adcode="140105"),
    Filters(county_adcode="140702", date_from="2023-01-01"),
    Filters(articles=["art001"], text="项目"),
]


@pytest.fixture(scope="module")
def pg_store(pg_cluster):
    """A PostGIS store of the seeds plus 3000 synthetic records, linked into projects."""
    url = pg_cluster.new_database()
    pipeline.build(REPO / "seeds", url)
    store = open_store(url)
    articles, records = store.read_state()
    counties = spatial.load_counties(simplified=True)
    extra, extra_articles = synthetic_records(3000, counties, seed=11)
    store.write([*articles, *extra_articles], [*records, *extra])
    store.relink()
    return url


def pandas_view(url: str) -> view.StoreView:
    return view.load_view(url, corrections.load(url), "pandas", in_sql=False)


def sql_view(url: str) -> view.SqlStoreView:
    return view.load_view(url, corrections.load(url), "sql", in_sql=True)


def same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a, b = a.drop(columns="geometry", errors="ignore").reset_index(drop=True), b.reset_index(drop=True)
    assert list(a.columns) == list(b.columns)
    for col in a.columns:
        x, y = a[col], b[col]
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            np.testing.assert_allclose(x.astype(float), y.astype(float), rtol=1e-9, atol=1e-6, err_msg=col)
        else:
            assert x.astype(object).where(x.notna(), None).tolist() == \
                y.astype(object).where(y.notna(), None).tolist(), col


def check_equal(pv: view.StoreView, sv: view.SqlStoreView, filters: Filters) -> None:
    counties, cities = spatial.load_counties(simplified=True), spatial.load_cities(simplified=True)
    assert sv.options == pv.options
    assert (sv.total, sv.hidden_count) == (pv.total, pv.hidden_count)
    for show_hidden in (False, True):
        ps, ss = view.select(pv, filters, show_hidden), view.select(sv, filters, show_hidden)
        assert ss.summary.keys() == ps.summary.keys()
        for key, value in ps.summary.items():
            assert ss.summary[key] == pytest.approx(value, abs=1e-6), key
        assert (ss.level, ss.count, ss.table_count) == (ps.level, ps.count, ps.table_count)
        for number in (1, 2, 10_000):
            same_frame(pv.table_page(ps, number), sv.table_page(ss, number))
    ps, ss = view.select(pv, filters), view.select(sv, filters)
    same_frame(pv.county_metrics(ps, counties), sv.county_metrics(ss, counties))
    same_frame(pv.city_totals(ps, cities), sv.city_totals(ss, cities))
    same_frame(pv.unresolved_page(ps), sv.unresolved_page(ss))
    # the map: the same markers (or cells), flows and chart totals
    prow, srow = pv.map_rows(ps, mapview.COLUMNS), sv.map_rows(ss, mapview.COLUMNS)
    shown = markers.display_mask(prow)
    same_frame(prow[markers.display_mask(prow) | prow["precision"].isin(["city", "province"])
                    & prow["lon"].notna()].drop(columns="url"), srow.drop(columns="url"))
    assert int(shown.sum()) == sv.marker_count(ss)
    pts = markers.display_points(prow)
    invest = pts["amount_yi"].where(query.investment_mask(pts), 0.0).fillna(0.0).to_numpy(dtype=float)
    pcells = markers.cell_rows(pts, pts["lon"], pts["lat"], mapview.CELL_DEG, invest)
    assert sv.cell_rows(ss, mapview.CELL_DEG) == pcells
    same_frame(mapview.flow_table(pv.map_rows(ps, mapview.COLUMNS)), sv.flow_table(ss))
    for a, b in zip(charts.all_charts(pv.chart_rows(ps)), charts.all_charts(sv.chart_rows(ss))):
        assert a == b


@pytest.mark.parametrize("filters", FILTER_STATES, ids=[query.filter_key(f) for f in FILTER_STATES])
def test_sql_view_equals_pandas_view(pg_store, filters):
    check_equal(pandas_view(pg_store), sql_view(pg_store), filters)


def test_sql_view_equals_pandas_view_after_corrections(pg_cluster, pg_store):
    url = pg_cluster.new_database()  # a copy of the module's store, so the other tests keep theirs
    store = open_store(url)
    articles, records = open_store(pg_store).read_state()
    store.write(articles, records)
    store.relink()
    frame = open_store(url).read_records()
    located = frame[frame["precision"] == "county"]["id"].tolist()
    corrections.save(url, located[0], "edit", {"chain": "氢能", "amount_yi": 12.5, "county_adcode": "140105"})
    corrections.save(url, located[1], "hide")
    corrections.save(url, located[2], "edit", {"date": "2023-05-05", "origin_region": "yangtze_delta"})
    corrections.save(url, located[3], "edit", {"county_adcode": None})  # now unresolved
    corrections.save(url, None, "add", {"name": "手工项目", "amount_yi": 3, "county_adcode": "140702"},
                     article_id=articles[0].id, note="原文句子")
    corrections.save(url, "no-such-record", "edit", {"chain": "氢能"})  # an orphan
    projects = frame[frame["kind"] == "project"]["id"].tolist()
    for a, b in ((projects[10], projects[11]), (projects[11], projects[12]), (projects[20], located[4])):
        corrections.save_link(url, "merge", a, b)
    pipeline.relink(url)
    pv, sv = pandas_view(url), sql_view(url)
    assert [c.seq for c in sv.orphans] == [c.seq for c in pv.orphans] and len(sv.orphans) == 1
    assert sv.hidden_count == 1
    for filters in (Filters(), Filters(chains=["氢能"]), Filters(county_adcode="140105"),
                    Filters(county_adcode="140702", text="手工")):
        check_equal(pv, sv, filters)
    corrections.save(url, located[1], "unhide")  # the table follows the log's next state
    pv, sv = pandas_view(url), sql_view(url)
    assert sv.hidden_count == 0
    check_equal(pv, sv, Filters())


@pytest.mark.parametrize("max_markers", [mapview.MAX_MARKERS, 500])  # 500: the cells
@pytest.mark.parametrize("level", ["county", "city"])
def test_the_map_drawn_from_sql_is_the_pandas_map(pg_store, max_markers, level):
    pv, sv = pandas_view(pg_store), sql_view(pg_store)
    counties, cities = spatial.load_counties(simplified=True), spatial.load_cities(simplified=True)
    maps, filters = [], Filters(stages=["signed", "started", MISSING])
    everything = len(pv.map_rows(view.select(pv, filters), mapview.COLUMNS))
    for v in (pv, sv):
        sel = view.select(v, filters)
        records, parts = v.map_input(sel, mapview.COLUMNS, counties, cities, level, max_markers)
        assert (parts is None) == (v is pv)
        m = mapview.build_map(records, counties=counties, cities=cities, level=level, max_markers=max_markers,
                              parts=parts, asset_base_url=None)
        maps.append(re.sub(r"[0-9a-f]{32}", "ID", m.get_root().render()))
        if v is sv:
            assert len(records) < everything
            if max_markers == 500:  # cells: no marker row, at most 30 city-level rows per city (11) and province
                assert len(records) <= 30 * 12
    assert maps[0] == maps[1]


def test_find_matches_the_pandas_search(pg_store):
    pv, sv = pandas_view(pg_store), sql_view(pg_store)
    for text in ("", "r0001", "合成公司3", "太原"):
        same_frame(pv.find(text, 20).drop(columns=["geometry", "url"], errors="ignore"),
                   sv.find(text, 20).drop(columns="url"))


def test_a_filter_change_reads_only_small_answers(pg_store):
    sv = sql_view(pg_store)
    assert not hasattr(sv, "current") and not hasattr(sv, "visible")  # no frame of every record
    sel = view.select(sv, Filters())
    assert sel.positions is None and sel.count > 3000
    assert len(sv.table_page(sel, 1)) == view.PAGE_SIZE
    # linked projects count once: fewer projects than project reports
    assert sel.summary["projects"] < view.select(sv, Filters(kinds=["project"])).count
