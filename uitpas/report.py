"""The UiTPAS pages' tables, with every suppression applied. Page, CSV, XLSX and API read the
same tables (dashboards.report.Table), so what one withholds the others withhold too."""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.periods import QUARTER, Period, add_months, months_between, period_for
from dashboards.report import TOO_FEW_HOLDERS, Cell, Row, Table
from uitpas import figures, selectors
from uitpas.privacy import complement, grid, noise_scale, published, too_few
from uitpas.scoping import Unit

RATIO_NAMES = {
    "holder_ratio": gettext_lazy("Holders per inhabitant"),
    "saver_ratio": gettext_lazy("Savers per holder"),
    "exchanger_ratio": gettext_lazy("Exchangers per saver"),
    "exchange_ratio": gettext_lazy("Points exchanged per point saved"),
    "ticket_sales_ratio": gettext_lazy("Social-tariff buyers per social-tariff holder"),
}
COUNT_NAMES = {
    "holders": gettext_lazy("Holders"),
    "inhabitants": gettext_lazy("Inhabitants"),
    "savers": gettext_lazy("Savers"),
    "points_saved": gettext_lazy("Points saved"),
    "exchangers": gettext_lazy("Exchangers"),
    "points_exchanged": gettext_lazy("Points exchanged"),
    "social_tariff_holders": gettext_lazy("Social-tariff holders"),
    "social_tariff_buyers": gettext_lazy("Social-tariff buyers"),
    "social_tariff_tickets": gettext_lazy("Social-tariff tickets"),
}
# What each ratio rests on: withheld when one of these holder counts is.
RESTS_ON = {name: (numerator, denominator) for name, numerator, denominator in figures.RATIOS}
RESTS_ON["exchange_ratio"] = ("exchangers", "savers")  # points of a few holders
POINTS_OF = {"points_saved": "savers", "points_exchanged": "exchangers"}
POINTS_OF["social_tariff_tickets"] = "social_tariff_buyers"
# Counts published with noise (uitpas.privacy), with what keys it: holders, and the tickets a
# few holders bought.
NOISY = {**figures.KEYS, "social_tariff_tickets": figures.KEYS["social_tariff_buyers"]}
MIN_MUNICIPALITIES_FOR_MEDIAN = 3
FAR = 2.0  # a ratio is flagged when it is more than twice, or under half, its size-class median


def hidden_counts(values: dict, base: dict | None = None) -> set[str]:
    """The holder counts (and what rests on them) withheld from `values`; with `base` (a
    municipality inside the group `values` is of), also those whose difference is too few."""
    hidden = {name for name in figures.HOLDER_COUNTS if too_few(values.get(name))}
    if base is not None:
        hidden |= {
            name
            for name in figures.HOLDER_COUNTS
            if too_few(values.get(name, 0) - base.get(name, 0))
        }
    hidden |= {points for points, holders in POINTS_OF.items() if holders in hidden}
    hidden |= {ratio for ratio, rests in RESTS_ON.items() if set(rests) & hidden}
    return hidden


def percent_of(value) -> float | None:
    return None if value is None else round(100 * value, 1)


def median(values: list) -> float | None:
    values = [value for value in values if value is not None]
    if len(values) < MIN_MUNICIPALITIES_FOR_MEDIAN:
        return None
    return statistics.median(values)


@dataclass
class Figures:
    """A unit's figures for a period as published (holder counts adjusted, ratios of those),
    the names withheld, and the exact counts the decisions to withhold were taken on."""

    values: dict
    hidden: set[str]
    exact: dict

    def cell(self, name: str, *, percent: bool = False) -> Cell:
        if name in self.hidden:
            return Cell(hidden=True, reason=TOO_FEW_HOLDERS)
        value = self.values.get(name)
        return Cell(percent_of(value) if percent else value)


