"""Dates in Chinese news text, resolved to ISO against the article date and nearby years.

A date is the day (or span) of an event the text describes. Not dates: 后年, 明年 (future
plans), 第一时间, 连续12年 (durations), and bare years after the article year (2025年 targets
in a 2022 plan are planned dates, not events; they are skipped).
"""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from .lexicon import starts_finditer

_DAY = r"(\d{1,2})日"
_PATTERNS = [
    # 2023年1-11月, 2023年1月至11月: a span of months.
    ("ymm", re.compile(r"(\d{4})年(\d{1,2})月?\s*(?:至|到|-|—|–|~)\s*(\d{1,2})月(?!\d{0,2}日)")),
    # 7月12日至13日 / 7月12日-8月2日, optionally with a year.
    ("mdd", re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日\s*(?:至|到|-|—|–|~)\s*(?:(\d{1,2})月)?(\d{1,2})日")),
    ("ymd", re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")),
    ("ym", re.compile(r"(\d{4})年(\d{1,2})月(?!\d)")),
    # 2022年以来: the period a cumulative figure covers, from the start of that year.
    ("since", re.compile(r"(\d{4})年以来")),
    # 8月底 / 9月份 / 6月: a month of the stated or article year.
    ("m", re.compile(r"(?<![\d至到\-—–~年])(\d{1,2})月(?:底|初|中旬|上旬|下旬|份|末)?(?![\d至到\-—–~])")),
    ("quarter", re.compile(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度")),
    ("half", re.compile(r"(?:(\d{4})年)?([上下])半年")),
    ("y", re.compile(r"(?<![\d第])(\d{4})年(?!\d|代|度计划)")),
    ("relm", re.compile(r"(今年|去年)(\d{1,2})月")),
    ("rel", re.compile(r"今年|去年|前年")),
    ("d", re.compile(r"(?<![\d月号日年])(\d{1,2})日(?!\d)")),
]
# Words each pattern cannot match without (one of each group), to skip patterns cheaply.
_NEEDS = {
    "ymm": (("年",), ("月",)), "mdd": (("月",), ("日",)), "ymd": (("月",), ("日", "号")),
    "ym": (("年",), ("月",)), "since": (("以来",),), "m": (("月",),), "quarter": (("季度",),), "half": (("半年",),), "y": (("年",),),
    "relm": (("今年", "去年"), ("月",)), "rel": (("今年", "去年", "前年"),), "d": (("日",),),
}
# The characters each pattern's matches begin with, for lexicon.starts_finditer.
_DIGIT = re.compile(r"\d")
_STARTS = {kind: _DIGIT for kind, _ in _PATTERNS}
_STARTS.update(quarter=re.compile(r"[\d第一二三四]"), half=re.compile(r"[\d上下]"), relm=re.compile("[今去]"), rel=re.compile("[今去前]"))
_NEEDED_WORDS = frozenset(w for groups in _NEEDS.values() for group in groups for w in group)
# The same test as bit masks: one bit per needed word; a pattern runs when every one of its
# groups has a bit in the text's mask. The patterns to run depend on the mask only.
_WORD_BIT = {w: 1 << i for i, w in enumerate(sorted(_NEEDED_WORDS))}
_GROUP_MASKS = {kind: tuple(sum(_WORD_BIT[w] for w in group) for group in groups) for kind, groups in _NEEDS.items()}
_STATED_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


@functools.cache
def _patterns_for(mask: int) -> tuple[tuple[str, re.Pattern], ...]:
    """The (kind, pattern) pairs, in order, whose needed words the mask holds."""
    return tuple((kind, pattern) for kind, pattern in _PATTERNS
                 if all(mask & group for group in _GROUP_MASKS[kind]))
# Every date has a digit right before 年/月/日/号 (the digit patterns), or 季度, 半年, 今年/去年/前年.
_ANY_DATE = re.compile(r"\d[年月日号]|季度|半年|今年|去年|前年")
# The digits a digit pattern's match can start at: every digit-pattern match begins with a run
# of digits ending right before 年/月/日/号 (2023年…, 8月…, 15日), so digits of amounts
# (50亿元) and counts are never tried. All digits of such a run are kept, because a match may
# start inside it (123月 → 23月).
_DATE_DIGITS = re.compile(r"\d+(?=[年月日号])")
# Patterns whose year may be left out (taken from the text or the article); for the others
# the year hint is not computed. Their group 1 is the optional year ("m" has none).
_NEEDS_YEAR = frozenset({"mdd", "ymd", "m", "quarter", "half"})
_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class DateSpan:
    """A resolved date (and end date for spans) found at text[start:end]."""

    start: int
    end: int
    text: str
    date: str
    date_end: str | None = None
    days: int = 0  # date_end - date in days (0 for a single day): the most specific date has fewest
    planned: bool = False  # a date something is planned for (计划今年9月开工), not an event's


def find_dates(text: str, article_date: str | None = None, context: str = "",
               default_year: int | None = None) -> list[DateSpan]:
    """All resolvable dates in `text`, left to right, non-overlapping.

    `article_date` (ISO) supplies the year (and month for bare days) unless `text` states a
    year before the date; `context` (text just before, e.g. the previous paragraph) is searched
    for a year only when the article has no date, and `default_year` (see article_year) is
    the last resort: it also stands for 今年 when there is no article date. Unresolvable dates
    are left out.
    """
    if not _ANY_DATE.search(text):
        return []  # nothing any pattern could match
    ref = _parse_iso(article_date)
    if ref is None and default_year is not None and 1949 <= default_year <= 2100:
        # An undated article's own year: 今年/去年 resolve against it; bare days ("15日")
        # still need a month, which a year alone does not give (see _resolve "d").
        ref_year = default_year
    else:
        ref_year = None
    taken: list[tuple[int, int]] = []
    out: list[DateSpan] = []
    mask = 0
    for word, bit in _WORD_BIT.items():
        if word in text:
            mask |= bit
    digits: list[int] | None = None  # _DATE_DIGITS positions, shared by the patterns starting with one
    for kind, pattern in _patterns_for(mask):
        if _STARTS[kind] is _DIGIT:
            if digits is None:
                digits = [p for run in _DATE_DIGITS.finditer(text) for p in range(run.start(), run.end())]
            found = _match_at(pattern, text, digits)
        else:
            found = starts_finditer(pattern, text, _STARTS[kind])
        for m in found:
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            # A year stated earlier in the same text beats the article year, which beats a
            # year stated in the preceding context.
            year_hint = None
            if kind in _NEEDS_YEAR and not (kind != "m" and m.group(1)):
                year_hint = (_stated_year(text[:m.start()]) or (ref.year if ref else None)
                             or _stated_year(text) or _stated_year(context) or ref_year)
            resolved = _resolve(kind, m, ref, year_hint, ref_year)
            if resolved:
                taken.append((m.start(), m.end()))
                first, last = resolved
                days = (date.fromisoformat(last) - date.fromisoformat(first)).days if last else 0
                planned = bool(_PLANNED.search(text, max(0, m.start() - 4), m.start()))
                out.append(DateSpan(m.start(), m.end(), m.group(), first, last, days, planned))
    return sorted(out, key=lambda d: d.start)


def _match_at(pattern: re.Pattern, text: str, positions: list[int]) -> list[re.Match]:
    """lexicon.starts_finditer with the start positions already found (ascending)."""
    out, done = [], 0
    for p in positions:
        if p >= done:
            m = pattern.match(text, p)
            if m:
                out.append(m)
                done = m.end()
    return out


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _stated_year(before: str) -> int | None:
    years = _STATED_YEAR.findall(before[-200:])
    return int(years[-1]) if years else None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _month_end(y: int, m: int) -> str | None:
    if not 1 <= m <= 12:
        return None
    return _iso(y, m, calendar.monthrange(y, m)[1])


def _resolve(kind: str, m: re.Match, ref: date | None, year: int | None,
             ref_year: int | None = None) -> tuple[str, str | None] | None:
    g = m.groups()
    if kind == "ymm":
        y, m1, m2 = int(g[0]), int(g[1]), int(g[2])
        start, end = _iso(y, m1, 1), _month_end(y, m2)
        return (start, end) if start and end and m1 <= m2 else None
    if kind == "mdd":
        y = int(g[0]) if g[0] else year
        if y is None:
            return None
        m1, d1 = int(g[1]), int(g[2])
        m2 = int(g[3]) if g[3] else m1
        start, end = _iso(y, m1, d1), _iso(y, m2, int(g[4]))
        return (start, end) if start and end and start <= end else None
    if kind == "ymd":
        y = int(g[0]) if g[0] else year
        iso = _iso(y, int(g[1]), int(g[2])) if y else None
        return (iso, None) if iso else None
    if kind == "ym":
        y, mo = int(g[0]), int(g[1])
        start = _iso(y, mo, 1)
        return (start, _month_end(y, mo)) if start else None
    if kind == "since":
        y = int(g[0])
        if not 1949 <= y <= 2100 or (ref and y > ref.year):
            return None
        return _iso(y, 1, 1), None
    if kind == "m":
        mo = int(g[0])
        start = _iso(year, mo, 1) if year and 1 <= mo <= 12 else None
        return (start, _month_end(year, mo)) if start else None
    if kind == "quarter":
        y = int(g[0]) if g[0] else year
        if y is None:
            return None
        q = _Q[g[1]]
        return _iso(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if kind == "half":  # 上半年 / 下半年
        y = int(g[0]) if g[0] else year
        if y is None:
            return None
        return (_iso(y, 1, 1), _iso(y, 6, 30)) if g[1] == "上" else (_iso(y, 7, 1), _iso(y, 12, 31))
    if kind == "y":
        y = int(g[0])
        if not 1949 <= y <= 2100 or (ref and y > ref.year):
            return None  # a future target year is a plan, not an event
        return _iso(y, 1, 1), _iso(y, 12, 31)
    if kind == "relm":
        if ref is None and ref_year is None:
            return None
        y = (ref.year if ref else ref_year) - (1 if g[0] == "去年" else 0)
        start = _iso(y, int(g[1]), 1)
        return (start, _month_end(y, int(g[1]))) if start else None
    if kind == "rel":
        if ref is None and ref_year is None:
            return None
        y = (ref.year if ref else ref_year) - {"今年": 0, "去年": 1, "前年": 2}[m.group()]
        return _iso(y, 1, 1), _iso(y, 12, 31)
    if kind == "d":
        if ref is None:
            return None
        d = int(g[0])
        # A bare day is in the article's month, or the month before if it has not come yet.
        y, mo = ref.year, ref.month
        if d > ref.day:
            y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
        iso = _iso(y, mo, d)
        return (iso, None) if iso else None
    return None


# A date right after a plan word (计划今年9月开工, 预计年底投产于…) is when something should happen.
_PLANNED = re.compile(r"(?:预计|计划|将于|将在|力争|争取|有望|拟于|拟在)\s*$")
# A year that is a target or deadline, not a time the text reports on: 到2025年, 力争2024年,
# 预计将于2024年, 2024年行动计划. 截至2023年 is a reporting date and counts.
_FUTURE_YEAR = re.compile(r"(?:(?<!截)至|到|于|力争|争取|预计|计划|目标|前)\s*$")
# Without a look-behind (re then skips ahead to 1/2 fast); article_year tests "no digit before"
# itself. A match preceded by a digit hides no valid one: the positions it covers follow digits.
_YEAR_WORD = re.compile(r"(?:19|20)\d\d年")
_NOT_EVENT_YEAR = ("代", "度计划", "行动计划", "规划", "目标", "前")


def article_year(text: str) -> int | None:
    """The year an undated article reports from: the latest year it states, targets left out.

    News reports look back (2022年完成产值…, 2月22日在2023年第一次…活动中) and forward (到2025年…);
    the latest non-target year is the article's own year. None if the text states no year.
    """
    best = None
    for m in _YEAR_WORD.finditer(text):
        start = m.start()
        if start > 0 and _DIGIT.match(text, start - 1):
            continue
        if text.startswith(_NOT_EVENT_YEAR, m.end()) or _FUTURE_YEAR.search(text[max(0, start - 4):start]):
            continue
        y = int(text[start:start + 4])
        best = y if best is None or y > best else best
    return best
