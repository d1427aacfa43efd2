"""Checks shown on the task page: does the location fit the attendance mode, which URLs to
check (the check itself is curation.services.url_check)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from curation.models import LIVE_STATES, QueueKind, Task, UrlCheck
from events.models import Event

URL_RECHECK_DAYS = 7


def location_problems(event: Event) -> list[str]:
    """What does not fit between the attendance mode, the location and the online URL.

    An online event should have no physical address (the nil place), an offline one should
    have one, a mixed one both an address and a URL; online and mixed events need a URL.
    """
    place = event.location
    physical = place is not None and place.is_physical and bool(place.street or place.city)
    mode = event.attendance_mode
    problems = []
    if mode == Event.AttendanceMode.ONLINE and physical:
        problems.append(_("an online event with a physical address"))
    if mode == Event.AttendanceMode.OFFLINE and not physical:
        problems.append(_("an offline event without a physical address"))
    if mode == Event.AttendanceMode.MIXED and not physical:
        problems.append(_("a mixed event without a physical address"))
    if mode != Event.AttendanceMode.OFFLINE and not event.online_url:
        problems.append(_("an online or mixed event without a URL"))
    return problems


def urls_to_check(*, days: int = URL_RECHECK_DAYS) -> list[int]:
    """Events with a live task in a virtual-offer queue and an online URL that was not
    checked in `days` days."""
    since = timezone.now() - timedelta(days=days)
    recent = UrlCheck.objects.filter(event=OuterRef("pk"), checked_at__gte=since)
    live = Task.objects.filter(
        event=OuterRef("pk"), queue__kind=QueueKind.VIRTUAL, state__in=LIVE_STATES
    )
    return list(
        Event.objects.exclude(online_url="")
        .filter(Exists(live))
        .exclude(Exists(recent))
        .values_list("pk", flat=True)
    )
