"""geo.link.lifecycle on invented projects (names, dates and places made up for the tests)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.link.lifecycle import signed_not_started, stage_funnel, timeline


def projects() -> pd.DataFrame:
    return pd.DataFrame([
        dict(project_uid="p-1", name="鸿远玻纤智造项目", current_stage="in_production", signed_date="2022-05-10",
             city_adcode="140900", city="忻州市"),
        dict(project_uid="p-2", name="北辰储能电站项目", current_stage="signed", signed_date="2023-01-05",
             city_adcode="140900", city="忻州市"),
        dict(project_uid="p-3", name="云岭锂电池项目", current_stage="signed", signed_date="2024-04-01",
             city_adcode="140100", city="太原市"),
        dict(project_uid="p-4", name="泰和特钢项目", current_stage="started", signed_date=None,
             city_adcode="140100", city="太原市"),
        dict(project_uid="p-5", name="无阶段项目", current_stage=None, signed_date=None, city_adcode=None, city=None),
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
