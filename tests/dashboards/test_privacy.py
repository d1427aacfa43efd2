"""The privacy rules as functions over counts, and a search for a way around them."""

import datetime
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.periods import add_months
from dashboards.privacy import (
    DIMENSIONS,
    Segment,
    cut_is_safe,
    release,
    rule_dimensions,
    run_cells,
    runs,
)

K = 5
JAN, FEB, MAR, APR, MAY = (datetime.date(2026, month, 1) for month in range(1, 6))
EVERYONE = ("36-45", "nl", "flanders")


def shown(months, counts, dimensions=(), k=K):
    """The release of a period over responses per month, all of them in one cell."""
    cells = {month: {EVERYONE: count} for month, count in counts.items()}
    museum_runs = runs(counts, k=k)
    return release(months, museum_runs, run_cells(months, museum_runs, cells), dimensions, k=k)


def test_a_run_ends_as_soon_as_it_holds_k_and_a_short_last_run_joins_the_one_before():
    assert runs({JAN: 27, FEB: 3}, k=K) == [(JAN, FEB)]
    assert runs({JAN: 27, FEB: 3, MAR: 10}, k=K) == [(JAN, JAN), (FEB, MAR)]
    assert runs({JAN: 3, MAR: 2, APR: 9}, k=K) == [(JAN, MAR), (APR, APR)]


def test_months_without_responses_between_runs_are_runs_of_their_own():
    assert runs({JAN: 6, APR: 7}, k=K) == [(JAN, JAN), (FEB, FEB), (MAR, MAR), (APR, APR)]
    assert runs({}, k=K) == []
    assert runs({JAN: 4}, k=K) == [(JAN, JAN)]  # never shown: fewer than k in all


def test_the_issues_example_two_months_and_one_of_them_cannot_both_be_shown():
    counts = {JAN: 27, FEB: 3}
    both = shown([JAN, FEB], counts)
    assert both.total_shown and both.hidden == {JAN, FEB}
    assert not shown([JAN], counts).total_shown
    assert not shown([FEB], counts).total_shown
    # With a month after them, January is a run: Jan-Feb is not, Jan-Mar is.
    counts[MAR] = 10
    assert shown([JAN], counts).total_shown
    assert not shown([JAN, FEB], counts).total_shown
    assert shown([JAN, FEB, MAR], counts).hidden == {FEB, MAR}


def test_a_period_is_shown_from_edge_to_edge_of_runs_and_months_without_responses_too():
    counts = {FEB: 12, MAR: 2, APR: 8}  # runs: Feb, Mar-Apr
    assert shown([JAN, FEB], counts).total_shown  # January has none: a run of its own
    assert not shown([FEB, MAR], counts).total_shown
    release_ = shown([JAN, FEB, MAR, APR, MAY], counts)
    assert release_.total_shown and release_.hidden == {MAR, APR}


def test_fewer_than_k_responses_in_all_are_never_shown():
    assert not shown([JAN, FEB], {JAN: 2, FEB: 2}).total_shown


def test_a_filter_is_refused_when_it_cuts_a_run_into_a_group_under_k():
    museum_runs = [(JAN, JAN), (FEB, FEB)]
    cells = {
        JAN: {("36-45", "nl", "flanders"): 10, ("66+", "nl", "flanders"): 6},
        FEB: {("36-45", "nl", "flanders"): 10, ("66+", "nl", "flanders"): 2},
    }
    january = release([JAN], museum_runs, run_cells([JAN], museum_runs, cells), ("age_group",))
    assert not january.refused and january.total_shown
    both = release(
        [JAN, FEB], museum_runs, run_cells([JAN, FEB], museum_runs, cells), ("age_group",)
    )
    assert both.refused and not both.total_shown and both.hidden == {JAN, FEB}
    language = release(
        [JAN, FEB], museum_runs, run_cells([JAN, FEB], museum_runs, cells), ("language",)
    )
    assert language.total_shown and not language.hidden


def test_language_with_region_needs_all_three_dimensions_cut_safely():
    assert rule_dimensions(("language", "region")) == DIMENSIONS
    assert rule_dimensions(("age_group", "region")) == ("age_group", "region")
    assert rule_dimensions(()) == ()


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


# The search. A museum's responses: a count per month and cell, two values per dimension (so
# the eight cells of a month). Everything a museum user can ask for is every period within a
# window of months and every filter (27: each dimension empty or one of its two values); what
# the rule shows of each is collected as a set of (month, cell) atoms with its count.

VALUES = (("36-45", "66+"), ("nl", "fr"), ("flanders", "wallonia"))
CELLS = list(product(*VALUES))
SEGMENTS = [
    Segment(**{name: value for name, value in zip(DIMENSIONS, choice, strict=True) if value})
    for choice in product(*(("", *values) for values in VALUES))
]
# A month is thin (a few responses in a few cells), mixed, or full.
MONTHS = st.one_of(
    st.lists(st.sampled_from((0, 0, 0, 0, 0, 1, 2, 3)), min_size=8, max_size=8),
    st.lists(
        st.one_of(st.just(0), st.integers(1, K - 1), st.integers(K, 3 * K)), min_size=8, max_size=8
    ),
    st.lists(st.integers(K, 3 * K), min_size=8, max_size=8),
)


def months_data(max_months: int):
    return st.lists(MONTHS, min_size=1, max_size=max_months)


def as_data(rows) -> dict:
    return {
        add_months(JAN, index): dict(zip(CELLS, row, strict=True)) for index, row in enumerate(rows)
    }


