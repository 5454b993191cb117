"""Periods for the time slider: months or quarters between two dates, and where each one ends.

The slider shows the investment that has arrived *up to* a period (a cumulative view), so a
period turns into an upper date bound for query.Filters.date_to. Labels are "2023-04" for a
month and "2023-Q2" for a quarter; they also go into the URL as they are.
"""
from __future__ import annotations

import calendar
import datetime as dt

STEPS = ("month", "quarter")
ALL = "all"  # the slider's last stop: no time bound


def periods(date_min: str, date_max: str, step: str = "month") -> list[str]:
    """The labels of every month (or quarter) from `date_min` to `date_max` (ISO dates), in order."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}; expected one of {', '.join(STEPS)}")
    lo, hi = dt.date.fromisoformat(date_min[:10]), dt.date.fromisoformat(date_max[:10])
    if hi < lo:
        raise ValueError(f"date_max {date_max!r} is before date_min {date_min!r}")
    out = []
    year, month = lo.year, lo.month
    while (year, month) <= (hi.year, hi.month):
        text = f"{year}-{month:02d}" if step == "month" else f"{year}-Q{(month - 1) // 3 + 1}"
        if not out or out[-1] != text:
            out.append(text)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def period_end(period: str) -> str:
    """The ISO date of the last day of a period label ("2023-04" → "2023-04-30", "2023-Q2" → "2023-06-30")."""
    try:
        year, rest = period.split("-")
        month = int(rest[1:]) * 3 if rest.startswith("Q") else int(rest)
        if not 1 <= month <= 12:
            raise ValueError
        return dt.date(int(year), month, calendar.monthrange(int(year), month)[1]).isoformat()
    except ValueError:
        raise ValueError(f"not a month or quarter label: {period!r}") from None


def default_step(date_min: str, date_max: str, max_months: int = 36) -> str:
    """"month" when the span has at most `max_months` months, else "quarter" (fewer slider stops)."""
    return "month" if len(periods(date_min, date_max)) <= max_months else "quarter"


def clip_date_to(date_to: str | None, period: str | None) -> str | None:
    """The earlier of a filter's `date_to` and the end of `period` (None or ALL: no time bound)."""
    if not period or period == ALL:
        return date_to
    end = period_end(period)
    return min(date_to, end) if date_to else end
