"""Periods of whole months: a response knows only the month of its visit, so every dashboard
figure (visits and passes too, for the figures to line up) is summed over whole months."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = (
    (MONTH, _("month")),
    (QUARTER, _("quarter")),
    (YEAR, _("year")),
    (CUSTOM, _("custom")),
)
MAX_MONTHS = 120


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(month_start(first), index) for index in range(count)]


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str
    first: datetime.date  # first day of the first month
    last: datetime.date  # first day of the last month

    @property
    def months(self) -> list[datetime.date]:
        return months_between(self.first, self.last)

    @property
    def end(self) -> datetime.date:
        """The period's last day."""
        return month_end(self.last)

    def shifted(self, direction: int) -> "Period":
        length = len(self.months)
        return Period(
            self.kind,
            add_months(self.first, direction * length),
            add_months(self.last, direction * length),
        )

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return date_format(self.first, "YEAR_MONTH_FORMAT")
        if self.kind == QUARTER:
            return f"Q{(self.first.month - 1) // 3 + 1} {self.first.year}"
        if self.kind == YEAR:
            return str(self.first.year)
        first = date_format(self.first, "YEAR_MONTH_FORMAT")
        return f"{first} \u2013 {date_format(self.last, 'YEAR_MONTH_FORMAT')}"

    def query(self) -> dict[str, str]:
        """The query string that selects this period again."""
        values = {"period": self.kind, "from": self.first.strftime("%Y-%m")}
        if self.kind == CUSTOM:
            values["to"] = self.last.strftime("%Y-%m")
        return values


def period_for(kind: str, first: datetime.date, last: datetime.date | None = None) -> Period:
    """The period of `kind` that holds `first` (custom: from `first` to `last`)."""
    first = month_start(first)
    if kind == MONTH:
        return Period(MONTH, first, first)
    if kind == QUARTER:
        start = first.replace(month=(first.month - 1) // 3 * 3 + 1)
        return Period(QUARTER, start, add_months(start, 2))
    if kind == YEAR:
        return Period(YEAR, first.replace(month=1), first.replace(month=12))
    return Period(CUSTOM, first, month_start(last or first))


def plausible_months(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and last month a period may hold: from the Museumpas' start
    (MUSEUMPAS_EARLIEST_DATE, as for visits) to December of next year, so that a month from
    outside (`?from=9999-12`) and the periods next to it stay real dates."""
    today = today or timezone.localdate()
    return month_start(settings.MUSEUMPAS_EARLIEST_DATE), datetime.date(today.year + 1, 12, 1)


def default_period(today: datetime.date | None = None) -> Period:
    """The last twelve months, this one included."""
    this_month = month_start(today or timezone.localdate())
    return Period(CUSTOM, add_months(this_month, -11), this_month)
