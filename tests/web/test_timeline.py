import pytest

from geo.web import timeline


def test_months_and_quarters_between_two_dates():
    assert timeline.periods("2023-11-15", "2024-02-01") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert timeline.periods("2023-11-15", "2024-02-01", "quarter") == ["2023-Q4", "2024-Q1"]
    assert timeline.periods("2024-02-01", "2024-02-29") == ["2024-02"]


def test_period_end_and_clip():
    assert timeline.period_end("2024-02") == "2024-02-29"
    assert timeline.period_end("2023-Q2") == "2023-06-30"
    assert timeline.clip_date_to(None, "2023-Q2") == "2023-06-30"
    assert timeline.clip_date_to("2023-05-01", "2023-Q2") == "2023-05-01"
    assert timeline.clip_date_to("2023-05-01", timeline.ALL) == "2023-05-01"
    assert timeline.clip_date_to(None, None) is None


def test_default_step_keeps_the_slider_short():
    assert timeline.default_step("2023-01-01", "2023-12-31") == "month"
    assert timeline.default_step("2016-09-01", "2024-08-19") == "quarter"


@pytest.mark.parametrize("bad", ["2023-13", "2023-Q5", "soon", "2023"])
def test_bad_labels_are_quoted(bad):
    with pytest.raises(ValueError, match=repr(bad)):
        timeline.period_end(bad)


def test_bad_step_and_reversed_dates():
    with pytest.raises(ValueError, match="'week'"):
        timeline.periods("2023-01-01", "2023-02-01", "week")
    with pytest.raises(ValueError, match="before"):
        timeline.periods("2023-02-01", "2023-01-01")
