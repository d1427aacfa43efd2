"""Reads of the review queues: the overview's counts, a curator's tasks, the task page, the
statistics and the decisions that flow back to UiTdatabank. Each is a fixed number of queries
however many tasks there are."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry
from curation.models import Decision, EventCuration, Queue, Task, TaskState, UrlCheck
from events.models import Event

# What a queue kind adds to its task page: {kind: (template, function(task) -> context)}.
# Higher apps register here (the family-offer explanation); a function costs at most one query.
TASK_PAGE_PANELS: dict[str, tuple[str, Callable[[Task], dict]]] = {}


def register_task_page_panel(kind: str, template: str):
    def register(function: Callable[[Task], dict]) -> Callable[[Task], dict]:
        TASK_PAGE_PANELS[kind] = (template, function)
        return function

    return register


# What a higher app adds to the event page: (template, function(event) -> context), in order.
EVENT_PAGE_PANELS: list[tuple[str, Callable[[Event], dict]]] = []


def register_event_page_panel(template: str):
    def register(function: Callable[[Event], dict]) -> Callable[[Event], dict]:
        EVENT_PAGE_PANELS.append((template, function))
        return function

    return register


# What a higher app adds to the overview, below the queues: (template, function() -> context),
# in order. A function costs at most one query (the overview's count is pinned by a test).
OVERVIEW_PANELS: list[tuple[str, Callable[[], dict]]] = []


def register_overview_panel(template: str):
    def register(function: Callable[[], dict]) -> Callable[[], dict]:
        OVERVIEW_PANELS.append((template, function))
        return function

    return register


def task_page_panel(task: Task) -> dict:
    """The panel's template (`panel_template`) and its context, or nothing."""
    if task.queue.kind not in TASK_PAGE_PANELS:
        return {}
    template, function = TASK_PAGE_PANELS[task.queue.kind]
    return {"panel_template": template, **function(task)}


@register_task_page_panel("quality", "curation/task/quality_panel.html")
def quality_task_extra(task: Task) -> dict:
    """Each checklist item with the value to judge; image and price come from the document
    (one query: the page defers the document itself)."""
    document = Event.objects.filter(pk=task.event_id).values_list("document", flat=True).first()
    document = document if isinstance(document, dict) else {}
    image, prices = document.get("image"), document.get("priceInfo")
    prices = prices if isinstance(prices, list) else []
    return {
        # Organisers type these URLs: only http(s) becomes a link (never javascript:).
        "quality_image": image if isinstance(image, str) and image.startswith(WEB) else "",
        "quality_prices": [_price_line(price) for price in prices if isinstance(price, dict)],
    }


WEB = ("https://", "http://")


def _price_line(price: dict) -> str:
    name = price.get("name")
    if isinstance(name, dict):
        name = (
            name.get(translation.get_language() or "nl")
            or name.get("nl")
            or next(iter(name.values()), "")
        )
    amount = price.get("price")
    currency = price.get("priceCurrency", "")
    if isinstance(amount, int | float):
        amount = f"{amount:.2f}"
    return f"{name or price.get('category', '')}: {amount} {currency}".strip()


# The task page never shows these: the document is fetched on demand.
TASK_PAGE_DEFERRED = ("event__document", "event__earlier_hashes", "event__location__document")


def queues_with_counts(queues: QuerySet[Queue] | None = None) -> QuerySet[Queue]:
    """Each queue with its open, claimed (a live lease) and done (decided or skipped) tasks;
    a task whose lease ran out counts as open again, as it is for the claim."""
    now = timezone.now()
    lapsed = Q(tasks__state=TaskState.CLAIMED, tasks__lease_until__lte=now)
    held = Q(tasks__state=TaskState.CLAIMED, tasks__lease_until__gt=now)
    return (Queue.objects.filter(is_active=True) if queues is None else queues).annotate(
        open=Count("tasks", filter=Q(tasks__state=TaskState.OPEN) | lapsed),
        claimed=Count("tasks", filter=held),
        done=Count("tasks", filter=Q(tasks__state__in=(TaskState.DECIDED, TaskState.SKIPPED))),
    )


def progress(queue: Queue, curator) -> dict:
    """Open tasks left in the queue (a lapsed lease counts as open), and decisions taken today
    by the curator and by the whole team: two queries, each on an index."""
    now = timezone.now()
    free = Q(state=TaskState.OPEN) | Q(state=TaskState.CLAIMED, lease_until__lte=now)
    left = Task.objects.filter(free, queue=queue).count()
    today = Decision.objects.filter(
        decided_at__gte=_start_of(timezone.localdate()), action=Decision.Action.DECIDED
    ).aggregate(mine=Count("id", filter=Q(curator=curator)), team=Count("id"))
    return {"left": left, "mine_today": today["mine"], "team_today": today["team"]}


def events_for_search() -> QuerySet[Event]:
    """Events as the search and the event page show them, newest imports first."""
    return (
        Event.objects.select_related("location", "organizer", "event_type", "curation")
        .defer("document", "earlier_hashes", "location__document", "organizer__document")
        .order_by("-id")
    )


def tasks_of_event(event_id: int) -> list[Task]:
    return list(
        Task.objects.filter(event_id=event_id)
        .select_related("queue", "closed_by", "claimed_by")
        .order_by("-created_at", "-id")
    )