def unit_figures(unit_codes, counts: dict, population: dict, base: dict | None = None) -> Figures:
    values = figures.summed(counts.get(code, {}) for code in unit_codes)
    inhabitants = [population[code].inhabitants for code in unit_codes if code in population]
    return counted(values, sum(inhabitants) if inhabitants else None, base)


def counted(exact: dict, inhabitants: int | None, base: dict | None = None) -> Figures:
    """Figures of exact counts: withheld where too few (beside `base`, the exact counts of a
    municipality inside them), published otherwise."""
    shown = {
        name: published(value, exact.get(NOISY[name], 0)) if name in NOISY else value
        for name, value in exact.items()
    }
    return Figures(figures.with_ratios(shown, inhabitants), hidden_counts(exact, base), exact)


@dataclass
class Benchmarks:
    flanders: dict
    size_class: dict


def shown_ratios(all_counts: dict, population: dict) -> dict[str, dict]:
    """Each municipality's ratios that are not withheld."""
    shown = {}
    for code, counts in all_counts.items():
        found = unit_figures([code], {code: counts}, population)
        shown[code] = {name: found.values[name] for name in RATIO_NAMES if name not in found.hidden}
    return shown


def ratio_medians(shown: dict[str, dict], codes) -> dict:
    """Medians over `codes` of the ratios they show (a withheld ratio takes no part)."""
    return {name: median([shown[code].get(name) for code in codes]) for name in RATIO_NAMES}


def size_class_medians(shown: dict[str, dict], size_class: str, sizes: dict) -> dict:
    return ratio_medians(shown, [code for code in shown if sizes.get(code) == size_class])


def benchmarks(all_counts: dict, population: dict, size_class: str, sizes: dict) -> Benchmarks:
    """Medians over municipalities of the ratios they show (a withheld ratio takes no part)."""
    shown = shown_ratios(all_counts, population)
    return Benchmarks(
        flanders=ratio_medians(shown, list(shown)),
        size_class=size_class_medians(shown, size_class, sizes),
    )


@dataclass
class Page:
    unit: Unit
    period: Period | None
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # the API's keys (None when withheld)

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.tables if table.slug == slug), None)


def ksb_page(unit: Unit, period: Period) -> Page:
    first, last = period.first, period.end
    all_counts = selectors.period_counts(first, last)
    population = selectors.population(last.year)
    municipalities = selectors.municipality_rows()
    sizes = {row["nis_code"]: row["size_class"] for row in municipalities}
    own = unit_figures(unit.codes, all_counts, population)
    columns = [unit.name]
    ratio_cells = [[own.cell(name, percent=True)] for name in RATIO_NAMES]
    count_cells = [[own.cell(name)] for name in COUNT_NAMES]
    if unit.is_municipality and unit.card_system is not None:
        system = unit_figures(unit.siblings, all_counts, population, base=own.exact)
        columns.append(unit.card_system.name)
        for cells, name in zip(ratio_cells, RATIO_NAMES, strict=True):
            cells.append(system.cell(name, percent=True))
        for cells, name in zip(count_cells, COUNT_NAMES, strict=True):
            cells.append(system.cell(name))
    size_class = sizes.get(unit.codes[0], "") if unit.is_municipality else ""
    marks = benchmarks(all_counts, population, size_class, sizes)
    columns.append(_("Flanders (median)"))
    for cells, name in zip(ratio_cells, RATIO_NAMES, strict=True):
        cells.append(Cell(percent_of(marks.flanders[name])))
    if unit.is_municipality:
        columns.append(_("Same size class (median)"))
        for cells, name in zip(ratio_cells, RATIO_NAMES, strict=True):
            cells.append(Cell(percent_of(marks.size_class[name])))
    tables = [
        Table(
            "ratios",
            _("Health ratios (%)"),
            columns,
            [
                Row(str(label), cells)
                for label, cells in zip(RATIO_NAMES.values(), ratio_cells, strict=True)
            ],
            label_header=_("Ratio"),
            section="ratios",
            chart="bar",
            scale="percent",
        ),
        Table(
            "counts",
            _("The counts behind the ratios"),
            columns[: len(count_cells[0])],
            [
                Row(str(label), cells)
                for label, cells in zip(COUNT_NAMES.values(), count_cells, strict=True)
            ],
            label_header=_("Count"),
            section="ratios",
        ),
        _trend(unit, period),
    ]
    if not unit.is_municipality:
        tables.append(_municipalities_table(unit, all_counts, population, municipalities))
    return Page(unit, period, tables, values=_api_values(own))


