"""The protection of published UiTPAS figures, in two layers.

- Suppression: a count of 1 to k - 1 holders is withheld (k as for the museum dashboards,
  DASHBOARDS_MIN_RESPONSES), with every figure worked out from it, and with a second cell
  wherever a withheld one could be worked out as a total minus the cells shown.
- Noise: any period (a custom range, API days) can be asked for, so the difference of two exact
  counts could give a few holders away: the holders created in one month (totals are
  cumulative), the savers of a single day. Every published holder count therefore carries noise,
  the statistics offices' cell-key method: each holder has a random record key, never shown;
  a count's noise is drawn from a keyed hash of the count and the sum of its holders' keys. The
  same holders always publish the same, so asking again, or for them another way, averages
  nothing out; other holders, even as many, draw other noise, so no table of noise per count
  can be learnt from one series and read back on another. The noise is two-sided geometric
  (the discrete Laplace of differential privacy) with scale UITPAS_NOISE_SCALE: unbounded, so
  no observed difference pins a true one down (bounded noise would: -2 and +2 moves give away a
  difference of 1 as -3). At scale 1 a count moves by 0 about half the time, by 1 a third, by 3
  or more 1 time in 14. Counts of k or more are never published below k. Decisions to withhold
  are taken on the exact counts.
"""

import functools
import hashlib
import math
from collections.abc import Hashable, Mapping

from django.conf import settings

from dashboards import privacy


def k() -> int:
    return privacy.min_responses()


def too_few(count: int | None) -> bool:
    return count is not None and not privacy.is_shown(count, k=k())


def noise_scale() -> float:
    return settings.UITPAS_NOISE_SCALE


def published(count: int, record_keys: int) -> int:
    """The count as pages, exports and the API show it: 0 and withheld counts as they are,
    others with their noise, never below k. `record_keys`: the sum of its holders' keys."""
    scale = noise_scale()
    if not count or too_few(count) or not scale:
        return count
    cell = f"{record_keys % 2**32}:{count}".encode()
    digest = hashlib.blake2b(cell, key=_key(settings.SECRET_KEY)).digest()
    # The difference of two geometric draws: P(noise = z) is proportional to exp(-|z| / scale).
    up, down = (_geometric(digest[i : i + 8], scale) for i in (0, 8))
    noise = up - down
    return count + noise if count + noise >= k() else count + abs(noise)


@functools.lru_cache(maxsize=2)
def _key(secret: str) -> bytes:
    """The noise's own key, from SECRET_KEY (BLAKE2b in keyed mode is a MAC, and fast: a page
    of every municipality's first five years publishes some 3,000 counts)."""
    return hashlib.sha256(b"uitpas.privacy.published" + secret.encode()).digest()


def _geometric(random_bytes: bytes, scale: float) -> int:
    """A draw of 0, 1, 2, ... with P(n or more) = exp(-n / scale), from 8 uniform bytes."""
    uniform = (int.from_bytes(random_bytes, "big") + 1) / 2**64  # in (0, 1]
    return math.floor(-scale * math.log(uniform))


def complement(values: Mapping[Hashable, int], hidden: set) -> set:
    """The cells of one line whose total is known to hide: the small ones, and the smallest
    other non-zero one when a single cell would otherwise be the total minus the rest."""
    hidden = set(hidden) | {key for key, value in values.items() if too_few(value)}
    withheld = [key for key in hidden if values.get(key)]
    if len(withheld) == 1:
        others = sorted(
            (value, str(key), key) for key, value in values.items() if key not in hidden and value
        )
        if others:
            hidden.add(others[0][2])
    return hidden


def grid(cells: Mapping[tuple, int]) -> set:
    """Withheld cells of a table whose row and column totals may be known: small cells, then
    complements along rows and columns until nothing changes."""
    hidden = {key for key, value in cells.items() if too_few(value)}
    rows = {key[0] for key in cells}
    columns = {key[1] for key in cells}
    while True:
        before = len(hidden)
        for row in rows:
            line = {key: value for key, value in cells.items() if key[0] == row}
            hidden |= complement(line, hidden & set(line))
        for column in columns:
            line = {key: value for key, value in cells.items() if key[1] == column}
            hidden |= complement(line, hidden & set(line))
        if len(hidden) == before:
            return hidden
