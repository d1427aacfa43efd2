import datetime

import pytest

from museumpas.services import age_group, region_for_postcode


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
