"""Filters, URL round trip and county/city metrics on hand-made and fixed-seed synthetic records."""
import logging

import pytest

from geo.store import query
from geo.models import Article, Record
from geo.store.query import MISSING, Filters
from geo.store.gpkg import records_frame
from geo.synthetic import grid_cities, grid_counties, synthetic_frame

COUNTIES = grid_counties()
A, B = COUNTIES["adcode"].iloc[0], COUNTIES["adcode"].iloc[1]  # same city 140101 / 140102
CITY = COUNTIES["city_adcode"].iloc[0]


def _rec(rid, **kw):
    base = dict(id=rid, kind="project", article_id="a1", sentence=f"句子{rid}", currency="CNY",
                amount_kind="investment", precision="county", county_adcode=A, county="测试1县",
                city_adcode=CITY, city="测试1市", lon=111.0, lat=35.5, place_adcodes=[A])
    base.update(kw)
    return Record(**base)


ARTICLES = [Article(id="a1", source="a1.txt", title="文章一", date="2023-05-01", text="x"),
            Article(id="a2", source="a2.txt", title="文章二", date=None, text="y")]


@pytest.fixture()
def hand():
    recs = [
        _rec("p1", amount_yi=10.0, chain="光伏", origin_region="guangdong", stage="signed",
             name="光伏组件项目", company="深圳某公司", date="2023-07-12"),
        _rec("p2", amount_yi=5.5, chain="氢能", origin_region="jingjinji", stage="started",
             precision="site"),
        _rec("p3", amount_yi=100.0, amount_kind="output", chain="光伏"),  # output: never summed
        _rec("p4", amount_yi=3.0, currency="USD", chain="光伏"),  # other currency: not summed
        _rec("b1", kind="batch", amount_yi=500.0, project_count=30, chain="光伏"),  # batch
        _rec("c1", amount_yi=70.0, precision="city", county_adcode=None, county=None,
             place_adcodes=[A, B], chain="铝镁"),  # city-level: never on a county
        _rec("u1", amount_yi=9.0, precision="unresolved", county_adcode=None, county=None,
             city_adcode=None, city=None, lon=None, lat=None, place_adcodes=[], article_id="a2"),
        _rec("z1", amount_yi=2.0, precision="zone", county_adcode=None, county=None,
             place_adcodes=[A, B], chain="氢能"),  # multi-county zone
        _rec("q1", amount_yi=None, county_adcode=B, place_adcodes=[B], chain=None),  # no amount
    ]
    return records_frame(recs, ARTICLES)


def test_empty_filters_keep_everything(hand):
    assert Filters().is_empty()
    assert len(query.apply(hand, Filters())) == len(hand)


def test_list_filters_and_missing_sentinel(hand):
    assert set(query.apply(hand, Filters(chains=["光伏"]))["id"]) == {"p1", "p3", "p4", "b1"}
    assert set(query.apply(hand, Filters(chains=["光伏", "氢能"], kinds=["project"]))["id"]) == {
        "p1", "p2", "p3", "p4", "z1"}
    assert set(query.apply(hand, Filters(chains=[MISSING]))["id"]) == {"u1", "q1"}
    assert set(query.apply(hand, Filters(origins=["guangdong", "jingjinji"]))["id"]) == {"p1", "p2"}
    assert set(query.apply(hand, Filters(amount_kinds=["output"]))["id"]) == {"p3"}
    assert set(query.apply(hand, Filters(articles=["a2"]))["id"]) == {"u1"}


def test_text_search_is_case_insensitive_over_four_columns(hand):
    assert set(query.apply(hand, Filters(text="组件"))["id"]) == {"p1"}
    assert set(query.apply(hand, Filters(text="深圳"))["id"]) == {"p1"}
    assert set(query.apply(hand, Filters(text="句子U1"))["id"]) == {"u1"}  # casefolded
    assert query.apply(hand, Filters(text="[regex(")).empty  # literal, no regex error


def test_dates_fall_back_to_article_date(hand):
    got = set(query.apply(hand, Filters(date_from="2023-07-01"))["id"])
    assert got == {"p1"}  # others carry only the article date 2023-05-01; u1 has none
    got = set(query.apply(hand, Filters(date_to="2023-05-01"))["id"])
    assert "p1" not in got and "p2" in got and "u1" not in got


def test_county_filter_includes_multi_county_zones_not_cities(hand):
    assert set(query.apply(hand, Filters(county_adcode=A))["id"]) == {"p1", "p2", "p3", "p4", "b1", "z1"}
    assert set(query.apply(hand, Filters(county_adcode=B))["id"]) == {"z1", "q1"}


