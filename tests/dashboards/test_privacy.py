"""The privacy rules as functions over counts."""

import datetime

from dashboards.privacy import Segment, cut_is_safe, hidden_months

JAN, FEB, MAR, APR = (datetime.date(2026, month, 1) for month in (1, 2, 3, 4))


def test_a_month_under_five_is_hidden_with_the_smallest_month_beside_it():
    assert hidden_months({JAN: 12, FEB: 7, MAR: 2, APR: 0}, k=5) == {MAR, FEB}


def test_no_complement_is_needed_when_the_hidden_months_hold_five_together():
    assert hidden_months({JAN: 12, FEB: 3, MAR: 2}, k=5) == {FEB, MAR}
    assert hidden_months({JAN: 12, FEB: 5, MAR: 0}, k=5) == set()


def test_a_month_whose_cut_is_unsafe_is_hidden_until_the_hidden_ones_are_safe_together():
    unsafe = {FEB}

    def safe(months):
        return not (months & unsafe) or len(months) > 1

    assert hidden_months({JAN: 10, FEB: 10, MAR: 20}, k=5, safe=safe) == {FEB, JAN}


def test_a_cut_is_safe_when_every_group_holds_zero_or_at_least_k():
    cells = {("36-45", "nl", "flanders"): 10, ("66+", "nl", "flanders"): 3}
    assert cut_is_safe(cells, ("language",), k=5)
    assert not cut_is_safe(cells, ("age_group",), k=5)
    assert cut_is_safe(cells, (), k=5)
    assert cut_is_safe({("66+", "fr", "wallonia"): 0}, ("age_group",), k=5)


def test_a_segment_matches_the_cells_of_its_values():
    segment = Segment(age_group="66+", region="wallonia")
    assert segment.dimensions == ("age_group", "region")
    assert segment.matches(("66+", "fr", "wallonia"))
    assert not segment.matches(("66+", "fr", "flanders"))
    assert Segment().is_everyone and Segment().matches(("0-25", "en", "other"))
