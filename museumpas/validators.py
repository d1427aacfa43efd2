"""What Museumpas data from outside (CSV imports, the visits API, the admin) may hold.

A value that PostgreSQL stores but a later read cannot handle (a moment in year 0 or 10000 once
in UTC), that PostgreSQL refuses mid-batch (an offset beyond 15:59) or that breaks a mail header
(a line break in a museum's name) is refused where it comes in, with its reason.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Unicode's control characters (category Cc): C0, DEL and C1.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Real UTC offsets run from -12:00 to +14:00.
_LARGEST_OFFSET = datetime.timedelta(hours=14)
# A visit may be dated a little ahead (a client's clock, a time zone slip), not more.
VISIT_FUTURE_MARGIN = datetime.timedelta(days=1)
# Passes are sold ahead of their validity, valid for a year.
PASS_FUTURE_MARGIN = datetime.timedelta(days=2 * 366)


class ImplausibleDate(ValueError):
    """The message says why, in words for the supplier of the data."""


def has_control_characters(value: str) -> bool:
    return _CONTROL.search(value) is not None


def validate_no_control_characters(value: str) -> None:
    if has_control_characters(value):
        raise ValidationError(
            _("Control characters, such as a line break, are not allowed."),
            code="control_characters",
        )


def visit_moment(moment: datetime.datetime, *, now: datetime.datetime | None = None):
    """The moment of a visit in UTC, if it is a real one between MUSEUMPAS_EARLIEST_DATE and a
    day from now; otherwise ImplausibleDate."""
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > _LARGEST_OFFSET:
        raise ImplausibleDate("has a UTC offset beyond 14:00")
    try:
        moment = moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ImplausibleDate("is out of range") from None
    earliest = timezone.make_aware(
        datetime.datetime.combine(settings.MUSEUMPAS_EARLIEST_DATE, datetime.time.min)
    )
    latest = (now or timezone.now()) + VISIT_FUTURE_MARGIN
    if not earliest <= moment <= latest:
        raise ImplausibleDate(_range_reason(earliest.date(), "a day from now"))
    return moment


def plausible_day(
    day: datetime.date, *, margin: datetime.timedelta, today: datetime.date | None = None
) -> datetime.date:
    """The day, if it lies between MUSEUMPAS_EARLIEST_DATE and `margin` from today."""
    latest = (today or timezone.localdate()) + margin
    if not settings.MUSEUMPAS_EARLIEST_DATE <= day <= latest:
        raise ImplausibleDate(_range_reason(settings.MUSEUMPAS_EARLIEST_DATE, latest.isoformat()))
    return day


def _range_reason(earliest: datetime.date, latest: str) -> str:
    return f"is not between {earliest.isoformat()} and {latest}"
