"""The privacy rules of museum-facing figures, as pure functions over counts.

A respondent must never be singled out: a figure resting on fewer than k responses
(DASHBOARDS_MIN_RESPONSES) is hidden, and so is anything that would let such a group be
derived by subtraction:

- Within one view, the months of a series: the period total minus the shown months gives the
  hidden months away, together, so more months are hidden (complementary suppression, the
  smallest first) until the hidden ones together would be fit to show.
- Across views, the filters: a filter on age group, language or region cuts the responses into
  groups; it is allowed only when every group of that cut holds 0 or at least k responses, in
  the period and in each month shown. Then any difference of two allowed views (all visitors
  minus the 66+, 66+ minus 66+ speaking French, ...) is a union of groups of k or more.

Benchmarks are other museums' figures summed: they are shown only when at least
DASHBOARDS_MIN_BENCHMARK_MUSEUMS museums contribute, so that subtracting one's own figures
leaves several museums, never one.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings

DIMENSIONS = ("age_group", "language", "region")


@dataclass(frozen=True)
class Segment:
    """The holders a view is narrowed to; an empty value means everyone."""

    age_group: str = ""
    language: str = ""
    region: str = ""

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(name for name in DIMENSIONS if getattr(self, name))

    @property
    def is_everyone(self) -> bool:
        return not self.dimensions

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.dimensions}

    def matches(self, key: tuple[str, str, str]) -> bool:
        """Does a cell (age group, language, region) belong to this segment?"""
        return all(
            not getattr(self, name) or getattr(self, name) == value
            for name, value in zip(DIMENSIONS, key, strict=True)
        )


def min_responses() -> int:
    return settings.DASHBOARDS_MIN_RESPONSES


def min_responses_for_comments() -> int:
    return settings.DASHBOARDS_MIN_RESPONSES_FOR_COMMENTS


def nps_warning_below() -> int:
    return settings.DASHBOARDS_NPS_WARNING_BELOW


def min_benchmark_museums() -> int:
    return settings.DASHBOARDS_MIN_BENCHMARK_MUSEUMS


def is_shown(count: int, *, k: int | None = None) -> bool:
    """A figure resting on `count` responses may be shown (0: there is nothing to hide)."""
    return count == 0 or count >= (k or min_responses())


def cut_is_safe(
    cells: Mapping[tuple[str, str, str], int], dimensions: tuple[str, ...], *, k: int | None = None
) -> bool:
    """Cutting the responses by `dimensions` leaves no group of 1 to k - 1 responses."""
    if not dimensions:
        return True
    indexes = [DIMENSIONS.index(name) for name in dimensions]
    groups: Counter = Counter()
    for key, count in cells.items():
        groups[tuple(key[index] for index in indexes)] += count
    return all(is_shown(count, k=k) for count in groups.values())


def hidden_months(
    counts: Mapping[datetime.date, int],
    *,
    k: int | None = None,
    safe: Callable[[set[datetime.date]], bool] = lambda months: True,
) -> set[datetime.date]:
    """The months of a series to hide.

    `counts` is the number of responses behind each month's figure; `safe(months)` says
    whether the view's filters cut those months, taken together, into groups of 0 or k and
    more. A month is hidden when it rests on fewer than k responses or its cut is unsafe.
    Whatever is hidden can be worked out together (the period's total minus the months shown),
    so more months are hidden, the smallest first, until the hidden ones together hold at
    least k responses and a safe cut.
    """
    k = k or min_responses()
    hidden = {
        month for month, count in counts.items() if count and (count < k or not safe({month}))
    }
    shown = sorted(
        (count, month) for month, count in counts.items() if count and month not in hidden
    )

    def revealing() -> bool:
        return bool(hidden) and (sum(counts[month] for month in hidden) < k or not safe(hidden))

    while revealing() and shown:
        _count, month = shown.pop(0)
        hidden.add(month)
    return hidden


def benchmark_is_shown(*, count: int, museums: int) -> bool:
    """Other museums' figures, summed: enough responses and enough museums behind them."""
    return count > 0 and count >= min_responses() and museums >= min_benchmark_museums()


def museums_are_enough(museums: int) -> bool:
    """For figures that rest on visits and sales, not on responses: enough museums only."""
    return museums >= min_benchmark_museums()
