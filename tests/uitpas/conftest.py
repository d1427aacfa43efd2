"""A small region computed by hand (tests/uitpas/test_figures.py says how each figure comes
out): card system 7 with municipalities A (Aalst-like, 1000 inhabitants) and B (no holders),
municipality C of another card system, and a holder outside the region."""

import pytest

from tests.uitpas.factories import (
    card_system,
    checkin,
    import_csv,
    import_records,
    passholder,
    redemption,
    sale,
)

MUNICIPALITIES = """nis_code,name,province,postal_codes,uitpas_since,discount_share
11001,Alfa,Oost-Vlaanderen,1000 1001,2021-04-01,0.5
11002,Beta,Oost-Vlaanderen,2000,2021-01-01,0.25
22001,Gamma,Limburg,3000,,0
"""
POPULATION = """nis_code,year,inhabitants,people_in_poverty
11001,2026,1000,100
11002,2026,500,50
22001,2026,2000,0
11001,2021,900,90
11001,2022,950,95
"""


@pytest.fixture
def region(db, tmp_path):
    """The hand-computed data, imported through the command itself."""
    assert import_csv(tmp_path, "municipalities", MUNICIPALITIES)[0] == 0
    assert import_csv(tmp_path, "population", POPULATION)[0] == 0
    systems = [
        card_system(7, "UiTPAS Alfa-Beta", ["1000", "2000"]),
        card_system(8, "UiTPAS Gamma", ["3000"]),
    ]
    assert import_records(tmp_path, "card-systems", systems)[0] == 0
    holders = [
        passholder("h1", "1000", "2025-03-01T10:00:00Z", social=("ACTIVE", "2027-04-30T00:00:00Z")),
        passholder(
            "h2", "1001", "2025-03-01T10:00:00Z", social=("EXPIRED", "2026-01-10T12:00:00Z")
        ),
        passholder(
            "h3", "1000", "2025-03-01T10:00:00Z", social=("EXPIRED", "2025-12-31T12:00:00Z")
        ),
        passholder("h4", "1000", "2025-06-01T10:00:00Z"),
        passholder("h5", "1000", "2021-02-01T10:00:00Z", birth="2015-01-01"),
        passholder("h6", "1000", "2026-03-31T21:00:00Z", social=("ACTIVE", "2026-04-30T00:00:00Z")),
        # Created on 1 April in Brussels (UTC+2 from 29 March): after the quarter.
        passholder("h7", "1000", "2026-03-31T22:30:00Z"),
        passholder("out", "9999", "2025-01-01T10:00:00Z"),
        passholder("g1", "3000", "2025-01-01T10:00:00Z", card_system=8),
    ]
    assert import_records(tmp_path, "passholders", holders)[0] == 0
    checkins = [
        checkin("c1", "h1", "2025-12-31T23:30:00Z", 1),  # 1 January in Brussels
        checkin("c2", "h1", "2026-02-10T10:00:00Z", 1),
        checkin("c3", "h1", "2026-03-31T22:30:00Z", 5),  # 1 April in Brussels: outside
        checkin("c4", "h3", "2026-03-05T10:00:00Z", 3),
        checkin("c5", "h2", "2026-01-15T10:00:00Z", 0),  # no points: not a saver
        checkin("c6", "h4", "2026-01-20T10:00:00Z", 2),
        checkin("c7", "out", "2026-01-20T10:00:00Z", 1),
        checkin("c8", "g1", "2026-01-20T10:00:00Z", 1),
    ]
    assert import_records(tmp_path, "checkins", checkins)[0] == 0
    redemptions = [
        redemption("r1", "h1", "2026-02-01T10:00:00Z", 4),
        redemption("r2", "h3", "2026-03-01T10:00:00Z", 2),
        redemption("r3", "h5", "2026-01-05T10:00:00Z", 3),
        redemption("r4", "h4", "2026-01-05T10:00:00Z", 6),
    ]
    assert import_records(tmp_path, "redemptions", redemptions)[0] == 0
    sales = [
        sale("s1", "h1", "2026-01-10T10:00:00Z"),
        sale("s2", "h1", "2026-02-10T10:00:00Z", price=1, regular=9),
        sale("s3", "h2", "2026-01-09T10:00:00Z"),
        sale("s4", "h3", "2026-02-01T10:00:00Z"),  # h3's social tariff ended before the period
        sale("s5", "h6", "2026-02-01T10:00:00Z", kind="COUPON"),
    ]
    assert import_records(tmp_path, "ticket-sales", sales)[0] == 0
    # Cancelled: a sale and a redemption.
    gone = [{"id": "s3", "deleted": True}]
    assert import_records(tmp_path, "ticket-sales", gone)[0] == 0
    assert import_records(tmp_path, "redemptions", [{"id": "r4", "deleted": True}])[0] == 0


@pytest.fixture
def partner_7(db):
    """A partner of card system 7 (Alfa and Beta)."""
    from core.roles import UITPAS_PARTNER
    from tests.support.users import make_user
    from uitpas.models import PartnerMembership

    user = make_user("paula", UITPAS_PARTNER)
    PartnerMembership.objects.create(user=user, card_system_id=7)
    return user


@pytest.fixture
def partner_gamma(db):
    """A partner of the single municipality Gamma (card system 8)."""
    from core.roles import UITPAS_PARTNER
    from tests.support.users import make_user
    from uitpas.models import PartnerMembership

    user = make_user("gert", UITPAS_PARTNER)
    PartnerMembership.objects.create(user=user, municipality_id="22001")
    return user
