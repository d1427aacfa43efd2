"""Which events a queue should hold: the queue's own filter, then the feeder of its kind.

A feeder, `feeder(queue, events) -> QuerySet[Event] | Iterable[int]` registered per kind with
`@register_feeder`, narrows the filtered events (family/queue.py registers one). It must be
deterministic: what it stops returning is withdrawn from the queue.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import reduce

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Mod
from django.utils import timezone

from curation.models import EventCuration, OfferKind, Queue, QueueKind
from events.models import Event, Place
from events.selectors import events_with_open_findings

Feeder = Callable[[Queue, QuerySet[Event]], "QuerySet[Event] | Iterable[int]"]
FEEDERS: dict[str, Feeder] = {}
# A sample keeps an event when (id * SAMPLE_SPREAD + queue id) mod 10,000 falls below the rate:
# the same events every night, spread evenly over the ids.
SAMPLE_SPREAD = 2654435761
SAMPLE_SCALE = 10_000


# A kind's own order of new tasks: `positions(queue, event_ids) -> {event id: position}` (lower
# first), or None to keep the queue's order. Registered per kind (family/queue.py: the events
# the model is least sure of first).
Positions = Callable[[Queue, list[int]], "dict[int, int] | None"]
POSITIONS: dict[str, Positions] = {}


def register_positions(kind: str) -> Callable[[Positions], Positions]:
    def register(positions: Positions) -> Positions:
        POSITIONS[kind] = positions
        return positions

    return register


def register_feeder(kind: str) -> Callable[[Feeder], Feeder]:
    def register(feeder: Feeder) -> Feeder:
        FEEDERS[kind] = feeder
        return feeder

    return register


def queue_events(queue: Queue, *, event_ids: Iterable[int] | None = None):
    """The events `queue` should hold (among `event_ids` when given): a queryset or ids.

    Events that ended are not worth a curator's time: no queue holds them, except the data
    findings queue (UiTdatabank keeps serving past events, defects included, to every channel)
    and a queue whose own date window reaches into the past, which then decides."""
    events = Event.objects.exclude(workflow_status=Event.WorkflowStatus.DELETED)
    if not keeps_ended_events(queue):
        events = events.exclude(ended_before(timezone.now()))
    if event_ids is not None:
        events = events.filter(pk__in=list(event_ids))
    events = events_matching_queue(queue, events)
    feeder = FEEDERS.get(queue.kind)
    return feeder(queue, events) if feeder else events


def events_matching_queue(queue: Queue, events: QuerySet[Event]) -> QuerySet[Event]:
    """The queue's filter: fields combined with AND, the values of one field with OR."""
    for field, values in (
        ("event_type_id", queue.event_types),
        ("organizer_id", queue.organizers),
        ("attendance_mode", queue.attendance_modes),
        ("workflow_status", queue.workflow_statuses),
        ("calendar_type", queue.calendar_types),
    ):
        if values:
            events = events.filter(**{f"{field}__in": values})
    for field, values in (("term_ids", queue.themes), ("labels", queue.labels)):
        if values:
            events = events.filter(_any_of(field, values))
    if queue.place_labels:
        places = Place.objects.filter(_any_of("labels", queue.place_labels)).values("id")
        events = events.filter(location_id__in=places)
    if queue.cities:
        cities = _any(Q(city__iexact=city) for city in queue.cities)
        events = events.filter(location_id__in=Place.objects.filter(cities).values("id"))
    events = _in_date_window(events, queue)
    if queue.looks_virtual:
        events = events.filter(_looks_virtual(queue.keywords))
    elif queue.keywords:
        events = events.filter(_text_holds_any(queue.keywords))
    if queue.unconfirmed_days:
        since = timezone.now() - timedelta(days=queue.unconfirmed_days)
        confirmed = EventCuration.objects.filter(confirmed_at__gte=since).values("event_id")
        events = events.exclude(pk__in=confirmed)
    if queue.sample_rate is not None and queue.sample_rate < 1:
        events = _sample(events, queue)
    return events


def keeps_ended_events(queue: Queue) -> bool:
    past_window = queue.starts_from is not None and queue.starts_from < timezone.localdate()
    return queue.kind == QueueKind.FINDINGS or past_window


def ended_before(moment) -> Q:
    """Ended: the end has passed, or, without an end, the day of the start has. Permanent
    offer and events without dates never end."""
    day_start = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    ended = Q(end__lt=moment) | Q(end__isnull=True, start__lt=day_start)
    return ended & ~Q(calendar_type=Event.CalendarType.PERMANENT)


def _any(conditions: Iterable[Q]) -> Q:
    return reduce(operator.or_, conditions, Q())


def _any_of(field: str, values: list[str]) -> Q:
    """A JSON list column holding any of the values (GIN-indexed containment)."""
    return _any(Q(**{f"{field}__contains": [value]}) for value in values)


def _in_date_window(events: QuerySet[Event], queue: Queue) -> QuerySet[Event]:
    """Events that take place in the window; events without dates (permanent) always do."""
    if queue.starts_from:
        ended_before = Q(end__date__lt=queue.starts_from) | Q(
            end__isnull=True, start__date__lt=queue.starts_from
        )
        events = events.exclude(ended_before)
    if queue.starts_until:
        events = events.exclude(start__date__gt=queue.starts_until)
    return events


def _text_holds_any(keywords: list[str]) -> Q:
    return _any(
        Q(name_text__icontains=keyword) | Q(description_text__icontains=keyword)
        for keyword in keywords
    )


def _looks_virtual(keywords: list[str]) -> Q:
    online = ~Q(attendance_mode=Event.AttendanceMode.OFFLINE) | ~Q(online_url="")
    return online | _text_holds_any(keywords) if keywords else online


def _sample(events: QuerySet[Event], queue: Queue) -> QuerySet[Event]:
    threshold = int(queue.sample_rate * SAMPLE_SCALE)
    slot = Mod(F("id") * SAMPLE_SPREAD + queue.pk, SAMPLE_SCALE)
    return events.alias(sample_slot=slot).filter(sample_slot__lt=threshold)


@register_feeder(QueueKind.VIRTUAL)
def virtual_feeder(queue: Queue, events: QuerySet[Event]) -> QuerySet[Event]:
    """A curator said "not virtual at all": out of the virtual offer for good."""
    not_virtual = EventCuration.objects.filter(offer_kind=OfferKind.NOT_VIRTUAL)
    return events.exclude(pk__in=not_virtual.values("event_id"))


@register_feeder(QueueKind.FINDINGS)
def findings_feeder(queue: Queue, events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with open data findings: defects the import worked around, for a curator to fix
    in UiTdatabank. A finding closes when a version without the defect is imported, and the
    build then withdraws the open task."""
    return events.filter(pk__in=events_with_open_findings())
