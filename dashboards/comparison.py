"""The period comparison (the deck's corona question): visits before, during and after a
period, per day so that windows of different lengths compare, by museum size and region and by
the holder's age group and region, and per museum."""

import datetime
from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards import selectors
from dashboards.models import ALL
from dashboards.report import Cell, Row, Table
from museumpas.models import Museum, Region, SizeClass
from museumpas.services import AGE_GROUP_UNKNOWN, AGE_GROUPS

WINDOWS = (
    ("before", gettext_lazy("Before")),
    ("during", gettext_lazy("During")),
    ("after", gettext_lazy("After")),
)


def default_windows(today: datetime.date) -> dict[str, str]:
    """Three windows of four weeks ending today, as the comparison form's data."""
    data, last = {}, today
    for key, _label in reversed(WINDOWS):
        first = last - datetime.timedelta(days=27)
        data |= {f"{key}_from": first.isoformat(), f"{key}_to": last.isoformat()}
        last = first - datetime.timedelta(days=1)
    return data


def _per_day(visits: int, window: tuple[datetime.date, datetime.date]) -> float:
    return round(visits / ((window[1] - window[0]).days + 1), 1)


def _change(after: float, before: float) -> float | None:
    return round(100 * (after - before) / before, 1) if before else None


def _breakdown(slug, title, categories, totals: list[Counter], windows) -> Table:
    table = Table(
        slug,
        title,
        [str(label) for _key, label in categories],
        section="comparison",
        chart="bar",
        chart_rows=[0, 1, 2],
        label_header=_("Visits per day"),
    )
    for (_key, label), counts, window in zip(WINDOWS, totals, windows, strict=True):
        table.rows.append(
            Row(str(label), [Cell(_per_day(counts[key], window)) for key, _ in categories])
        )
    before = table.rows[0].cells
    for index, label in ((1, _("During vs before (%)")), (2, _("After vs before (%)"))):
        table.rows.append(
            Row(
                label,
                [
                    Cell(_change(cell.value, base.value))
                    for cell, base in zip(table.rows[index].cells, before, strict=True)
                ],
            )
        )
    return table


def comparison_tables(windows: list[tuple[datetime.date, datetime.date]]) -> list[Table]:
    data = selectors.visits_in_windows(windows)
    keys = [f"w{index}" for index in range(len(windows))]
    ages = [(key, key) for key, _low, _high in AGE_GROUPS] + [(AGE_GROUP_UNKNOWN, _("unknown"))]
    breakdowns = (  # slug, title, categories, their column, from the totals rows or segment rows
        ("by-size", _("By museum size"), SizeClass.choices, "size_class", True),
        ("by-museum-region", _("By museum region"), Region.choices, "museum_region", True),
        ("by-age-group", _("By age group of the holder"), ages, "age_group", False),
        ("by-holder-region", _("By region of the holder"), Region.choices, "region", False),
    )
    tables = []
    for slug, title, categories, column, totals in breakdowns:
        counts = [Counter() for _window in windows]
        for row in data["network"]:
            if (row["age_group"] == ALL) == totals:
                for index, key in enumerate(keys):
                    counts[index][row[column]] += row[key] or 0
        tables.append(_breakdown(slug, title, categories, counts, windows))
    tables.append(_per_museum(data["museums"], keys, windows))
    return tables


def _per_museum(rows: list[dict], keys: list[str], windows) -> Table:
    names = dict(Museum.objects.values_list("pk", "name"))
    per_day = _("per day")  # outside the f-string below: xgettext does not look inside one
    table = Table(
        "per-museum",
        _("Per museum"),
        [
            *(f"{label} ({per_day})" for _key, label in WINDOWS),
            _("During vs before (%)"),
            _("After vs before (%)"),
        ],
        section="comparison",
        label_header=_("Museum"),
    )
    for row in sorted(rows, key=lambda row: names.get(row["museum_id"], "")):
        per_day = [
            _per_day(row[key] or 0, window) for key, window in zip(keys, windows, strict=True)
        ]
        table.rows.append(
            Row(
                names.get(row["museum_id"], str(row["museum_id"])),
                [
                    *(Cell(value) for value in per_day),
                    Cell(_change(per_day[1], per_day[0])),
                    Cell(_change(per_day[2], per_day[0])),
                ],
            )
        )
    return table
