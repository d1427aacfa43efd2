"""The privacy rules of museum-facing figures, as pure functions over counts.

A respondent must never be singled out: no figure a museum user can ask for, and no sum or
difference of such figures, may rest on 1 to k - 1 responses (k is DASHBOARDS_MIN_RESPONSES).
One rule makes this hold whatever periods and filters are combined:

- Runs of months. A museum's months are grouped into runs once, from its whole history and
  whatever is asked: from its first month with responses, a run ends as soon as it holds 0 or
  at least k responses; a short run left at the end joins the one before. A month's figures are
  shown only when the month is a run of its own, a period's only when the period begins and
  ends on runs' edges. Every figure is then a sum over whole runs, and the difference of two is
  too: Jan-Feb minus Jan is never Feb alone unless Feb is a run (of 0 or k and more).
- Filters within a run. A filter on age group, language or region is allowed in a run only when
  it cuts the run's responses into groups of 0 or at least k; language with region needs all
  three dimensions cut safely (the three pairs together would give the combinations of all
  three away, e.g. one cell plus its opposite corner). Then whatever can be worked out from a
  run's figures, over any filters, is a union of the groups of allowed cuts (a sum f(a, l) +
  g(a, r) that is 0 or 1 everywhere takes, for each age group, whole groups of one cut).
- A question's answers use the same runs, and need 0 or k answers in each run and group.

tests/dashboards/test_privacy.py searches periods, filters and data for a counter-example.
Figures change as responses come in; differencing one day's figures against the next is not
covered by this rule.

Benchmarks are other museums' figures summed: each month of the period needs at least
DASHBOARDS_MIN_BENCHMARK_MUSEUMS museums (and k responses), so that no difference of two
periods, nor one's own figures subtracted, comes down to one museum's or a few respondents'.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings

from dashboards.periods import add_months, months_between

DIMENSIONS = ("age_group", "language", "region")
Run = tuple[datetime.date, datetime.date]  # its first and last month
Cells = Mapping[tuple[str, str, str], int]  # (age group, language, region) -> count


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


def rule_dimensions(dimensions: Iterable[str]) -> tuple[str, ...]:
    """The cut that must be safe for a filter on `dimensions` (see the module's docstring)."""
    dimensions = tuple(dimensions)
    return DIMENSIONS if set(dimensions) == {"language", "region"} else dimensions


def cut_is_safe(cells: Cells, dimensions: tuple[str, ...], *, k: int | None = None) -> bool:
    """Cutting the responses by `dimensions` leaves no group of 1 to k - 1 responses."""
    if not dimensions:
        return True
    indexes = [DIMENSIONS.index(name) for name in dimensions]
    groups: Counter = Counter()
    for key, count in cells.items():
        groups[tuple(key[index] for index in indexes)] += count
    return all(is_shown(count, k=k) for count in groups.values())


def runs(history: Mapping[datetime.date, int], *, k: int | None = None) -> list[Run]:
    """A museum's runs of months, from its responses per month over its whole history."""
    k = k or min_responses()
    months = sorted(month for month, count in history.items() if count)
    found: list[Run] = []
    if not months:
        return found
    start, total = months[0], 0
    for month in months_between(months[0], months[-1]):
        total += history.get(month, 0)
        if total == 0 or total >= k:
            found.append((start, month))
            start, total = add_months(month, 1), 0
    if total and found:  # a short run at the end joins the one before
        found[-1] = (found[-1][0], months[-1])
    elif total:  # fewer than k responses in all: one run, never shown
        found.append((start, months[-1]))
    return found


def run_cells(
    months: list[datetime.date], runs: Iterable[Run], cells: Mapping[datetime.date, Cells]
) -> dict[Run, Counter]:
    """The cells of each run lying within `months` (a period), summed over the run's months.
    A month outside every run (no responses) is a run of its own; a run reaching outside the
    period is left out."""
    run_of = {month: run for run in runs for month in months_between(*run)}
    found: dict[Run, Counter] = {}
    for month in months:
        run = run_of.get(month, (month, month))
        if months[0] <= run[0] and run[1] <= months[-1]:
            found.setdefault(run, Counter()).update(cells.get(month, {}))
    return found


@dataclass(frozen=True)
class Release:
    """What of one figure may be shown for a period and a filter."""

    hidden: frozenset[datetime.date]  # the months whose figures are withheld
    total_shown: bool  # the period's figure
    refused: bool  # the filter cuts a run of the period into a group too small


def release(
    months: list[datetime.date],
    runs: list[Run],
    cells: Mapping[Run, Cells],
    dimensions: tuple[str, ...] = (),
    *,
    k: int | None = None,
) -> Release:
    """The months and the total of a period that may be shown, for a filter on `dimensions`.

    `runs` are the museum's (`runs`); `cells` what the figure rests on (responses, or answers
    to a question) per run within the period (`run_cells`) and per cell, whatever the filter.
    A filter whose cut is unsafe in any run of the period is refused: nothing is shown.
    """
    cut = rule_dimensions(dimensions)
    enough = {run: is_shown(sum(counts.values()), k=k) for run, counts in cells.items()}
    safe = {run: cut_is_safe(counts, cut, k=k) for run, counts in cells.items()}
    if not all(safe.values()):  # the filter is refused: nothing is shown
        return Release(hidden=frozenset(months), total_shown=False, refused=True)
    shown = {run[0] for run in cells if run[0] == run[1] and enough[run]}
    first, last = months[0], months[-1]
    on_edges = not any(run[0] < first <= run[1] or run[0] <= last < run[1] for run in runs)
    return Release(
        hidden=frozenset(month for month in months if month not in shown),
        total_shown=on_edges and all(enough.values()),
        refused=False,
    )


def museums_are_enough(monthly: list[tuple[int, int]]) -> bool:
    """Other museums' figures summed over a period, from (count, museums) per month: every
    month with a count comes from enough museums, so that no difference of two periods comes
    down to fewer."""
    return all(museums >= min_benchmark_museums() for count, museums in monthly if count)


def benchmark_is_shown(monthly: list[tuple[int, int]]) -> bool:
    """Survey figures of other museums: enough museums, and k responses, in every month."""
    return museums_are_enough(monthly) and all(is_shown(count) for count, _museums in monthly)
