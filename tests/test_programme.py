"""The programme's numbers: star bands, levels, validity."""
import datetime as dt
from decimal import Decimal

import pytest

from catalog.kernel import calendar, programme


@pytest.mark.parametrize(("score", "stars"), [
    ("0", 1), ("29.99", 1), ("30", 2), ("49.9", 2), ("49.99", 2), ("50", 3), ("69.9", 3),
    ("70", 4), ("89.9", 4), ("89.99", 4), ("90", 5), ("100", 5),
])
def test_stars_follow_the_bands_of_decision_26(score, stars):
    assert programme.stars_for_score(Decimal(score)) == stars


@pytest.mark.parametrize("score", ["-0.01", "100.01"])
def test_scores_outside_0_to_100_have_no_stars(score):
    with pytest.raises(ValueError, match="outside 0-100"):
        programme.stars_for_score(Decimal(score))


@pytest.mark.parametrize(("stars", "level"), [(3, "province"), (4, "province"), (5, "national")])
def test_five_stars_are_national_the_rest_provincial(stars, level):
    assert programme.required_level(stars) == level


@pytest.mark.parametrize(("decided", "until"), [
    (dt.date(2024, 12, 20), dt.date(2027, 12, 20)),
    (dt.date(2024, 2, 29), dt.date(2027, 2, 28)),
    (dt.date(2023, 1, 31), dt.date(2026, 1, 31)),
])
def test_recognition_is_valid_36_months(decided, until):
    assert programme.valid_until(decided) == until


def test_dates_take_effect_at_midnight_in_vietnam():
    start = calendar.start_of_day(dt.date(2024, 12, 20))
    assert start == dt.datetime(2024, 12, 19, 17, 0, tzinfo=dt.UTC)
    assert calendar.end_of_day(dt.date(2024, 12, 20)) == start + dt.timedelta(days=1)
    assert calendar.local_date(start) == dt.date(2024, 12, 20)
    assert calendar.local_date(start - dt.timedelta(microseconds=1)) == dt.date(2024, 12, 19)
