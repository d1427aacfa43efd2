"""Profiles on the data of conftest.py, by hand, and the suppression rules.

12 months to 31 March 2026 (check-ins plus ticket sales): h1 2 check-ins (the one on 1 April
in Brussels is out) + 2 sales = 4, regular; h2 1 check-in (its sale was cancelled),
occasional; h3 1 + 1 sale, occasional; h4 1, occasional; h5 0, dormant; h6 1 COUPON sale,
occasional. The quarter before, h1..h5 had nothing (dormant) and h6 was not a holder yet."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from uitpas.models import ProfileCutoff
from uitpas.privacy import complement, grid


def _profiles(client, user):
    client.force_login(user)
    url = reverse("uitpas_api:municipality-profiles", args=["11001"])
    return client.get(url, {"to": "2026-03-31"}).json()["quarters"]["2026-01-01"]


@pytest.mark.django_db
def test_profiles_by_hand_and_cut_offs_edited_as_data(client, region, partner_7, settings):
    settings.DASHBOARDS_MIN_RESPONSES = 1  # nothing withheld, nothing moved: the exact counts
    settings.UITPAS_NOISE_SCALE = 0
    expected = {"dormant": 1, "occasional": 4, "regular": 1, "active": 0, "very_active": 0}
    assert _profiles(client, partner_7) == expected
    ProfileCutoff.objects.filter(key="regular").update(minimum=5)  # as staff do in the admin
    assert _profiles(client, partner_7) == {**expected, "occasional": 5, "regular": 0}


@pytest.mark.django_db
def test_transitions_between_quarters(client, region, partner_7, settings):
    settings.DASHBOARDS_MIN_RESPONSES = 1
    settings.UITPAS_NOISE_SCALE = 0
    client.force_login(partner_7)
    url = reverse("uitpas:municipality-profiles", args=["11001"])
    table = client.get(url, {"to": "2026-03-31"}).context["page"].table("transitions")
    columns = table.columns
    cells = {
        (row.label, column): cell.value
        for row in table.rows
        for column, cell in zip(columns, row.cells, strict=True)
    }
    nonzero = {key: value for key, value in cells.items() if value}
    # Labels in Dutch: the profiles' names are data (ProfileCutoff.name), "new holder" is not.
    assert nonzero == {
        ("Dormant", "Regular"): 1,
        ("Dormant", "Occasional"): 3,
        ("Dormant", "Dormant"): 1,
        ("nieuwe pashouder", "Occasional"): 1,
    }


@pytest.mark.django_db
def test_profiles_withheld_under_five(client, region, partner_7):
    found = _profiles(client, partner_7)
    assert found == {
        "dormant": None,
        "occasional": None,
        "regular": None,
        "active": 0,
        "very_active": 0,
    }


def test_a_single_small_cell_is_withheld_with_a_second_one():
    # Alfa 3 savers, Beta 10, Gamma 12: the card system's 25 minus Beta and Gamma would give
    # Alfa's 3 away, so Beta (the smallest other) is withheld too.
    assert complement({"alfa": 3, "beta": 10, "gamma": 12}, set()) == {"alfa", "beta"}
    # Two small cells already hide each other.
    assert complement({"alfa": 3, "beta": 2, "gamma": 12}, set()) == {"alfa", "beta"}
    assert complement({"alfa": 0, "beta": 10}, set()) == set()


def test_a_grid_hides_along_rows_and_columns_until_safe():
    cells = {("a", "x"): 3, ("a", "y"): 10, ("b", "x"): 20, ("b", "y"): 30}
    hidden = grid(cells)
    assert ("a", "x") in hidden
    # Row a and column x each keep two withheld cells.
    for line in ({k for k in hidden if k[0] == "a"}, {k for k in hidden if k[1] == "x"}):
        assert len(line) >= 2


@pytest.mark.django_db
def test_the_card_system_beside_a_municipality_hides_a_small_difference(
    client, region, partner_7, tmp_path
):
    from tests.uitpas.factories import import_records, passholder, published_of

    # Two holders in Beta: the card system's holders (8) minus Alfa's (6) would give Beta's 2.
    import_records(
        tmp_path,
        "passholders",
        [passholder(f"b{i}", "2000", "2025-01-01T10:00:00Z") for i in range(2)],
    )
    client.force_login(partner_7)
    page = client.get(
        reverse("uitpas:municipality", args=["11001"]), {"period": "quarter", "from": "2026-01"}
    ).context["page"]
    holders = page.table("counts").rows[0]
    six = published_of("h1", "h2", "h3", "h4", "h5", "h6")
    assert holders.cells[0].value == six and holders.cells[1].hidden


def test_the_api_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/uitpas/municipalities/{nis_code}/ratios/",
        "/api/uitpas/card-systems/{card_system_id}/ratios/",
        "/api/uitpas/municipalities/{nis_code}/profiles/",
        "/api/uitpas/municipalities/{nis_code}/cohorts/",
    ):
        assert path in schema


@pytest.mark.django_db
def test_profile_counts_are_published_with_the_noise_of_their_holders(
    client, region, partner_7, settings
):
    """Nothing withheld (k = 1), noise on: each profile shows its holders' published count.
    h5 alone is dormant; its record key is set so that its noise moves it."""
    from tests.uitpas.factories import holder_uuid, published_of
    from uitpas.models import Passholder
    from uitpas.privacy import published

    settings.DASHBOARDS_MIN_RESPONSES = 1
    key = next(k for k in range(100) if published(1, k) != 1)
    Passholder.objects.filter(id=holder_uuid("h5")).update(record_key=key)
    call_command("rebuild_uitpas_summaries", stdout=StringIO())
    found = _profiles(client, partner_7)
    assert found["dormant"] == published(1, key) != 1
    assert found["occasional"] == published_of("h2", "h3", "h4", "h6")
    assert found["regular"] == published_of("h1")
