"""Questions over project entities (geo.link.entities): one project's timeline, signings not started
after N months, and the 签约 → 开工 → 投产 funnel per city. Plain frames in, plain frames out."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.models import is_missing

TIMELINE_COLUMNS = ["date", "stage", "name", "amount_yi", "place_text", "article_title", "article_id", "id"]
FUNNEL = (("signed", "签约 signed"), ("started", "开工 started"), ("in_production", "投产 in production"))
_REACHED = {"signed": {"signed", "started", "in_production"}, "started": {"started", "in_production"},
            "in_production": {"in_production"}}


def timeline(records: pd.DataFrame, uid: str) -> pd.DataFrame:
    """The reports of project `uid`, oldest first (date: the record's, else its article's)."""
    rows = records[records["project_uid"] == uid].copy()
    own = rows["date"].astype("object")
    rows["date"] = own.where(own.notna(), rows.get("article_date"))
    columns = [c for c in TIMELINE_COLUMNS if c in rows]
    return rows.sort_values(["date", "id"], na_position="last")[columns].reset_index(drop=True)


def _months_before(day: dt.date, months: int) -> str:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28)).isoformat()


def signed_not_started(projects: pd.DataFrame, months: int, today: dt.date | None = None) -> pd.DataFrame:
    """Projects signed at least `months` months before `today` with no report of a start or production."""
    if months < 0:
        raise ValueError(f"months must be 0 or more, not {months}")
    cutoff = _months_before(today or dt.date.today(), months)
    signed = projects["signed_date"].astype("object")
    stalled = (projects["current_stage"] == "signed") & signed.notna() & (signed.fillna("9999") <= cutoff)
    return projects[stalled].sort_values("signed_date").reset_index(drop=True)


def stage_funnel(projects: pd.DataFrame) -> pd.DataFrame:
    """Per city: projects that reached signing, start and production (a started project was signed).

    A project's furthest stage is its `current_stage`; projects with no stage are left out.
    Columns: city_adcode, city, signed, started, in_production.
    """
    staged = projects[projects["current_stage"].isin(list(_REACHED["signed"]))]
    city = staged["city"].astype("object").where(staged["city"].notna(), "未定位 unresolved")
    out = pd.DataFrame({"city_adcode": staged["city_adcode"].astype("object"), "city": city})
    for stage, _ in FUNNEL:
        out[stage] = staged["current_stage"].isin(list(_REACHED[stage])).astype(int)
    out["city_adcode"] = out["city_adcode"].map(lambda v: "" if is_missing(v) else v)
    grouped = out.groupby(["city_adcode", "city"], as_index=False)[[s for s, _ in FUNNEL]].sum()
    return grouped.sort_values(["signed", "city_adcode"], ascending=[False, True]).reset_index(drop=True)