def _api_values(own: Figures) -> dict:
    values = {
        name: (None if name in own.hidden else own.values[name])
        for name in [*COUNT_NAMES, *RATIO_NAMES]
    }
    return {**values, "suppressed": sorted(own.hidden), "noise_scale": noise_scale()}


def ratio_values(unit: Unit, first: datetime.date, last: datetime.date) -> dict:
    """The API's keys for days `first`..`last`: counts and ratios, withheld ones None."""
    codes = list(unit.codes)
    counts = selectors.period_counts(first, last, codes)
    own = unit_figures(codes, counts, selectors.population(last.year, codes))
    return _api_values(own)


def _trend(unit: Unit, period: Period) -> Table:
    """The ratios per month: the period's months, and at least the 12 months to its end."""
    months = months_between(min(period.first, add_months(period.last, -11)), period.last)
    monthly = selectors.monthly_counts(months, list(unit.codes))
    population = {
        year: selectors.population(year, list(unit.codes)) for year in {m.year for m in months}
    }
    rows = {name: [] for name in RATIO_NAMES}
    for month in months:
        inhabitants = sum(p.inhabitants for p in population[month.year].values()) or None
        found = counted(monthly[month], inhabitants)
        for name in RATIO_NAMES:
            rows[name].append(found.cell(name, percent=True))
    return Table(
        "trend",
        _("Ratios per month (%)"),
        [date_format(month, "YEAR_MONTH_FORMAT") for month in months],
        [Row(str(RATIO_NAMES[name]), cells) for name, cells in rows.items()],
        label_header=_("Ratio"),
        section="trend",
        chart="line",
        scale="percent",
    )


def _municipalities_table(unit, all_counts, population, municipalities) -> Table:
    """A card system's municipalities side by side; a municipality's holder count withheld
    with a second one, so that the card system's total minus the rest tells nothing."""
    names = {row["nis_code"]: row["name"] for row in municipalities}
    found = {code: unit_figures([code], all_counts, population) for code in unit.codes}
    for name in figures.HOLDER_COUNTS:
        line = {code: found[code].exact[name] for code in unit.codes}
        for code in complement(line, set()):
            found[code].hidden |= hidden_counts({name: 1})  # as if too few
            found[code].hidden.add(name)
    columns = [str(COUNT_NAMES["holders"]), *map(str, RATIO_NAMES.values())]
    rows = [
        Row(
            names[code],
            [found[code].cell("holders")]
            + [found[code].cell(name, percent=True) for name in RATIO_NAMES],
        )
        for code in unit.codes
    ]
    outside, outside_keys = selectors.outside_region(unit.card_system, unit.codes)
    rows.append(
        Row(
            _("Outside the region"),
            [
                Cell(hidden=True, reason=TOO_FEW_HOLDERS)
                if too_few(outside)
                else Cell(published(outside, outside_keys))
            ]
            + [Cell(None) for _name in RATIO_NAMES],
        )
    )
    return Table(
        "municipalities",
        _("Municipalities of the card system"),
        columns,
        rows,
        label_header=_("Municipality"),
        section="municipalities",
    )


# The first five years.

COHORT_NAMES = {
    "holder_share": gettext_lazy("Holders per inhabitant (%)"),
    "social_tariff_share": gettext_lazy("Social-tariff holders per person in poverty (%)"),
    "cost_per_social_tariff_holder": gettext_lazy("Cost per social-tariff holder (EUR)"),
}


