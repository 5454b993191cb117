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


def _reports():
    """geo.link.lifecycle.timeline of an invented project: three dated reports, one undated, one hostile link."""
    import pandas as pd

    return pd.DataFrame([
        dict(date="2022-05-10", stage="signed", name="鸿远玻纤智造项目", amount_yi=35.0, place_text="原平市",
             sentence="鸿远玻纤项目成功签约，总投资35亿元。", article_title="原平市签约<b>鸿远</b>",
             url="https://news.example.org/a1", id="r1"),
        dict(date="2023-03-01", stage="started", name="鸿远玻纤项目", amount_yi=35.3, place_text="原平市",
             sentence="鸿远玻纤项目开工建设。", article_title="集中开工", url="javascript:alert(1)", id="r2"),
        dict(date="2024-06-01", stage="in_production", name="鸿远玻纤项目", amount_yi=None, place_text=None,
             sentence="项目正式投产。", article_title="投产", url=None, id="r3"),
        dict(date=None, stage=None, name="鸿远玻纤项目", amount_yi=None, place_text=None,
             sentence="鸿远玻纤项目进展顺利。", article_title="无日期", url="http://news.example.org/a4", id="r4"),
    ])


def test_timeline_table_labels_stages_and_keeps_only_web_links():
    from geo.web.labels import timeline_table

    table = timeline_table(_reports())
    assert list(table["id"]) == ["r1", "r2", "r3", "r4"]  # the undated report stays, last
    assert list(table["stage"]) == ["签约 signed", "开工 started", "投产 in production", "未标注 no stage"]
    assert list(table["url"]) == ["https://news.example.org/a1", None, None, "http://news.example.org/a4"]
    assert table.loc[0, "amount"] == "35.00 亿元" and table.loc[2, "amount"] == ""
    assert table.loc[3, "date"] is None and table.loc[2, "place_text"] == ""
    assert table.loc[0, "article_title"] == "原平市签约<b>鸿远</b>"  # text stays text (shown by widgets without markup)


def test_project_timeline_chart_has_one_point_per_dated_report():
    from geo.web.labels import timeline_table

    spec = charts.chart_project_timeline(timeline_table(_reports()))
    validate_jsonschema(spec, alt.vegalite.v6.schema.load_schema())
    (points,) = spec["datasets"].values()
    assert [p["date"] for p in points] == ["2022-05-10", "2023-03-01", "2024-06-01"]  # undated: not on the axis
    assert [p["url"] for p in points] == ["https://news.example.org/a1", "", ""]
    line, marks = spec["layer"]
    enc = marks["encoding"]
    assert enc["x"]["field"] == "date" and enc["x"]["type"] == "temporal"
    assert enc["y"]["sort"] == ["投产 in production", "开工 started", "签约 signed"]  # furthest stage on top
    assert [t["field"] for t in enc["tooltip"]] == ["day", "stage", "amount", "sentence", "article_title", "url"]
    assert [p["day"] for p in points] == [p["date"] for p in points]  # the tooltip's date stays text
    assert enc["href"]["field"] == "url" and enc["color"]["scale"]["domain"] == ["签约 signed", "开工 started",
                                                                                 "投产 in production"]
