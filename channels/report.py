"""The channel dashboards as tables (the museum dashboards' `Table`): the staff page, a
channel's page, their CSV and XLSX exports and the API render the same tables."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from channels import selectors
from channels.models import ChannelType, Party
from dashboards.periods import Period, month_start
from dashboards.report import Cell, Row, Table


def _labels():
    return {
        "alive": _("Alive channels"),
        "new": _("New channels"),
        "lost": _("Lost channels"),
        "registered": _("Registered channels"),
        "views": _("Consultations"),
        "impressions": _("Teaser impressions"),
        "clicks": _("Clicks"),
        "requests": _("Search API requests"),
    }


def _month_table(slug, title, period: Period, rows: list[tuple[str, list]], **options) -> Table:
    months = period.months
    this_month = month_start(timezone.localdate())
    table = Table(
        slug=slug,
        title=title,
        columns=[date_format(month, "YEAR_MONTH_FORMAT") for month in months],
        label_header=_("Month"),
        incomplete=months.index(this_month) if this_month in months else None,
        **options,
    )
    table.rows = [Row(label, [Cell(value) for value in values]) for label, values in rows]
    return table


def _series(figures: dict, months, group: str, names) -> list[tuple[str, list]]:
    labels = _labels()
    empty = dict.fromkeys(selectors.FIGURES, 0)
    return [
        (labels[name], [figures.get((month, group), empty)[name] for month in months])
        for name in names
    ]


def _by(figures: dict, months, choices, figure: str) -> list[tuple[str, list]]:
    return [
        (str(label), [figures.get((month, value), {}).get(figure, 0) for month in months])
        for value, label in choices
    ]


def staff_tables(period: Period) -> list[Table]:
    """The deck's two questions (alive channels, consultations) with new and lost, by type and
    party, and the partner municipalities: four queries, however many channels."""
    months, first, last = period.months, period.first, period.last
    total = selectors.month_figures(first, last)
    by_type = selectors.month_figures(first, last, by="type")
    by_party = selectors.month_figures(first, last, by="party")
    tables = [
        _month_table(
            "alive",
            _("Alive channels"),
            period,
            _series(total, months, "", ("alive", "new", "lost", "registered")),
            chart="line",
            section="channels",
        ),
        _month_table(
            "consultations",
            _("Consultations"),
            period,
            _series(total, months, "", ("views", "impressions", "clicks")),
            chart="line",
            section="reach",
        ),
        _month_table(
            "api-requests",
            _("Search API requests"),
            period,
            _series(total, months, "", ("requests",)),
            chart="bar",
            section="reach",
            notes=[_("Search API requests are shown beside consultations, never added to them.")],
        ),
    ]
    for slug, title, figures, choices, figure in (
        ("alive-by-type", _("Alive channels by type"), by_type, ChannelType.choices, "alive"),
        (
            "consultations-by-type",
            _("Consultations by type"),
            by_type,
            ChannelType.choices,
            "views",
        ),
        ("alive-by-party", _("Alive channels by party"), by_party, Party.choices, "alive"),
        ("consultations-by-party", _("Consultations by party"), by_party, Party.choices, "views"),
    ):
        section = "channels" if figure == "alive" else "reach"
        tables.append(
            _month_table(
                slug,
                title,
                period,
                _by(figures, months, choices, figure),
                chart="line",
                section=section,
            )
        )
    tables.append(municipality_table(period))
    return tables


def municipality_table(period: Period) -> Table:
    """Per partner municipality: alive at the period's end, new and lost within it, usage."""
    labels = _labels()
    names = ("alive", "new", "lost", "views", "requests")
    table = Table(
        slug="municipalities",
        title=_("By partner municipality"),
        columns=[labels[name] for name in names],
        label_header=_("Municipality"),
        section="places",
    )
    for row in selectors.municipality_figures(period.first, period.last):
        cells = [Cell(row[name] or 0) for name in names]
        table.rows.append(Row(row["municipality"] or _("unknown"), cells))
    return table


def channel_tables(channel, period: Period) -> list[Table]:
    """A channel's trend per month: its usage and whether it was alive at the month's end."""
    rows = selectors.channel_months(channel, period.first, period.last)
    empty = dict.fromkeys(selectors.FIGURES, 0)
    figures = {(month, ""): rows.get(month, empty) for month in period.months}
    trend = _series(figures, period.months, "", ("views", "impressions", "clicks", "requests"))
    alive = [_("yes") if figures[month, ""]["alive"] else _("no") for month in period.months]
    table = _month_table(
        "trend",
        _("Trend"),
        period,
        [*trend, (_("Alive at the month's end"), alive)],
        chart="line",
        section="channel",
    )
    table.chart_rows = [0, 1, 2, 3]
    return [table]
