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
    ("上半年一季度签约", "2024-05-01", [("2024-01-01", "2024-06-30"), ("2024-01-01", "2024-03-31")]),
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


def test_article_year_skips_targets():
    from geo.extract.dates import article_year
    assert article_year("2022年产值翻番，截至2023年6月底签约，力争2025年建成，到2026年产值达百亿") == 2023
    assert article_year("《2027年行动计划》发布，2024年完成投资") == 2024
    assert article_year("没有年份") is None


def test_default_year_resolves_undated_text():
    assert [d.date for d in find_dates("今年一季度签约", None, default_year=2024)] == ["2024-01-01", "2024-01-01"]
    assert [d.date for d in find_dates("3月5日开工", None, default_year=2024)] == ["2024-03-05"]
    assert find_dates("15日开工", None, default_year=2024) == []  # a bare day needs a month


def test_since_year_is_a_period_start():
    assert [(d.text, d.date) for d in find_dates("2021年以来累计签约", "2023-06-20")] == [("2021年以来", "2021-01-01")]


def test_days_is_the_span_length():
    spans = find_dates("2023年1-8月累计签约，3月5日开工", "2023-09-30")
    assert [(d.text, d.days) for d in spans] == [("2023年1-8月", 242), ("3月5日", 0)]


def test_digits_of_amounts_and_counts_are_not_dates():
    assert find_dates("投资50亿元，建设12个项目，2项", "2023-06-20") == []
    assert [d.text for d in find_dates("投资50亿元，12月投产", "2023-06-20")] == ["12月"]


def test_half_years_are_spans():
    got = find_dates("上半年，全市实现营收约68亿元；2023年下半年签约12个项目", "2024-07-10")
    assert [(d.text, d.date, d.date_end) for d in got] == [
        ("上半年", "2024-01-01", "2024-06-30"), ("2023年下半年", "2023-07-01", "2023-12-31")]


def test_dates_after_a_plan_word_are_planned():
    got = find_dates("3月5日签约，计划今年9月开工", "2024-03-08")
    assert [(d.date, d.planned) for d in got] == [("2024-03-05", False), ("2024-09-01", True)]