def cohort_values(municipality: dict, counts_of, populations: dict) -> list[dict]:
    """Years 1 to 5 of one municipality: the three figures (None: no denominator) and what is
    withheld; `counts_of(first, last)` gives its counts for a year."""
    years = []
    since = municipality["uitpas_since"]
    if since is None:
        return years
    for k, first, last in figures.cohort_years(since):
        counts = counts_of(first, last)
        code = municipality["nis_code"]
        people = populations.get((code, last.year))
        holders, social = counts.get("holders"), counts.get("social_tariff_holders", 0)
        cost = float(counts.get("discount", 0)) * float(municipality["discount_share"])
        hidden = set()
        if too_few(holders):
            hidden.add("holder_share")
        if too_few(social):
            hidden |= {"social_tariff_share", "cost_per_social_tariff_holder"}
        holders = None if holders is None else published(holders, counts.get("holders_key", 0))
        social = published(social, counts.get("social_tariff_holders_key", 0))
        years.append(
            {
                "year": k,
                "from": first,
                "to": last,
                "complete": last < datetime.date.today(),
                "holder_share": figures.ratio(holders, people.inhabitants if people else 0),
                "social_tariff_share": figures.ratio(
                    social, people.people_in_poverty if people else 0
                ),
                "cost_per_social_tariff_holder": figures.ratio(cost, social),
                "hidden": hidden,
            }
        )
    return years


def cohort_table(rows: list[dict], years_of) -> Table:
    """Municipalities side by side: size class, province, card system, then years 1-5."""
    columns = [_("Size class"), _("Province"), _("Card system")]
    for k in range(1, 6):
        columns += [f"{_('Year')} {k}: {label}" for label in COHORT_NAMES.values()]
    table_rows = []
    for row in rows:
        cells = [
            Cell(str(_size_label(row["size_class"]))),
            Cell(row["province"]),
            Cell(row["card_system__name"] or ""),
        ]
        years = {year["year"]: year for year in years_of(row)}
        for k in range(1, 6):
            year = years.get(k)
            for name in COHORT_NAMES:
                if year is None:
                    cells.append(Cell(None))
                elif name in year["hidden"]:
                    cells.append(Cell(hidden=True, reason=TOO_FEW_HOLDERS))
                elif name == "cost_per_social_tariff_holder":
                    value = year[name]
                    cells.append(Cell(None if value is None else round(value, 2)))
                else:
                    cells.append(Cell(percent_of(year[name])))
        table_rows.append(Row(row["name"], cells))
    return Table(
        "cohorts",
        _("The first five years"),
        columns,
        table_rows,
        label_header=_("Municipality"),
        numeric=False,
        section="cohorts",
    )


def _size_label(value: str) -> str:
    from uitpas.models import SizeClass

    return SizeClass(value).label if value else ""


def cohorts_page(unit: Unit, rows: list[dict] | None = None) -> Page:
    """The first five years of the unit's municipalities (staff: `rows`, all of them)."""
    rows = (
        rows
        if rows is not None
        else [row for row in selectors.municipality_rows() if row["nis_code"] in unit.codes]
    )
    codes = [row["nis_code"] for row in rows]
    periods = set()
    for row in rows:
        if row["uitpas_since"]:
            periods |= {(f, t) for _k, f, t in figures.cohort_years(row["uitpas_since"])}
    stored = selectors.cohort_counts(periods, codes)
    populations = selectors.populations(codes)

    def years_of(row):
        code = row["nis_code"]
        return cohort_values(row, lambda f, t: stored.get((code, f, t), {}), populations)

    api = {row["nis_code"]: years_of(row) for row in rows}
    table = cohort_table(rows, lambda row: api[row["nis_code"]])
    return Page(unit, None, [table], values=api)


# Participation profiles.


def profile_of(participations: int, cutoffs) -> str:
    key = cutoffs[0].key
    for cutoff in cutoffs:
        if participations >= cutoff.minimum:
            key = cutoff.key
    return key