def test_query_params_round_trip():
    f = Filters(chains=["光伏", "氢能"], origins=["guangdong", MISSING], stages=["signed"],
                kinds=["project"], amount_kinds=["investment"], date_from="2023-01-01",
                date_to="2023-12-31", articles=["a1"], text="比亚迪", county_adcode="140105")
    params = query.to_query_params(f)
    assert params["chain"] == ["光伏", "氢能"] and params["county"] == "140105"
    assert query.from_query_params(params) == f
    assert query.to_query_params(Filters()) == {}
    assert query.from_query_params({}) == Filters()


def test_bad_query_params_are_dropped_with_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="geo"):
        f = query.from_query_params({"origin": ["mars", "guangdong"], "stage": "<script>",
                                     "from": "2023-13-40", "to": "yesterday", "county": "110000",
                                     "kind": ["project", "project"], "chain": ["", "x" * 500],
                                     "q": "ok", "zzz": "1"})
    assert f == Filters(origins=["guangdong"], kinds=["project"], text="ok")
    text = caplog.text
    for bad in ("'mars'", "'<script>'", "'2023-13-40'", "'yesterday'", "'110000'"):
        assert bad in text


def test_options_lists_values_by_frequency(hand):
    opts = query.options(hand)
    assert opts["chains"][0] == "光伏" and MISSING in opts["chains"]
    assert set(opts["kinds"]) == {"project", "batch"}
    assert opts["articles"] == {"a1": "文章一", "a2": "文章二"}
    assert opts["date_min"] == "2023-05-01" and opts["date_max"] == "2023-07-12"


def test_county_metrics_exclude_batches_city_level_and_non_investment(hand):
    m = query.county_metrics(hand, COUNTIES).set_index("adcode")
    assert len(m) == len(COUNTIES)
    a = m.loc[A]
    assert a["investment_yi"] == pytest.approx(15.5)  # p1 + p2 only
    assert a["project_count"] == 4  # p1..p4 (b1 batch, c1 city, z1 zone without county excluded)
    assert a["chain_count"] == 2
    assert a["record_count"] == 5 and a["has_data"]
    b = m.loc[B]
    assert b["has_data"] and b["investment_yi"] == 0.0  # data, but no investment figure
    other = m.loc[COUNTIES["adcode"].iloc[5]]
    assert not other["has_data"] and other["investment_yi"] == 0.0


def test_city_metrics_hold_only_city_level_records(hand):
    c = query.city_metrics(hand, grid_cities(COUNTIES)).set_index("adcode")
    assert c.loc[CITY, "investment_yi"] == pytest.approx(70.0)
    assert c.loc[CITY, "record_count"] == 1 and c.loc[CITY, "batch_count"] == 0
    assert c["has_data"].sum() == 1
    assert list(query.city_metrics(hand)["adcode"]) == [CITY]


def test_metrics_totals_match_on_synthetic_data():
    gdf = synthetic_frame(2000, COUNTIES, seed=3)
    m = query.county_metrics(gdf, COUNTIES)
    eligible = gdf[(gdf["kind"] == "project") & (gdf["amount_kind"] == "investment")
                   & gdf["precision"].isin(["site", "zone", "county"]) & gdf["amount_yi"].notna()]
    assert m["investment_yi"].sum() == pytest.approx(eligible["amount_yi"].sum(), rel=1e-6)
    assert m["record_count"].sum() == gdf["precision"].isin(["site", "county"]).sum()
    s = query.summary(gdf)
    assert s["records"] == 2000 and s["unresolved"] == (gdf["precision"] == "unresolved").sum()


def test_city_totals_count_every_record_located_in_one_city_and_default_level():
    from geo.synthetic import grid_cities, grid_counties, synthetic_frame

    counties = grid_counties()
    cities = grid_cities(counties)
    gdf = synthetic_frame(300, counties, seed=3)
    totals = query.city_totals(gdf, cities).set_index("adcode")
    located = gdf[gdf["precision"].isin(["site", "zone", "county", "city"]) & gdf["city_adcode"].notna()]
    assert totals["record_count"].sum() == len(located)
    invest = located[query.investment_mask(located)]
    assert totals["investment_yi"].sum() == pytest.approx(invest["amount_yi"].sum(), abs=0.01)
    # the level follows where most of the investment is located
    assert query.default_level(gdf) == "county"  # synthetic records are mostly county/site level
    city_only = gdf[gdf["precision"] == "city"]
    assert query.default_level(city_only) == "city"
    assert query.default_level(gdf.iloc[:0]) == "county"
