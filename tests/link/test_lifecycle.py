"""geo.link.lifecycle on invented projects (names, dates and places made up for the tests)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.link.lifecycle import signed_not_started, stage_funnel, timeline, undated


def projects() -> pd.DataFrame:
    return pd.DataFrame([
        dict(project_uid="p-1", name="鸿远玻纤智造项目", current_stage="in_production", signed_date="2022-05-10",
             city_adcode="140900", city="忻州市", chain="玻璃"),
        dict(project_uid="p-2", name="北辰储能电站项目", current_stage="signed", signed_date="2023-01-05",
             city_adcode="140900", city="忻州市", chain="储能"),
        dict(project_uid="p-3", name="云岭锂电池项目", current_stage="signed", signed_date="2024-04-01",
             city_adcode="140100", city="太原市", chain="储能"),
        dict(project_uid="p-4", name="泰和特钢项目", current_stage="started", signed_date=None,
             city_adcode="140100", city="太原市", chain=None),
        dict(project_uid="p-5", name="无阶段项目", current_stage=None, signed_date=None, city_adcode=None, city=None,
             chain="玻璃"),
    ])


def test_signed_but_not_started_after_n_months():
    today = dt.date(2024, 6, 30)
    assert list(signed_not_started(projects(), 12, today)["project_uid"]) == ["p-2"]
    assert list(signed_not_started(projects(), 2, today)["project_uid"]) == ["p-2", "p-3"]
    with pytest.raises(ValueError, match="months"):
        signed_not_started(projects(), -1, today)


def test_stage_funnel_per_city_counts_later_stages_as_signed():
    funnel = stage_funnel(projects()).set_index("city")
    assert funnel.loc["忻州市", ["signed", "started", "in_production"]].tolist() == [2, 1, 1]
    assert funnel.loc["太原市", ["signed", "started", "in_production"]].tolist() == [2, 1, 0]
    assert len(funnel) == 2  # the project without a stage is left out


def test_stage_funnel_per_chain_counts_each_project_once():
    twice = pd.concat([projects(), projects().iloc[[1]]], ignore_index=True)  # p-2 met twice
    funnel = stage_funnel(twice, by="chain")
    assert list(funnel.columns) == ["chain", "signed", "started", "in_production"]
    rows = funnel.set_index("chain")
    assert rows.loc["储能"].tolist() == [2, 0, 0]  # p-2 and p-3, p-2 once
    assert rows.loc["玻璃"].tolist() == [1, 1, 1]  # p-5 has no stage
    assert rows.loc["未分类 unclassified"].tolist() == [1, 1, 0]  # p-4 has no chain
    assert rows["signed"].sum() == 4 == stage_funnel(twice)["signed"].sum()  # by city: the same projects
    with pytest.raises(ValueError, match="'county'"):
        stage_funnel(projects(), by="county")


def test_timeline_orders_reports_by_date():
    records = pd.DataFrame([
        dict(id="c", project_uid="p-1", date="2024-06-01", article_date="2024-06-03", stage="in_production"),
        dict(id="a", project_uid="p-1", date=None, article_date="2022-05-12", stage="signed"),
        dict(id="b", project_uid="p-1", date="2023-03-01", article_date="2023-03-02", stage="started"),
        dict(id="x", project_uid="p-2", date="2023-01-05", article_date="2023-01-05", stage="signed"),
    ])
    out = timeline(records, "p-1")
    assert list(out["id"]) == ["a", "b", "c"]
    assert list(out["date"]) == ["2022-05-12", "2023-03-01", "2024-06-01"]


def test_timeline_keeps_undated_reports_last_with_their_sentence_and_link():
    records = pd.DataFrame([
        dict(id="u", project_uid="p-1", date=None, article_date=None, stage="started", sentence="该项目开工。",
             article_title="无日期的报道", url="https://example.org/u"),
        dict(id="a", project_uid="p-1", date="2022-05-10", article_date="2022-05-12", stage="signed",
             sentence="鸿远玻纤项目签约。", article_title="签约报道", url="https://example.org/a"),
    ])
    out = timeline(records, "p-1")
    assert list(out["id"]) == ["a", "u"]
    assert out.loc[1, "sentence"] == "该项目开工。" and out.loc[1, "url"] == "https://example.org/u"
    assert undated(out) == 1
