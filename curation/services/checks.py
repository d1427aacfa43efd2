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
    place, url = event.location, event.online_url
    physical = place is not None and place.is_physical and bool(place.street or place.city)
    mode, modes = event.attendance_mode, Event.AttendanceMode
    problems = (
        (_("an online event with a physical address"), mode == modes.ONLINE and physical),
        (_("an offline event without a physical address"), mode == modes.OFFLINE and not physical),
        (_("a mixed event without a physical address"), mode == modes.MIXED and not physical),
        (_("an online or mixed event without a URL"), mode != modes.OFFLINE and not url),
    )
    return [problem for problem, found in problems if found]


def urls_to_check(*, days: int = URL_RECHECK_DAYS) -> list[int]:
    """Events with a live task in a virtual-offer queue and an online URL that was not
    checked in `days` days."""
    since = timezone.now() - timedelta(days=days)
    recent = UrlCheck.objects.filter(event=OuterRef("pk"), checked_at__gte=since)
    live = Task.objects.filter(
        event=OuterRef("pk"), queue__kind=QueueKind.VIRTUAL, state__in=LIVE_STATES
    )
    events = Event.objects.exclude(online_url="").filter(Exists(live)).exclude(Exists(recent))
    return list(events.values_list("pk", flat=True))
