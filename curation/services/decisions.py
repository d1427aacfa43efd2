"""Deciding a task: the task closed, the decision row, the event's curated values and the audit
row, in one transaction; or nothing at all when the curator does not hold the task.

The values come from the kind's decision form (curation.forms), already validated; each kind
says which curated fields of `EventCuration` they set and who/when fields it stamps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from curation.models import Decision, EventCuration, QueueKind, Task, TaskState
from curation.services.queues import TaskNotHeld, close_if_held, why_refused


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
    kind = DECISION_KINDS[task.queue.kind]
    now = timezone.now()
    claimed_at = task.claimed_at if task.claimed_by_id == curator.pk else None
    with transaction.atomic():
        if not close_if_held(task, curator, now, TaskState.DECIDED):
            raise TaskNotHeld(*why_refused(task.pk, curator, now))
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
        decision = Decision.objects.create(
            task=task,
            event_id=task.event_id,
            queue_kind=task.queue.kind,
            curator=curator,
            outcome=kind.outcome(values) if kind.outcome else values[kind.fields[0]],
            values=values,
            note=note,
            decided_at=now,
            seconds=int((now - claimed_at).total_seconds()) if claimed_at else None,
        )
        audit_record(
            actor=curator,
            action="task.decided",
            object_type="events.event",
            object_id=str(task.event_id),
            old_values=old,
            new_values={
                **new,
                "task": task.pk,
                "queue": task.queue.slug,
                "decision": decision.outcome,
            },
            note=note,
        )
    return decision