def tasks_held_by(curator) -> QuerySet[Task]:
    """What the curator chose to keep (a lease that ran out included, until someone else takes
    it); a claim not kept ends when they leave the queue."""
    return (
        Task.objects.filter(state=TaskState.CLAIMED, claimed_by=curator, kept=True)
        .select_related("queue", "event")
        .only("lease_until", "queue__name", "event__name_text")
        .order_by("queue__name", "position", "id")
    )


def task_for_page(task_id: int) -> Task:
    """The task with everything its page shows, in one query (the document excepted)."""
    return (
        Task.objects.select_related(
            "queue",
            "claimed_by",
            "closed_by",
            "event__event_type",
            "event__location",
            "event__organizer",
            "event__curation",
        )
        .defer(*TASK_PAGE_DEFERRED, "event__organizer__document")
        .get(pk=task_id)
    )


def latest_url_check(event_id: int, url: str) -> UrlCheck | None:
    if not url:
        return None
    return UrlCheck.objects.filter(event_id=event_id, url=url).order_by("-checked_at").first()


def decisions_since(since: datetime | None) -> QuerySet[Decision]:
    """Decisions in the order they were taken, for the API and `export_decisions`."""
    decisions = Decision.objects.select_related("event", "curator").only(
        "queue_kind",
        "outcome",
        "values",
        "note",
        "decided_at",
        "event__udb_id",
        "curator__username",
    )
    if since is not None:
        decisions = decisions.filter(decided_at__gte=since)
    return decisions.order_by("decided_at", "id")


# Statistics ------------------------------------------------------------------------------


def _days(days: int) -> list[date]:
    today = timezone.localdate()
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def decisions_per_curator(days: int = 14) -> tuple[list[date], list[dict]]:
    """Rows of {"curator", "per_day": [n, ...], "total", "median_seconds"} over the last `days`
    days; the median runs from claim to decision."""
    window = _days(days)
    decided = Decision.objects.filter(action=Decision.Action.DECIDED)
    rows = decided.filter(decided_at__gte=_start_of(window[0])).values_list(
        "curator__username", "decided_at", "seconds"
    )
    per_day: dict[str, Counter[date]] = defaultdict(Counter)
    seconds: dict[str, list[int]] = defaultdict(list)
    for curator, decided_at, taken in rows:
        per_day[curator or "?"][timezone.localdate(decided_at)] += 1
        if taken is not None:
            seconds[curator or "?"].append(taken)
    return window, [
        {
            "curator": curator,
            "per_day": [counts[day] for day in window],
            "total": counts.total(),
            "median_seconds": statistics.median(seconds[curator]) if seconds[curator] else None,
        }
        for curator, counts in sorted(per_day.items())
    ]


def backlog_per_queue(days: int = 14) -> tuple[list[date], list[dict]]:
    """Open tasks per queue at the end of each of the last `days` days: made before the day
    ended and not closed by then. One query: a conditional count per day."""
    window = _days(days)
    ends = [_start_of(day + timedelta(days=1)) for day in window]
    counts = {
        f"day_{index}": Count(
            "id",
            filter=Q(created_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end)),
        )
        for index, end in enumerate(ends)
    }
    rows = (
        Task.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=_start_of(window[0])))
        .values("queue__name")
        .annotate(**counts)
        .order_by("queue__name")
    )
    return window, [
        {"queue": row["queue__name"], "per_day": [row[key] for key in counts]} for row in rows
    ]


def event_audit_trail(event_id: int, limit: int = 50) -> list[AuditEntry]:
    """The event's audit rows, newest first: decisions on it and every step of its tasks."""
    task_ids = Task.objects.filter(event_id=event_id).values_list("pk", flat=True)
    return list(
        AuditEntry.objects.filter(
            Q(object_type="events.event", object_id=str(event_id))
            | Q(object_type="curation.task", object_id__in=[str(pk) for pk in task_ids])
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def event_curated_values(event_id: int) -> list[tuple]:
    """What curators decided about the event: (label, value, who, when) of each kind decided."""
    deciders = [field.name for field in EventCuration._meta.fields if field.name.endswith("_by")]
    c = EventCuration.objects.filter(event_id=event_id).select_related(*deciders).first()
    if c is None:
        return []
    virtual = (c.get_offer_kind_display(), c.get_url_state_display(), c.corrected_url)
    virtual += (c.get_location_fit_display(),)
    moderation = (c.get_moderation_display(), c.get_rejection_reason_display(), c.rejection_note)
    quality = ", ".join(f"{key}: {value}" for key, value in c.quality.items())
    # (label, value, the stem of its who and when fields)
    rows = [
        (_("confirmation"), c.get_confirmation_display(), "confirmed"),
        (_("virtual offer"), ", ".join(filter(None, virtual)), "virtual_checked"),
        (_("family offer"), {None: "", True: _("yes"), False: _("no")}[c.family], "family_decided"),
        (_("quality"), quality, "quality_checked"),
        (_("moderation"), " ".join(filter(None, moderation)), "moderated"),
    ]
    return [
        (label, value, getattr(c, f"{stem}_by"), getattr(c, f"{stem}_at"))
        for label, value, stem in rows
        if value
    ]