def shown_figures(data: dict, window: list[datetime.date]) -> dict[frozenset, int]:
    """Every figure the rule shows, over every period within `window` and every filter."""
    museum_runs = runs({month: sum(cells.values()) for month, cells in data.items()}, k=K)
    figures = {}
    for first in range(len(window)):
        for last in range(first, len(window)):
            months = window[first : last + 1]
            cells = run_cells(months, museum_runs, data)
            for segment in SEGMENTS:
                found = release(months, museum_runs, cells, segment.dimensions, k=K)
                views = [month for month in months if month not in found.hidden]
                for atoms_months in ([months] if found.total_shown else []) + [[m] for m in views]:
                    atoms = frozenset(
                        (month, cell)
                        for month in atoms_months
                        for cell in CELLS
                        if segment.matches(cell)
                    )
                    figures[atoms] = sum(data.get(month, {}).get(cell, 0) for month, cell in atoms)
    return figures


def reveals(count: int) -> bool:
    return 0 < count < K


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(months_data(4))
def test_no_shown_figure_nor_difference_of_two_reveals_a_group_under_k(rows):
    data = as_data(rows)
    # A month before and after the responses: periods reaching outside them are asked too.
    window = [add_months(JAN, index) for index in range(-1, len(rows) + 1)]
    figures = shown_figures(data, window)
    for atoms, count in figures.items():
        assert not reveals(count), sorted(atoms)
    for big, big_count in figures.items():
        for small, small_count in figures.items():
            if small < big:
                assert not reveals(big_count - small_count), (sorted(big), sorted(small))


# Stronger: not only differences of two figures but any sum and difference of any number of
# them. A group (a set of atoms) can be worked out exactly when its indicator vector is a linear
# combination of the shown figures' vectors. With three months of eight cells there are 2^24
# groups: meet in the middle over the two halves of the atoms, with the linear algebra done
# modulo a prime above every minor of a 0/1 matrix of 24 columns (Hadamard: 24^12 < 2^61 - 1),
# where membership in the row space is the same as over the rationals.

PRIME = (1 << 61) - 1


def null_space(rows: list[list[int]], width: int) -> list[list[int]]:
    """A basis of {z : row . z = 0 for every row}, modulo PRIME."""
    matrix, pivots = [row[:] for row in rows], []
    for column in range(width):
        top = len(pivots)
        pivot = next((i for i in range(top, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[top], matrix[pivot] = matrix[pivot], matrix[top]
        inverse = pow(matrix[top][column], PRIME - 2, PRIME)
        matrix[top] = [value * inverse % PRIME for value in matrix[top]]
        for i, row in enumerate(matrix):
            if i != top and row[column]:
                factor = row[column]
                matrix[i] = [
                    (a - factor * b) % PRIME for a, b in zip(row, matrix[top], strict=True)
                ]
        pivots.append(column)
    basis = []
    for free in (column for column in range(width) if column not in pivots):
        vector = [0] * width
        vector[free] = 1
        for row, column in enumerate(pivots):
            vector[column] = -matrix[row][free] % PRIME
        basis.append(vector)
    return basis


def half_sums(columns: list[tuple[int, ...]], counts: list[int]) -> list[tuple[tuple, int]]:
    """For every subset of some atoms: (its null-space products, its count)."""
    sums = [(tuple(0 for _ in (columns[0] if columns else ())), 0)]
    for column, count in zip(columns, counts, strict=True):
        sums += [
            (tuple((a + b) % PRIME for a, b in zip(key, column, strict=True)), total + count)
            for key, total in sums
        ]
    return sums


def revealed_group(figures: dict[frozenset, int], atoms: list, counts: dict) -> int | None:
    """The count of a group under K that the figures give away, if any."""
    index = {atom: position for position, atom in enumerate(atoms)}
    rows = []
    for figure in figures:
        row = [0] * len(atoms)
        for atom in figure:
            row[index[atom]] = 1
        rows.append(row)
    basis = null_space(rows, len(atoms))
    columns = [tuple(vector[i] for vector in basis) for i in range(len(atoms))]
    weights = [counts[atom] for atom in atoms]
    half = len(atoms) // 2
    right: dict[tuple, set] = {}
    for key, total in half_sums(columns[half:], weights[half:]):
        right.setdefault(key, set()).add(total)
    for key, total in half_sums(columns[:half], weights[:half]):
        wanted = tuple(-value % PRIME for value in key)
        for other in right.get(wanted, ()):
            if reveals(total + other):
                return total + other
    return None


def test_the_linear_search_finds_what_three_pairs_of_dimensions_give_away():
    """The search itself: with all three pairs of dimensions shown in one month and not the
    three together, one cell plus its opposite corner is worked out."""
    month = dict.fromkeys(CELLS, 5)
    month[("36-45", "nl", "flanders")] = 2
    month[("66+", "fr", "wallonia")] = 1
    atoms = [(JAN, cell) for cell in CELLS]
    counts = {(JAN, cell): count for cell, count in month.items()}
    pairs = {}
    for first, second in ((0, 1), (0, 2), (1, 2)):
        for a, b in product(VALUES[first], VALUES[second]):
            group = frozenset(
                (JAN, cell) for cell in CELLS if cell[first] == a and cell[second] == b
            )
            pairs[group] = sum(counts[atom] for atom in group)
    assert revealed_group(pairs, atoms, counts) == 3


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(months_data(3))
def test_no_combination_of_shown_figures_reveals_a_group_under_k(rows):
    data = as_data(rows)
    window = sorted(data)
    figures = shown_figures(data, window)
    atoms = [(month, cell) for month in window for cell in CELLS]
    counts = {(month, cell): data[month][cell] for month, cell in atoms}
    assert revealed_group(figures, atoms, counts) is None
