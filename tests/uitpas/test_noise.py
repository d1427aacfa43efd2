"""The noise on published holder counts (uitpas/privacy.py): the same count always publishes
the same, different counts carry unrelated noise, and a difference of a few holders between
two published figures cannot be read off."""

import math
from collections import Counter

import pytest
from django.urls import reverse

from uitpas import figures, report
from uitpas.privacy import published

COUNTS = range(5, 20_005)


def test_a_count_publishes_with_two_sided_geometric_noise_never_below_k():
    moves = Counter(published(count, ["11001"]) - count for count in range(100, 20_100))
    total = sum(moves.values())
    # Scale 1: P(move = z) = (1 - a) / (1 + a) * a^|z| with a = 1/e.
    a = math.exp(-1)
    for z in range(-3, 4):
        expected = (1 - a) / (1 + a) * a ** abs(z)
        assert moves[z] / total == pytest.approx(expected, abs=0.015), z
    assert max(moves) >= 5 and min(moves) <= -5  # unbounded: rare, but no edge to lean on
    assert all(published(count, ["11001"]) >= 5 for count in COUNTS)
    assert [published(count, ["11001"]) for count in range(5)] == [0, 1, 2, 3, 4]  # withheld


def test_the_same_count_always_publishes_the_same_and_places_draw_their_own(settings):
    assert published(137, ["11002", "11001"]) == published(137, ["11001", "11002"])
    alfa = [published(count, ["11001"]) for count in range(100, 200)]
    assert alfa == [published(count, ["11001"]) for count in range(100, 200)]
    assert alfa != [published(count, ["11002"]) for count in range(100, 200)]
    settings.SECRET_KEY = "another-" + "k" * 50  # the noise is keyed: unknown without the key
    assert alfa != [published(count, ["11001"]) for count in range(100, 200)]
    settings.UITPAS_NOISE_SCALE = 0
    assert [published(count, ["11001"]) for count in range(100, 200)] == list(range(100, 200))


def test_a_difference_of_one_to_four_holders_cannot_be_read_off():
    """Two published totals d holders apart: each difference seen (1 in 100 times or more)
    also comes from other true differences, and the true one shows under a third of the time."""
    seen = {
        d: Counter(published(c + d, ["11001"]) - published(c, ["11001"]) for c in COUNTS)
        for d in range(1, 10)
    }
    for d in range(1, 5):
        frequent = [diff for diff, times in seen[d].items() if times >= len(COUNTS) / 100]
        assert len(frequent) >= 5
        for difference in frequent:
            assert [e for e in range(1, 10) if e != d and seen[e][difference]], (d, difference)
        assert seen[d][d] / len(COUNTS) < 1 / 3


@pytest.mark.django_db
def test_one_new_holder_in_march_is_not_the_difference_of_two_totals(client, region, partner_7):
    """h6 became a holder of Alfa on 31 March: 5 holders at the end of February, 6 at the end
    of March. The API gives both totals as published, never the exact ones."""
    client.force_login(partner_7)
    url = reverse("uitpas_api:municipality-ratios", args=["11001"])
    february = client.get(url, {"from": "2026-02-01", "to": "2026-02-28"}).json()
    march = client.get(url, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert (february["holders"], march["holders"]) == (
        published(5, ["11001"]),
        published(6, ["11001"]),
    )
    again = client.get(url, {"from": "2026-01-01", "to": "2026-03-31"}).json()
    assert again["holders"] == march["holders"]  # asking again, another way: the same


def test_counts_resting_on_holders_carry_noise_and_points_do_not():
    count = next(c for c in range(40, 100) if published(c, ["11001"]) != c)
    shown = report.counted(dict.fromkeys(figures.MEASURES, count), 1000, ["11001"]).values
    for name in (*figures.HOLDER_COUNTS, "social_tariff_tickets"):
        assert shown[name] == published(count, ["11001"]), name
    assert (shown["points_saved"], shown["points_exchanged"]) == (count, count)
    assert shown["holder_ratio"] == published(count, ["11001"]) / 1000
