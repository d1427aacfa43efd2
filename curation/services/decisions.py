"""Deciding a task: the task closed, the decision row, the event's curated values and the audit
row, in one transaction; or nothing at all when the curator does not hold the task.

Undo and amend are decisions too (a new row each, with its audit row): the deciding curator
may change their decision for CURATION_UNDO_MINUTES, an administrator always. An undo restores
the curated values as they were before the decision and hands the task back to whoever undid
it; an amendment writes the new values and leaves the task decided.

The values come from the kind's decision form (curation.forms), already validated; each kind
says which curated fields of `EventCuration` they set and who/when fields it stamps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from curation.models import Decision, EventCuration, QueueKind, Task, TaskState
from curation.services.queues import TaskNotHeld, close_if_held, lease_length, why_refused


class DecisionLocked(Exception):
    """The decision can no longer be changed by this user; nothing was written."""


@dataclass(frozen=True)
class DecisionKind:
    stamp: str  # EventCuration's `<stamp>_by` and `<stamp>_at`: who decided and when
    fields: tuple[str, ...]  # EventCuration fields taken from the values
    note_field: str | None = None  # where the decision's note goes, if anywhere
    # The decision's outcome code; by default the value of the first field.
    outcome: Callable[[dict], str] | None = None


def _quality_outcome(values: dict) -> str:
    failed = [item for item, verdict in values["quality"].items() if verdict == "fail"]
    return "failed" if failed else "passed"


DECISION_KINDS: dict[str, DecisionKind] = {
    QueueKind.CONFIRM: DecisionKind("confirmed", ("confirmation",), "confirmation_note"),
    QueueKind.VIRTUAL: DecisionKind(
        "virtual_checked", ("offer_kind", "url_state", "corrected_url", "location_fit")
    ),
    QueueKind.FAMILY: DecisionKind(
        "family_decided",
        ("family",),
        outcome=lambda values: "family" if values["family"] else "not_family",
    ),
    QueueKind.QUALITY: DecisionKind(
        "quality_checked", ("quality",), "quality_note", _quality_outcome
    ),
    QueueKind.MODERATION: DecisionKind(
        "moderated", ("moderation", "rejection_reason"), "rejection_note"
    ),
    QueueKind.FINDINGS: DecisionKind("findings_checked", ("findings",), "findings_note"),
}


def task_decide(*, task: Task, curator, values: dict, note: str = "") -> Decision:
    """Record the curator's decision on `task` (its queue and event loaded).

    Accepted while the curator holds a live lease on the task, or while it is open and
    unclaimed; otherwise TaskNotHeld, and nothing is written.
    """
    now = timezone.now()
    claimed_at = task.claimed_at if task.claimed_by_id == curator.pk else None
    with transaction.atomic():
        if not close_if_held(task, curator, now, TaskState.DECIDED):
            raise TaskNotHeld(*why_refused(task.pk, curator, now))
        previous = _curated_now(task)
        old, new = _write_curated(task, values, note, curator, now)
        decision = Decision.objects.create(
            **_decision_row(task, curator, values, note, now),
            previous=previous,
            seconds=int((now - claimed_at).total_seconds()) if claimed_at else None,
        )
        _audit(task, curator, "task.decided", old, new, decision, note)
    return decision


def decision_current(task: Task) -> Decision | None:
    return task.decisions.order_by("-decided_at", "-id").first()


def decision_may_change(decision: Decision | None, user, now=None) -> bool:
    """The deciding curator within CURATION_UNDO_MINUTES, an administrator always."""
    if decision is None or decision.action == Decision.Action.UNDONE:
        return False
    if user.is_superuser:
        return True
    window = timedelta(minutes=settings.CURATION_UNDO_MINUTES)
    return decision.curator_id == user.pk and (now or timezone.now()) < decision.decided_at + window


def decision_amend(*, task: Task, user, decision_id: int, values: dict, note: str = "") -> Decision:
    """Replace the standing decision `decision_id` of `task` with new values."""
    now = timezone.now()
    with transaction.atomic():
        standing = _standing(task, user, decision_id, now)
        old, new = _write_curated(task, values, note, user, now)
        decision = Decision.objects.create(
            **_decision_row(task, user, values, note, now),
            action=Decision.Action.AMENDED,
            previous=standing.previous,
        )
        _audit(task, user, "task.decision_amended", old, new, decision, note)
    return decision


def decision_undo(*, task: Task, user, decision_id: int) -> Decision:
    """Withdraw the standing decision `decision_id`: the curated values go back to what they
    were before it, and the task is `user`'s again (claimed) to decide anew."""
    now = timezone.now()
    with transaction.atomic():
        standing = _standing(task, user, decision_id, now)
        old = _curated_now(task)
        EventCuration.objects.filter(event_id=task.event_id).update(**_restorable(task, standing))
        Task.objects.filter(pk=task.pk).update(
            state=TaskState.CLAIMED,
            claimed_by=user,
            claimed_at=now,
            lease_until=now + lease_length(),
            closed_by=None,
            closed_at=None,
        )
        decision = Decision.objects.create(
            **_decision_row(task, user, {}, "", now), action=Decision.Action.UNDONE
        )
        _audit(task, user, "task.decision_undone", old, standing.previous, decision, "")
    return decision


