"""A custom range of months counted from the summary (one pass over `HolderMonth`, each holder
on their first active row in the range) says what the raw records say, also when holders were
active in several months inside and before the range, and after imports change a holder.

Beta (11002), February to April 2026 (holders added here; the region leaves Beta empty):
- b1 (social tariff ACTIVE): saves in November (before), February and March (1 + 2 points),
  none in April (0 points); redeems in December (before), March and April (3 + 1); buys
  social-tariff tickets in January (before), February and April
- b2 (social tariff ended 20 January, before the range): saves in January only; one
  social-tariff ticket in March (its discount counts, the ticket and the buyer do not)
- b3 (social tariff ended 10 February, within the range): saves in December only; redeems
  twice in February (2 + 4); social-tariff tickets in June 2025 and April
- b4 is made in May, after the range: their check-in in March does not count
"""

import datetime
import importlib

import pytest

from tests.uitpas.factories import (
    checkin,
    import_records,
    measures,
    passholder,
    redemption,
    sale,
)
from uitpas import figures
from uitpas.services.summaries import summaries_rebuild

FEB_APR = (datetime.date(2026, 2, 1), datetime.date(2026, 4, 30))
BETA = {
    "holders": 3,
    "savers": 1,
    "points_saved": 3,
    "exchangers": 2,
    "points_exchanged": 10,
    "social_tariff_holders": 2,
    "social_tariff_buyers": 2,
    "social_tariff_tickets": 3,
    "discount": 30.0,  # four social-tariff sales in the range at 7.5
}
MADE = "2025-01-01T10:00:00Z"


def _holders():
    return [
        passholder("b1", "2000", MADE, social=("ACTIVE", "2027-12-31T00:00:00Z")),
        passholder("b2", "2000", MADE, social=("EXPIRED", "2026-01-20T12:00:00Z")),
        passholder("b3", "2000", MADE, social=("EXPIRED", "2026-02-10T12:00:00Z")),
        passholder("b4", "2000", "2026-05-10T10:00:00Z"),
    ]


@pytest.fixture
def beta(region, tmp_path):
    assert import_records(tmp_path, "passholders", _holders())[0] == 0
    checkins = [
        checkin("bc1", "b1", "2025-11-10T10:00:00Z", 2),
        checkin("bc2", "b1", "2026-02-05T10:00:00Z", 1),
        checkin("bc3", "b1", "2026-03-05T10:00:00Z", 2),
        checkin("bc4", "b1", "2026-04-05T10:00:00Z", 0),
        checkin("bc5", "b2", "2026-01-05T10:00:00Z", 1),
        checkin("bc6", "b3", "2025-12-24T10:00:00Z", 3),
        checkin("bc7", "b4", "2026-03-01T10:00:00Z", 1),
    ]
    assert import_records(tmp_path, "checkins", checkins)[0] == 0
    redemptions = [
        redemption("br1", "b1", "2025-12-01T10:00:00Z", 5),
        redemption("br2", "b1", "2026-03-10T10:00:00Z", 3),
        redemption("br3", "b1", "2026-04-10T10:00:00Z", 1),
        redemption("br4", "b3", "2026-02-01T10:00:00Z", 2),
        redemption("br5", "b3", "2026-02-20T10:00:00Z", 4),
    ]
    assert import_records(tmp_path, "redemptions", redemptions)[0] == 0
    sales = [
        sale("bs1", "b1", "2026-01-15T10:00:00Z"),
        sale("bs2", "b1", "2026-02-15T10:00:00Z"),
        sale("bs3", "b1", "2026-04-15T10:00:00Z"),
        sale("bs4", "b2", "2026-03-01T10:00:00Z"),
        sale("bs5", "b3", "2025-06-01T10:00:00Z"),
        sale("bs6", "b3", "2026-04-20T10:00:00Z"),
    ]
    assert import_records(tmp_path, "ticket-sales", sales)[0] == 0


def _month_ranges():
    """Every range of whole months from June 2025 to May 2026 (78 of them)."""
    months = [datetime.date(2025 + (5 + i) // 12, 1 + (5 + i) % 12, 1) for i in range(12)]
    ends = [datetime.date(m.year + m.month // 12, 1 + m.month % 12, 1) for m in months]
    ends = [end - datetime.timedelta(days=1) for end in ends]
    return [(first, last) for first in months for last in ends if last > first]


def _assert_summaries_equal_raw():
    for first, last in _month_ranges():
        assert figures.whole_months(first, last)
        summary, raw = figures.counts(first, last), figures.counts(first, last, raw=True)
        assert summary == raw, (first, last)


def test_a_custom_range_counts_each_holder_once_by_hand(beta):
    assert measures(figures.counts(*FEB_APR)["11002"]) == BETA
    # March alone: b1 saved in February, still a saver of March; b3 redeemed in February only.
    march = figures.counts(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))["11002"]
    assert (march["savers"], march["exchangers"], march["social_tariff_buyers"]) == (1, 1, 0)


def test_every_custom_range_equals_the_raw_records(beta):
    _assert_summaries_equal_raw()
    summaries_rebuild()  # the nightly rebuild writes the same rows as the imports' refresh
    _assert_summaries_equal_raw()
    assert measures(figures.counts(*FEB_APR)["11002"]) == BETA


def test_a_holders_import_changing_social_tariff_or_municipality_refreshes_their_rows(
    beta, tmp_path
):
    holders = _holders()
    holders[1] = passholder("b2", "2000", MADE, social=("ACTIVE", "2027-12-31T00:00:00Z"))
    holders[2] = passholder("b3", "1000", MADE, social=("EXPIRED", "2026-02-10T12:00:00Z"))
    assert import_records(tmp_path, "passholders", holders[1:3])[0] == 0
    beta_now = figures.counts(*FEB_APR)["11002"]
    # b2 now has the social tariff (a buyer of one ticket); b3 moved to Alfa.
    assert beta_now["social_tariff_holders"] == 2  # b1, b2
    assert beta_now["social_tariff_buyers"] == 2
    assert beta_now["social_tariff_tickets"] == 3  # b1 2, b2 1
    assert (beta_now["exchangers"], beta_now["points_exchanged"]) == (1, 4)
    _assert_summaries_equal_raw()


def test_the_migration_fills_the_rows_summarised_before_it_as_the_rebuild_does(beta):
    from django.db import connection

    from uitpas.models import HolderMonth

    fields = ["created_on", "social_active", "social_end", "saved_before", "redeemed_before"]
    fields += ["social_bought_before"]
    rebuilt = sorted(HolderMonth.objects.values_list("passholder_id", "month", *fields))
    assert any(row[-1] for row in rebuilt) and any(row[-2] for row in rebuilt)
    HolderMonth.objects.update(**{name: None for name in fields if name != "social_active"})
    HolderMonth.objects.update(social_active=False)
    fill = importlib.import_module("uitpas.migrations.0003_holder_month_before").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert sorted(HolderMonth.objects.values_list("passholder_id", "month", *fields)) == rebuilt
