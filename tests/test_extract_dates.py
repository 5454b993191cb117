"""Dates: ISO resolution against the article date, spans, and words that are not dates."""
import pytest

from geo.extract.dates import find_dates


def dates(text, ref="2023-06-20", context=""):
    return [(d.date, d.date_end) for d in find_dates(text, ref, context)]


@pytest.mark.parametrize("text, ref, expected", [
    ("5月9日至11日，推介会在西安举行", "2023-06-20", [("2023-05-09", "2023-05-11")]),
    ("9月28日-10月2日举办", "2022-10-10", [("2022-09-28", "2022-10-02")]),
    ("2022年3月5日签约", "2024-01-01", [("2022-03-05", None)]),
    ("2023年1-8月，全市签约", "2023-09-30", [("2023-01-01", "2023-08-31")]),
    ("2021年11月投产", None, [("2021-11-01", "2021-11-30")]),
    ("今年以来", "2023-06-20", [("2023-01-01", "2023-12-31")]),
    ("去年全市", "2023-06-20", [("2022-01-01", "2022-12-31")]),
    ("上半年一季度签约", "2024-05-01", [("2024-01-01", "2024-03-31")]),
    ("15日，项目开工", "2023-06-20", [("2023-06-15", None)]),
    ("25日，项目开工", "2023-06-20", [("2023-05-25", None)]),
    ("项目8月底开工", "2023-06-20", [("2023-08-01", "2023-08-31")]),
    ("2020年完成产值", "2023-06-20", [("2020-01-01", "2020-12-31")]),
])
def test_resolved(text, ref, expected):
    assert dates(text, ref) == expected


@pytest.mark.parametrize("text", ["后年开工", "第一时间发往各地", "连续12年入围", "预计到2030年营收翻番", "明年投产"])
def test_not_dates(text):
    assert dates(text, "2023-06-20") == []


def test_year_in_the_sentence_beats_article_year():
    assert dates("2021年项目于3月8日开工", "2023-06-20")[-1] == ("2021-03-08", None)


def test_context_year_used_only_without_article_date():
    assert dates("3月8日开工", None, context="2022年以来") == [("2022-03-08", None)]
    assert dates("3月8日开工", "2023-06-20", context="2022年以来") == [("2023-03-08", None)]


def test_no_year_anywhere_gives_nothing():
    assert dates("3月8日开工", None) == []


def test_invalid_calendar_dates_are_dropped():
    assert dates("2月30日签约", "2023-06-20") == []
