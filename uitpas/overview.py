"""The staff overview: every municipality's ratios for a period, flagged where far from the
median of its size class."""

from django.urls import reverse
from django.utils.translation import gettext as _

from dashboards.periods import Period
from dashboards.report import Cell, Row, Table
from uitpas import report, selectors
from uitpas.models import SizeClass

SORTS = ("name", "size_class", "province", "holders", *report.RATIO_NAMES)


def overview_table(period: Period, sort: str = "name", descending: bool = False) -> Table:
    counts = selectors.period_counts(period.first, period.end)
    population = selectors.population(period.end.year)
    rows = selectors.municipality_rows()
    found = {
        row["nis_code"]: report.unit_figures([row["nis_code"]], counts, population) for row in rows
    }
    sizes = {row["nis_code"]: row["size_class"] for row in rows}
    shown = report.shown_ratios(counts, population)
    medians = {size: report.size_class_medians(shown, size, sizes) for size in set(sizes.values())}

    def flags(code):
        flagged = []
        for name, label in report.RATIO_NAMES.items():
            value, middle = found[code].values.get(name), medians[sizes[code]][name]
            if name in found[code].hidden or value is None or not middle:
                continue
            if value > report.FAR * middle:
                flagged.append(_("%(ratio)s far above its size class") % {"ratio": label})
            elif value < middle / report.FAR:
                flagged.append(_("%(ratio)s far below its size class") % {"ratio": label})
        return "; ".join(flagged)

    def value(row):
        if sort in ("name", "province", "size_class"):
            return str(row[sort])
        code = row["nis_code"]
        return None if sort in found[code].hidden else found[code].values.get(sort)

    # Withheld and empty values go last in either direction.
    known = sorted((row for row in rows if value(row) is not None), key=value, reverse=descending)
    rows = known + [row for row in rows if value(row) is None]
    columns = [_("Size class"), _("Province"), _("Card system"), _("Holders")]
    columns += [f"{label} (%)" for label in report.RATIO_NAMES.values()]
    columns.append(_("Flags"))
    table_rows = []
    for row in rows:
        code = row["nis_code"]
        holders = found[code].cell("holders")
        table_rows.append(
            Row(
                row["name"],
                [
                    Cell(str(SizeClass(row["size_class"]).label) if row["size_class"] else ""),
                    Cell(row["province"]),
                    Cell(row["card_system__name"] or ""),
                    holders,
                    *(found[code].cell(name, percent=True) for name in report.RATIO_NAMES),
                    Cell(flags(code)),
                ],
                url=reverse("uitpas:municipality", args=[code]),
            )
        )
    table = Table(
        "overview",
        _("All municipalities"),
        columns,
        table_rows,
        label_header=_("Municipality"),
        numeric=False,
        section="overview",
    )
    return table
