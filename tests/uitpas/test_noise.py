"""The noise on published holder counts (uitpas/privacy.py): the same holders always publish
the same, other holders draw other noise even when as many, and a difference of a few holders
between two published figures cannot be read off."""

import math
import random
from collections import Counter

import pytest
from django.urls import reverse

from tests.uitpas.factories import published_of
from uitpas import figures, report
from uitpas.privacy import published

COUNTS = range(5, 20_005)
DRAW = random.Random(21)


def _keys() -> int:
    """The sum of some holders' record keys: any number, as far as the noise can tell."""
    return DRAW.randrange(2**40)


def test_a_count_publishes_with_two_sided_geometric_noise_never_below_k():
    moves = Counter(published(count, _keys()) - count for count in range(100, 20_100))
    total = sum(moves.values())
    # Scale 1: P(move = z) = (1 - a) / (1 + a) * a^|z| with a = 1/e.
    a = math.exp(-1)
    for z in range(-3, 4):
        expected = (1 - a) / (1 + a) * a ** abs(z)
        assert moves[z] / total == pytest.approx(expected, abs=0.015), z
    assert max(moves) >= 5 and min(moves) <= -5  # unbounded: rare, but no edge to lean on
    assert all(published(count, _keys()) >= 5 for count in COUNTS)
    assert [published(count, _keys()) for count in range(5)] == [0, 1, 2, 3, 4]  # withheld


def test_the_same_holders_always_publish_the_same_and_other_holders_draw_their_own(settings):
    keys = [_keys() for _ in range(300)]
    first = [published(100, key) for key in keys]
    assert first == [published(100, key) for key in keys]
    # As many holders, other holders: no table of noise per count to learn and read back.
    assert len(set(first)) >= 5
    settings.SECRET_KEY = "another-" + "k" * 50  # the noise is keyed: unknown without the key
    assert first != [published(100, key) for key in keys]
    settings.UITPAS_NOISE_SCALE = 0
    assert {published(100, key) for key in keys} == {100}


def test_a_difference_of_one_to_four_holders_cannot_be_read_off():
    """Two published totals d holders apart: each difference seen (1 in 100 times or more)
    also comes from other true differences, and the true one shows under a third of the time."""
    seen = {
        d: Counter(published(c + d, _keys()) - published(c, _keys()) for c in COUNTS)
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
    """h6 became a holder of Alfa on 31 March: h1 to h5 at the end of February, h1 to h6 at
    the end of March. The API gives both totals as published, never the exact ones."""
    client.force_login(partner_7)
    url = reverse("uitpas_api:municipality-ratios", args=["11001"])
    february = client.get(url, {"from": "2026-02-01", "to": "2026-02-28"}).json()
    march = client.get(url, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    five = ("h1", "h2", "h3", "h4", "h5")
    assert february["holders"] == published_of(*five)
    assert march["holders"] == published_of(*five, "h6")
    again = client.get(url, {"from": "2026-01-01", "to": "2026-03-31"}).json()
    assert again["holders"] == march["holders"]  # the same holders asked another way: the same


def test_counts_resting_on_holders_carry_noise_and_points_do_not():
    keys = next(k for k in range(1000) if published(40, k) != 40)
    exact = {**dict.fromkeys(figures.MEASURES, 40), **dict.fromkeys(figures.KEYS.values(), keys)}
    shown = report.counted(exact, 1000).values
    for name in (*figures.HOLDER_COUNTS, "social_tariff_tickets"):
        assert shown[name] == published(40, keys), name
    assert (shown["points_saved"], shown["points_exchanged"]) == (40, 40)
    assert shown["holder_ratio"] == published(40, keys) / 1000
