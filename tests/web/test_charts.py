"""Chart tables count only CNY project investment; charts build valid Vega-Lite, empty frames too."""
import json

import altair as alt
import pytest
from altair.utils.schemapi import validate_jsonschema

from geo.web import charts
from geo.models import Article, Record
from geo.store.gpkg import records_frame
from geo.synthetic import grid_counties, synthetic_frame

ART = [Article(id="a1", source="a1.txt", title="文章", date="2023-05-20", text="x")]


def _rec(rid, **kw):
    base = dict(id=rid, kind="project", article_id="a1", sentence="s", amount_kind="investment",
                currency="CNY", precision="county", city="太原市", city_adcode="140100", chain="光伏",
                origin_region="guangdong", date="2023-07-01")
    base.update(kw)
    return Record(**base)


@pytest.fixture()
def frame():
    return records_frame([
        _rec("p1", amount_yi=10.0),
        _rec("p2", amount_yi=2.5, chain="氢能", origin_region="yangtze_delta", date=None),
        _rec("b1", kind="batch", amount_yi=300.0),  # batch: counted as a record, not summed
        _rec("o1", amount_yi=99.0, amount_kind="output"),  # output value: not investment
        _rec("u1", amount_yi=1.0, currency="USD", origin_region=None, precision="unresolved", city=None),
    ], ART)


def test_chain_totals_sum_only_project_investment(frame):
    t = charts.chain_totals(frame).set_index("chain")
    assert t.loc["光伏", "amount_yi"] == 10.0 and t.loc["光伏", "records"] == 4
    assert t.loc["氢能", "amount_yi"] == 2.5
    assert list(charts.chain_totals(frame)["chain"])[0] == "光伏"  # largest first


def test_origin_and_flow_totals(frame):
    o = charts.origin_totals(frame).set_index("region")
    assert o.loc["guangdong", "amount_yi"] == 10.0 and o.loc["_none", "records"] == 1
    f = charts.flow_totals(frame)
    assert "_none" not in set(f["origin"]) and f["records"].sum() == 4
    assert set(f["city"]) == {"太原市"}


def test_monthly_totals_fall_back_to_article_date(frame):
    m = charts.monthly_totals(frame).set_index("month")
    assert m.loc["2023-07", "amount_yi"] == 10.0 and m.loc["2023-05", "amount_yi"] == 2.5


@pytest.mark.parametrize("make", [charts.chart_by_chain, charts.chart_by_origin, charts.chart_flows,
                                  charts.chart_by_month])
def test_charts_render_to_vega_lite_and_handle_empty(frame, make):
    schema = alt.vegalite.v6.schema.load_schema()
    for spec in (make(frame), make(frame.iloc[:0])):  # an empty selection is still a valid chart
        assert spec["$schema"] == alt.SCHEMA_URL and json.dumps(spec)
        validate_jsonschema(spec, schema)  # raises on an invalid Vega-Lite spec
    (name,) = make(frame)["datasets"]
    assert make(frame)["data"] == {"name": name}


def test_chain_colours_match_the_map():
    from geo.web.labels import chain_color

    gdf = synthetic_frame(200, grid_counties(), seed=1)
    spec = charts.chart_by_chain(gdf)
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"] == [chain_color(c) for c in scale["domain"]]
