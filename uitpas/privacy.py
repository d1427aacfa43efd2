"""Suppression of UiTPAS figures: a count of 1 to k - 1 holders is withheld (k as for the museum
dashboards, DASHBOARDS_MIN_RESPONSES), with every figure worked out from it, and with a second
cell wherever a withheld one could be worked out as a total minus the cells shown."""

from collections.abc import Hashable, Mapping

from dashboards import privacy


def k() -> int:
    return privacy.min_responses()


def too_few(count: int | None) -> bool:
    return count is not None and not privacy.is_shown(count, k=k())


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
