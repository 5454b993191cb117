"""Questions over project entities (geo.link.entities): one project's timeline, signings not started
after N months, and the 签约 → 开工 → 投产 funnel per city or per industry chain. Plain frames in, plain
frames out."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.models import is_missing

TIMELINE_COLUMNS = ["date", "stage", "name", "amount_yi", "place_text", "sentence", "article_title", "url",
                    "article_id", "id"]
FUNNEL = (("signed", "签约 signed"), ("started", "开工 started"), ("in_production", "投产 in production"))
# A funnel's rows: its key columns, and the name of the row of projects without that key.
FUNNEL_GROUPS = {"city": (("city_adcode", "city"), "未定位 unresolved"), "chain": (("chain",), "未分类 unclassified")}
_REACHED = {"signed": {"signed", "started", "in_production"}, "started": {"started", "in_production"},
            "in_production": {"in_production"}}


def timeline(records: pd.DataFrame, uid: str) -> pd.DataFrame:
    """The reports of project `uid`, oldest first, undated ones last (date: the record's, else its article's)."""
    rows = records[records["project_uid"] == uid].copy()
    own = rows["date"].astype("object")
    rows["date"] = own.where(own.notna(), rows.get("article_date"))
    columns = [c for c in TIMELINE_COLUMNS if c in rows]
    return rows.sort_values(["date", "id"], na_position="last")[columns].reset_index(drop=True)


def undated(reports: pd.DataFrame) -> int:
    """How many reports of a timeline have no date (neither their own nor their article's)."""
    return int(reports["date"].isna().sum())


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


def stage_funnel(projects: pd.DataFrame, by: str = "city") -> pd.DataFrame:
    """Per city (`by="city"`) or industry chain (`by="chain"`): projects that reached signing, start and
    production (a started project was signed).

    `projects` is the projects layer, one row per entity; a project_uid met twice still counts once.
    A project's furthest stage is its `current_stage`; projects with no stage are left out.
    Columns: the group's key (city_adcode and city, or chain), signed, started, in_production.
    """
    if by not in FUNNEL_GROUPS:
        raise ValueError(f"a funnel is by {' or '.join(FUNNEL_GROUPS)}, not {by!r}")
    keys, unknown = FUNNEL_GROUPS[by]
    staged = projects[projects["current_stage"].isin(list(_REACHED["signed"]))].drop_duplicates("project_uid")
    # the group's name; a missing one becomes `unknown`, a missing code ""
    out = pd.DataFrame({k: staged[k].astype("object").map(lambda v: "" if is_missing(v) else v) for k in keys})
    out[keys[-1]] = out[keys[-1]].replace("", unknown)
    for stage, _ in FUNNEL:
        out[stage] = staged["current_stage"].isin(list(_REACHED[stage])).astype(int)
    grouped = out.groupby(list(keys), as_index=False)[[s for s, _ in FUNNEL]].sum()
    return grouped.sort_values(["signed", keys[0]], ascending=[False, True]).reset_index(drop=True)