def quarter_label(quarter: datetime.date) -> str:
    return period_for(QUARTER, quarter).label


def profiles_page(unit: Unit, last_quarter: datetime.date, count: int = 8) -> Page:
    cutoffs = selectors.cutoffs()
    names = {cutoff.key: cutoff.name for cutoff in cutoffs}
    quarters = [add_months(last_quarter, -3 * i) for i in range(count - 1, -1, -1)]
    stored = selectors.profile_quarters(list(unit.codes), quarters)
    per_quarter, by_age, by_social, moves = {}, Counter(), Counter(), Counter()
    keys = Counter()  # each cell's sum of record keys, which keys its noise
    for quarter in quarters:
        tally = dict.fromkeys(names, 0)
        for age, social, now, before, holders, *stored_keys in stored[quarter]:
            record_keys = stored_keys[0] if stored_keys else 0  # rows stored before keys: 0
            profile = profile_of(now, cutoffs)
            tally[profile] += holders
            keys[profile, quarter] += record_keys
            if quarter == last_quarter:
                social_key = _("social tariff") if social else _("no social tariff")
                origin = _("new holder") if before is None else names[profile_of(before, cutoffs)]
                for slug, table, key in (
                    ("age", by_age, (age, profile)),
                    ("social", by_social, (social_key, profile)),
                    ("transitions", moves, (origin, names[profile])),
                ):
                    table[key] += holders
                    keys[(slug, *key)] += record_keys
        per_quarter[quarter] = tally
    cells = {(key, quarter): per_quarter[quarter][key] for quarter in quarters for key in names}
    hidden = grid(cells)
    labels = [quarter_label(quarter) for quarter in quarters]
    tables = [
        Table(
            "profiles",
            _("Holders per profile, per quarter"),
            labels,
            [
                Row(
                    names[key],
                    [_cell(cells, hidden, (key, quarter), keys) for quarter in quarters],
                )
                for key in names
            ],
            label_header=_("Profile"),
            section="profiles",
            chart="line",
        ),
        _grid_table("age", _("By age group"), by_age, names.keys(), names, _("Age group"), keys),
        _grid_table(
            "social",
            _("By social tariff"),
            by_social,
            names.keys(),
            names,
            _("Social tariff"),
            keys,
        ),
        _grid_table(
            "transitions",
            _("From the quarter before to this one"),
            moves,
            names.values(),
            None,
            _("From"),
            keys,
        ),
    ]
    values = {
        quarter.isoformat(): {
            key: (
                None if (key, quarter) in hidden else published(value, keys.get((key, quarter), 0))
            )
            for key, value in per_quarter[quarter].items()
        }
        for quarter in quarters
    }
    return Page(unit, None, tables, values=values)


def _cell(cells, hidden, key, keys, prefix=()) -> Cell:
    if key in hidden:
        return Cell(hidden=True, reason=TOO_FEW_HOLDERS)
    return Cell(published(cells.get(key, 0), keys.get((*prefix, *key), 0)))


def _grid_table(slug, title, cells, column_keys, names, label_header, keys) -> Table:
    column_keys = list(column_keys)
    rows = sorted({key[0] for key in cells}, key=str)
    full = {(row, column): cells.get((row, column), 0) for row in rows for column in column_keys}
    hidden = grid(full)
    return Table(
        slug,
        title,
        [str(names[key]) if names else str(key) for key in column_keys],
        [
            Row(
                str(row),
                [_cell(full, hidden, (row, column), keys, (slug,)) for column in column_keys],
            )
            for row in rows
        ],
        label_header=label_header,
        section="profiles",
        chart="bar" if slug != "transitions" else None,
    )


def last_full_quarter(today: datetime.date | None = None) -> datetime.date:
    return add_months(quarter_of(today or datetime.date.today()), -3)


def quarter_of(day: datetime.date) -> datetime.date:
    return period_for(QUARTER, day).first


def quarter_end(quarter: datetime.date) -> datetime.date:
    return period_for(QUARTER, quarter).end