def _standing(task: Task, user, decision_id: int, now) -> Decision:
    """The task's standing decision, locked, if it is still `decision_id` and `user` may
    change it; otherwise DecisionLocked (someone changed it meanwhile, or the time is up)."""
    locked = Task.objects.select_for_update().get(pk=task.pk)  # one change at a time
    standing = decision_current(task)
    if locked.state != TaskState.DECIDED or standing is None or standing.pk != decision_id:
        raise DecisionLocked(_("This decision was changed meanwhile; nothing was saved."))
    if not decision_may_change(standing, user, now):
        minutes = settings.CURATION_UNDO_MINUTES
        message = _(
            "Only the curator who decided can change a decision, within %(minutes)s minutes; "
            "nothing was saved."
        )
        raise DecisionLocked(message % {"minutes": minutes})
    return standing


def _fields(task: Task) -> list[str]:
    kind = DECISION_KINDS[task.queue.kind]
    fields = list(kind.fields) + ([kind.note_field] if kind.note_field else [])
    return [*fields, f"{kind.stamp}_by", f"{kind.stamp}_at"]


def _curated_now(task: Task) -> dict:
    """The kind's curated fields as they stand (JSON-ready: who as an id, when as ISO)."""
    fields = _fields(task)
    row = EventCuration.objects.filter(event_id=task.event_id).values(
        *[f"{name}_id" if name.endswith("_by") else name for name in fields]
    )
    row = row.first() or {}
    return {key: v.isoformat() if hasattr(v, "isoformat") else v for key, v in row.items()}


def _restorable(task: Task, decision: Decision) -> dict:
    """`previous` as an update (an event never curated before: the fields' defaults)."""
    names = {f"{name}_id" if name.endswith("_by") else name for name in _fields(task)}
    fields = [field for field in EventCuration._meta.concrete_fields if field.attname in names]
    return {**{field.attname: field.get_default() for field in fields}, **decision.previous}


def _write_curated(task: Task, values: dict, note: str, curator, now) -> tuple[dict, dict]:
    """The kind's curated fields from `values`, stamped: (old, new) values of those fields."""
    kind = DECISION_KINDS[task.queue.kind]
    # Only the kind's curated fields, so decisions of other kinds taken at the same moment
    # on the same event are not overwritten.
    locked = EventCuration.objects.select_for_update()
    curation, _created = locked.get_or_create(event_id=task.event_id)
    new = {field: values[field] for field in kind.fields}
    if kind.note_field:
        new[kind.note_field] = note
    old = {field: getattr(curation, field) for field in new}
    EventCuration.objects.filter(event_id=task.event_id).update(
        **new, **{f"{kind.stamp}_by": curator, f"{kind.stamp}_at": now}
    )
    return old, new


def _decision_row(task: Task, curator, values: dict, note: str, now) -> dict:
    kind = DECISION_KINDS[task.queue.kind]
    if not values:
        outcome = Decision.Action.UNDONE.value
    else:
        outcome = kind.outcome(values) if kind.outcome else values[kind.fields[0]]
    return {
        "task": task,
        "event_id": task.event_id,
        "queue_kind": task.queue.kind,
        "curator": curator,
        "outcome": outcome,
        "values": values,
        "note": note,
        "decided_at": now,
    }


def _audit(task, actor, action, old, new, decision, note) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="events.event",
        object_id=str(task.event_id),
        old_values=old,
        new_values={**new, "task": task.pk, "queue": task.queue.slug, "decision": decision.outcome},
        note=note,
    )
