"""Review tasks: building queues, claiming with a lease, deciding, releasing, skipping.

A claim locks its task with FOR UPDATE SKIP LOCKED in a transaction of milliseconds and records
a lease; a lease that ran out counts as free in the claim query. Every transition is a
compare-and-set UPDATE; when no row changed, nothing is written and `TaskNotHeld` says why.
Tasks are inserted with ON CONFLICT DO NOTHING against the "one live task per event" index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from core.services import audit_record
from curation.models import LIVE_STATES, Queue, QueueOrder, Task, TaskSetAside, TaskState
from curation.services.claim_sql import claim_next_in_one_statement
from curation.services.feeders import POSITIONS, queue_events
from events.models import Event

BUILD_CHUNK = 2000
_LAST = 2**62  # the position of events without the date the queue is ordered by


class TaskNotHeld(Exception):
    """The task is not, or no longer, this curator's to act on; nothing was written.

    `reason` is one of "decided", "skipped", "held" (someone else holds a live lease),
    "expired" (the curator's own lease ran out) or "not_claimed".
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def lease_length() -> timedelta:
    return timedelta(minutes=settings.CURATION_LEASE_MINUTES)


# Building -------------------------------------------------------------------------------


@dataclass
class BuildResult:
    queue: str
    created: int = 0
    withdrawn: int = 0

    def line(self) -> str:
        return f"{self.queue}: created {self.created}, withdrawn {self.withdrawn}"


def queues_build(
    *, queues: Iterable[Queue] | None = None, event_ids: Iterable[int] | None = None
) -> list[BuildResult]:
    """Bring the active queues (or those given) in line with the events: a task for each
    event a queue should hold and has no live or recent task for, and open tasks withdrawn
    for events it should no longer hold. With `event_ids`, only those events are looked at."""
    ids = None if event_ids is None else sorted(set(event_ids))
    queues = Queue.objects.filter(is_active=True) if queues is None else queues
    results = [_build_queue(queue, ids) for queue in queues]
    with transaction.atomic():
        audit_record(
            actor=None,
            action="queues.built",
            object_type="curation.queue",
            new_values={
                "events": "all" if ids is None else len(ids),
                "queues": {r.queue: [r.created, r.withdrawn] for r in results},
            },
        )
    return results


def _build_queue(queue: Queue, event_ids: list[int] | None) -> BuildResult:
    result = BuildResult(queue.slug)
    wanted = queue_events(queue, event_ids=event_ids)
    wanted = set(wanted.values_list("pk", flat=True) if isinstance(wanted, QuerySet) else wanted)
    tasks = Task.objects.filter(queue=queue)
    if event_ids is not None:
        tasks = tasks.filter(event_id__in=event_ids)
    blocking = Q()  # a closed task blocks for ever
    if queue.repeat_after_days is not None:
        recent = timezone.now() - timedelta(days=queue.repeat_after_days)
        blocking = Q(state__in=LIVE_STATES) | Q(closed_at__gte=recent)
    new = sorted(wanted - set(tasks.filter(blocking).values_list("event_id", flat=True)))
    for start in range(0, len(new), BUILD_CHUNK):
        result.created += _create_tasks(queue, new[start : start + BUILD_CHUNK])
    result.withdrawn = _withdraw_unwanted(tasks, wanted)
    return result


def _create_tasks(queue: Queue, event_ids: list[int]) -> int:
    rows = Event.objects.filter(pk__in=event_ids).values_list("pk", "start", "created", "modified")
    kind_positions = POSITIONS.get(queue.kind)
    own = (kind_positions(queue, event_ids) if kind_positions else None) or {}
    tasks = [
        Task(
            queue=queue,
            event_id=pk,
            position=own[pk] if pk in own else _position(queue.order, pk, start, created, changed),
        )
        for pk, start, created, changed in rows
    ]
    return len(Task.objects.bulk_create(tasks, ignore_conflicts=True))


def _position(order: str, pk: int, start, created, modified) -> int:
    if order == QueueOrder.IMPORTED:
        return pk
    moment = {QueueOrder.START: start, QueueOrder.CREATED: created}.get(order, modified)
    if moment is None:
        return _LAST
    seconds = int(moment.timestamp())
    return -seconds if order == QueueOrder.MODIFIED else seconds


def _withdraw_unwanted(tasks: QuerySet[Task], wanted: set[int]) -> int:
    """Delete the free live tasks (open, or with a lapsed lease) of events no longer wanted.
    A task someone holds stays: the curator may still decide it."""
    free = _free_tasks(tasks, timezone.now())
    unwanted = [pk for pk, event_id in free.values_list("pk", "event_id") if event_id not in wanted]
    withdrawn = 0
    for start in range(0, len(unwanted), BUILD_CHUNK):
        chunk = unwanted[start : start + BUILD_CHUNK]
        # The same condition again in the DELETE: a task claimed meanwhile stays.
        withdrawn += _free_tasks(Task.objects.filter(pk__in=chunk), timezone.now()).delete()[0]
    return withdrawn


def _free_tasks(tasks: QuerySet[Task], now: datetime) -> QuerySet[Task]:
    return tasks.filter(Q(state=TaskState.OPEN) | Q(state=TaskState.CLAIMED, lease_until__lt=now))


# Claiming -------------------------------------------------------------------------------


def task_claim_next(*, queue: Queue, curator, exclude: Iterable[int] = ()) -> Task | None:
    """The task this curator already holds in the queue (lease renewed), or else the first free
    one (open, or whose lease ran out), now leased to them; None when nothing is free."""
    with transaction.atomic():
        return claim_next_in_one_statement(
            queue_id=queue.pk,
            curator_id=curator.pk,
            exclude=list(exclude),
            now=timezone.now(),
            lease=lease_length(),
        )


def task_take(*, task: Task, curator) -> Task:
    """Claim this very task (from the task page or "my tasks") if it is free or already mine.
    The WHERE repeats the task as read: the task page offers tasks read without a lock."""
    now = timezone.now()
    as_read = Task.objects.filter(pk=task.pk, state=task.state, lease_until=task.lease_until)
    with transaction.atomic():
        if task.state == TaskState.CLAIMED and task.claimed_by_id == curator.pk:
            # Extend the curator's lease; never shorten one (an assignment lasts longer).
            lease_until = max(now + lease_length(), task.lease_until or now)
            if as_read.filter(claimed_by=curator).update(lease_until=lease_until):
                task.lease_until = lease_until
                return task
        elif task.state in LIVE_STATES:
            lease_until = now + lease_length()
            taken = _free_tasks(as_read, now).update(
                state=TaskState.CLAIMED, claimed_by=curator, claimed_at=now, lease_until=lease_until
            )
            if taken:
                audit_record(
                    actor=curator,
                    action="task.claimed",
                    target=task,
                    old_values={"state": task.state, "claimed_by": task.claimed_by_id},
                    new_values={"state": TaskState.CLAIMED, "lease_until": lease_until.isoformat()},
                )
                task.state, task.claimed_by, task.claimed_at = TaskState.CLAIMED, curator, now
                task.lease_until = lease_until
                return task
    raise TaskNotHeld(*why_refused(task.pk, curator, now))


def task_assign(*, task: Task, curator, actor, hours: int | None = None) -> bool:
    """Hand a free task to a curator with a lease of `hours` (an administrator's action)."""
    now = timezone.now()
    until = now + timedelta(hours=hours or settings.CURATION_ASSIGNMENT_HOURS)
    with transaction.atomic():
        changed = _free_tasks(Task.objects.filter(pk=task.pk), now).update(
            state=TaskState.CLAIMED,
            claimed_by=curator,
            claimed_at=now,
            lease_until=until,
            kept=True,
        )
        if changed:
            audit_record(
                actor=actor,
                action="task.assigned",
                target=task,
                new_values={"claimed_by": curator.username, "lease_until": until.isoformat()},
            )
    return bool(changed)


def task_release(*, task: Task, curator, force: bool = False, set_aside: bool = False) -> None:
    """Give a claimed task back to the queue; `force` (administrators) releases anyone's;
    `set_aside` (the curator stopped at it) keeps the claim from handing it to them again."""
    with transaction.atomic():
        claimed = Task.objects.filter(pk=task.pk, state=TaskState.CLAIMED)
        if not force:
            claimed = claimed.filter(claimed_by=curator)
        if not claimed.update(state=TaskState.OPEN, claimed_by=None, lease_until=None, kept=False):
            raise TaskNotHeld(*why_refused(task.pk, curator, timezone.now()))
        audit_record(
            actor=curator,
            action="task.released",
            target=task,
            old_values={"state": TaskState.CLAIMED, "claimed_by": task.claimed_by_id},
            new_values={"state": TaskState.OPEN},
        )
        if set_aside:
            task_set_aside(task=task, curator=curator)
    task.state, task.claimed_by, task.lease_until, task.kept = TaskState.OPEN, None, None, False


def tasks_release_unkept(*, curator) -> int:
    """The curator left the queue: the claims they did not choose to keep end now, each with
    its audit row (a kept claim or an assignment stays, in "my tasks")."""
    released = 0
    for task in Task.objects.filter(state=TaskState.CLAIMED, claimed_by=curator, kept=False):
        try:
            task_release(task=task, curator=curator)
        except TaskNotHeld:
            continue  # decided or taken over meanwhile
        released += 1
    return released


def task_keep(*, task: Task, curator) -> Task:
    """Keep a task one holds for later: it stays in "my tasks" for the assignment's hours."""
    now = timezone.now()
    until = now + timedelta(hours=settings.CURATION_ASSIGNMENT_HOURS)
    held = Task.objects.filter(
        pk=task.pk, state=TaskState.CLAIMED, claimed_by=curator, lease_until__gt=now
    )
    with transaction.atomic():
        if not held.update(kept=True, lease_until=until):
            raise TaskNotHeld(*why_refused(task.pk, curator, now))
        audit_record(
            actor=curator,
            action="task.kept",
            target=task,
            new_values={"kept": True, "lease_until": until.isoformat()},
        )
    task.kept, task.lease_until = True, until
    return task


def task_set_aside(*, task: Task, curator) -> None:
    """Not for this curator until CURATION_SET_ASIDE_HOURS from now, or their logout."""
    until = timezone.now() + timedelta(hours=settings.CURATION_SET_ASIDE_HOURS)
    TaskSetAside.objects.update_or_create(task=task, curator=curator, defaults={"until": until})


def set_asides_clear(*, curator) -> int:
    """The curator logged out: what they passed may come to them again."""
    return TaskSetAside.objects.filter(curator=curator).delete()[0]


def task_skip(*, task: Task, curator, reason: str) -> None:
    """Close the task without a decision, with the curator's reason."""
    now = timezone.now()
    with transaction.atomic():
        if not close_if_held(task, curator, now, TaskState.SKIPPED, skip_reason=reason):
            raise TaskNotHeld(*why_refused(task.pk, curator, now))
        audit_record(
            actor=curator,
            action="task.skipped",
            target=task,
            new_values={"state": TaskState.SKIPPED},
            note=reason,
        )


def close_if_held(task: Task, curator, now: datetime, state: str, **fields) -> bool:
    """Compare-and-set: only the curator holding a live lease, or anyone on an open task."""
    mine = Q(state=TaskState.CLAIMED, claimed_by=curator, lease_until__gt=now)
    changed = Task.objects.filter(mine | Q(state=TaskState.OPEN), pk=task.pk).update(
        state=state, closed_by=curator, closed_at=now, lease_until=None, kept=False, **fields
    )
    if changed:
        task.state, task.closed_at = state, now
    return bool(changed)


def why_refused(task_id: int, curator, now: datetime) -> tuple[str, str]:
    """The message and reason code of a refused action, from the task as it is now."""
    task = Task.objects.select_related("claimed_by", "closed_by").get(pk=task_id)
    who = _name(task.closed_by) if task.closed_by else _("someone")
    if task.state == TaskState.DECIDED:
        return _("%(who)s already decided this task; nothing was saved.") % {"who": who}, "decided"
    if task.state == TaskState.SKIPPED:
        return _("%(who)s already skipped this task; nothing was saved.") % {"who": who}, "skipped"
    if task.state != TaskState.CLAIMED:
        return _("You do not hold this task; nothing was changed."), "not_claimed"
    until = time_format(timezone.localtime(task.lease_until), "H:i")
    if task.claimed_by_id == curator.pk:
        return _(
            "Your claim on this task ran out at %(until)s; nothing was saved. Take the task "
            "again to decide it."
        ) % {"until": until}, "expired"
    if task.lease_until > now:
        message = _("%(who)s is working on this task (until %(until)s); nothing was saved.")
        return message % {"who": _name(task.claimed_by), "until": until}, "held"
    return _(
        "Your claim on this task ran out and it went back to the queue; nothing was saved."
    ), "expired"


def _name(user) -> str:
    return user.get_full_name() or user.username if user else "?"
