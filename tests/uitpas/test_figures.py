"""Every figure of issue 21 on the data of conftest.py, computed by hand here.

Alfa (11001), 2026-01-01..2026-03-31:
- holders: h1..h6 (h6 made at 23:00 on 31 March in Brussels; h7 at 00:30 on 1 April is not) = 6
- savers: h1 (1 + 1 point; 5 points on 1 April in Brussels fall outside), h3 (3), h4 (2);
  h2's check-in had 0 points = 3 savers, 7 points
- exchangers: h1 (4), h3 (2), h5 (3); h4's redemption was cancelled = 3, 9 points
- social-tariff holders: h1 ACTIVE, h2 ended 10 January (after `from`), h6 ACTIVE; h3 ended
  31 December (before `from`) = 3; buyers: h1 (2 sales; h2's sale was cancelled, h3 is not a
  social-tariff holder, h6's sale is a COUPON) = 1
"""

import datetime

import pytest

from tests.uitpas.factories import measures
from uitpas import figures

Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
ALFA = {
    "holders": 6,
    "savers": 3,
    "points_saved": 7,
    "exchangers": 3,
    "points_exchanged": 9,
    "social_tariff_holders": 3,
    "social_tariff_buyers": 1,
    "social_tariff_tickets": 2,
    "discount": 23.0,  # s1 7.5, s2 8, s4 7.5 (every SOCIALTARIFF sale of its holders)
}


@pytest.mark.parametrize("raw", [False, True])
def test_counts_of_a_municipality_from_summaries_and_from_raw_records(region, raw):
    found = figures.counts(*Q1, raw=raw)
    assert measures(found["11001"]) == ALFA
    assert found["11002"] == dict.fromkeys((*figures.MEASURES, *figures.KEYS.values()), 0)
    assert found["22001"]["savers"] == 1  # g1, of the other card system


def test_a_day_range_reads_raw_records_with_brussels_days(region):
    # 1 January alone: h1's check-in at 23:30 UTC on 31 December is in it.
    found = figures.counts(datetime.date(2026, 1, 1), datetime.date(2026, 1, 1))["11001"]
    assert (found["savers"], found["points_saved"]) == (1, 1)
    # 1 April alone: h1's 5 points, and h7 now counts as a holder.
    found = figures.counts(datetime.date(2026, 4, 1), datetime.date(2026, 4, 1))["11001"]
    assert (found["savers"], found["points_saved"], found["holders"]) == (1, 5, 7)


def test_ratios_and_null_on_a_zero_denominator(region):
    alfa = figures.with_ratios(figures.counts(*Q1)["11001"], 1000)
    assert alfa["holder_ratio"] == pytest.approx(6 / 1000)
    assert alfa["saver_ratio"] == pytest.approx(3 / 6)
    assert alfa["exchanger_ratio"] == pytest.approx(3 / 3)
    assert alfa["exchange_ratio"] == pytest.approx(9 / 7)
    assert alfa["ticket_sales_ratio"] == pytest.approx(1 / 3)
    beta = figures.with_ratios(figures.counts(*Q1)["11002"], 500)
    assert beta["holder_ratio"] == 0
    for name in ("saver_ratio", "exchanger_ratio", "exchange_ratio", "ticket_sales_ratio"):
        assert beta[name] is None
    assert figures.with_ratios(figures.counts(*Q1)["22001"], None)["holder_ratio"] is None


def test_the_card_system_is_its_municipalities_together(region):
    found = figures.counts(*Q1)
    system = figures.summed([found["11001"], found["11002"]])
    assert system["holders"] == 6 and system["savers"] == 3


def test_every_stored_period_equals_the_raw_records(region):
    """The summaries, refreshed import by import, say what the raw records say."""
    from uitpas.models import PeriodFigures
    from uitpas.services.summaries import summaries_rebuild

    def check():
        rows = list(PeriodFigures.objects.all())
        assert len(rows) > 50
        for row in rows:
            raw = figures.counts(row.first, row.last, [row.municipality_id], raw=True)
            assert row.counts == raw[row.municipality_id], (row.first, row.last)

    check()
    summaries_rebuild()
    check()
