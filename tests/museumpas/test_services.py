import datetime

import pytest

from museumpas.services import age_group, local_date, local_midnight, region_for_postcode


@pytest.mark.parametrize(
    ("postcode", "region"),
    [
        ("1000", "brussels"),
        ("1299", "brussels"),
        ("1300", "wallonia"),
        ("1500", "flanders"),
        ("3999", "flanders"),
        ("4000", "wallonia"),
        ("7999", "wallonia"),
        ("8000", "flanders"),
        ("9999", "flanders"),
        ("75001", "other"),
        ("", "other"),
    ],
)
def test_the_region_follows_from_the_belgian_postcode(postcode, region):
    assert region_for_postcode(postcode) == region


def test_the_age_group_is_the_age_in_the_year_of_the_visit():
    visit_day = datetime.date(2026, 5, 1)
    assert age_group(birth_year=2001, on=visit_day) == "0-25"
    assert age_group(birth_year=2000, on=visit_day) == "26-35"
    assert age_group(birth_year=1960, on=visit_day) == "66+"
    assert age_group(birth_year=None, on=visit_day) == "unknown"


@pytest.mark.parametrize(
    ("day", "utc"),
    [
        (datetime.date(2026, 1, 15), datetime.datetime(2026, 1, 14, 23, 0, tzinfo=datetime.UTC)),
        (datetime.date(2026, 7, 1), datetime.datetime(2026, 6, 30, 22, 0, tzinfo=datetime.UTC)),
        # The days the clocks change: midnight is before the change, at winter or summer time.
        (datetime.date(2026, 3, 29), datetime.datetime(2026, 3, 28, 23, 0, tzinfo=datetime.UTC)),
        (datetime.date(2026, 10, 25), datetime.datetime(2026, 10, 24, 22, 0, tzinfo=datetime.UTC)),
    ],
)
def test_a_local_day_starts_at_brussels_midnight(day, utc):
    assert local_midnight(day) == utc
    assert local_date(local_midnight(day)) == day
    assert local_date(local_midnight(day) - datetime.timedelta(microseconds=1)) == day - (
        datetime.timedelta(days=1)
    )
