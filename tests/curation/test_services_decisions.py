"""Decisions: each kind writes the event's curated values and an audit row in one transaction;
a decision from a curator who does not hold the task writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry
from curation.forms import DECISION_FORMS
from curation.models import Decision, EventCuration, QueueKind, Task, TaskState
from curation.services.decisions import task_decide
from curation.services.queues import TaskNotHeld, task_claim_next
from tests.curation.factories import QueueFactory, TaskFactory

pytestmark = pytest.mark.django_db

# (kind, form data, curated fields expected afterwards, outcome)
DECISIONS = [
    (
        QueueKind.CONFIRM,
        {"confirmation": "postponed", "note": "Verplaatst naar het najaar."},
        {"confirmation": "postponed", "confirmation_note": "Verplaatst naar het najaar."},
        "postponed",
    ),
    (
        QueueKind.VIRTUAL,
        {
            "offer_kind": "virtual_tour",
            "url_state": "broken",
            "corrected_url": "https://museum.example.be/tour",
            "location_fit": "should_be_online",
        },
        {
            "offer_kind": "virtual_tour",
            "url_state": "broken",
            "corrected_url": "https://museum.example.be/tour",
            "location_fit": "should_be_online",
        },
        "virtual_tour",
    ),
    (QueueKind.FAMILY, {"family": "yes"}, {"family": True}, "family"),
    (QueueKind.FAMILY, {"family": "no"}, {"family": False}, "not_family"),
    (
        QueueKind.QUALITY,
        {
            "check_description": "pass",
            "check_image": "fail",
            "check_price": "pass",
            "check_age": "pass",
            "check_location": "pass",
            "check_dates": "fail",
            "note": "Geen beeld, data onvolledig.",
        },
        {
            "quality": {
                "description": "pass",
                "image": "fail",
                "price": "pass",
                "age": "pass",
                "location": "pass",
                "dates": "fail",
            },
            "quality_note": "Geen beeld, data onvolledig.",
        },
        "failed",
    ),
    (
        QueueKind.MODERATION,
        {"moderation": "rejected", "rejection_reason": "duplicate"},
        {"moderation": "rejected", "rejection_reason": "duplicate"},
        "rejected",
    ),
    (
        QueueKind.MODERATION,
        {"moderation": "approved"},
        {"moderation": "approved", "rejection_reason": ""},
        "approved",
    ),
]
WHO_AND_WHEN = {
    QueueKind.CONFIRM: ("confirmed_by", "confirmed_at"),
    QueueKind.VIRTUAL: ("virtual_checked_by", "virtual_checked_at"),
    QueueKind.FAMILY: ("family_decided_by", "family_decided_at"),
    QueueKind.QUALITY: ("quality_checked_by", "quality_checked_at"),
    QueueKind.MODERATION: ("moderated_by", "moderated_at"),
}


def decide(task, curator, data):
    form = DECISION_FORMS[task.queue.kind](data)
    assert form.is_valid(), form.errors
    return task_decide(
        task=task, curator=curator, values=form.values(), note=form.cleaned_data["note"]
    )


@pytest.mark.parametrize(("kind", "data", "expected", "outcome"), DECISIONS)
def test_each_decision_kind_writes_the_curated_values_and_its_audit_row(
    alice, kind, data, expected, outcome
):
    task = TaskFactory(queue=QueueFactory(kind=kind))
    claimed = task_claim_next(queue=task.queue, curator=alice)

    decision = decide(claimed, alice, data)

    curation = EventCuration.objects.get(event=task.event)
    assert {field: getattr(curation, field) for field in expected} == expected
    who, when = WHO_AND_WHEN[kind]
    assert getattr(curation, who) == alice and getattr(curation, when) == decision.decided_at
    assert decision.outcome == outcome and decision.curator == alice
    assert decision.seconds is not None
    claimed.refresh_from_db()
    assert claimed.state == TaskState.DECIDED and claimed.closed_by == alice
    audit = AuditEntry.objects.get(action="task.decided")
    assert audit.actor == alice and audit.object_id == str(task.event_id)
    assert audit.new_values["task"] == task.pk and audit.new_values["decision"] == outcome
    assert {key: audit.new_values[key] for key in expected} == expected
    blank = EventCuration()
    assert {key: audit.old_values[key] for key in expected} == {
        field: getattr(blank, field) for field in expected
    }


def test_a_second_decision_records_the_old_values_in_the_audit(alice):
    queue = QueueFactory(kind=QueueKind.FAMILY)
    first = TaskFactory(queue=queue)
    decide(task_claim_next(queue=queue, curator=alice), alice, {"family": "yes"})
    Task.objects.filter(pk=first.pk).update(state=TaskState.DECIDED)
    second = TaskFactory(queue=QueueFactory(kind=QueueKind.FAMILY), event=first.event)

    decide(task_claim_next(queue=second.queue, curator=alice), alice, {"family": "no"})

    latest = AuditEntry.objects.filter(action="task.decided").order_by("-id").first()
    assert latest.old_values == {"family": True} and latest.new_values["family"] is False
    assert EventCuration.objects.get(event=first.event).family is False


def test_an_open_unclaimed_task_may_be_decided(alice):
    task = TaskFactory(queue=QueueFactory(kind=QueueKind.FAMILY))
    decision = decide(Task.objects.select_related("queue").get(pk=task.pk), alice, {"family": "no"})
    assert decision.seconds is None
    assert Task.objects.get(pk=task.pk).state == TaskState.DECIDED


def test_lease_expiry_hands_the_task_to_another_and_refuses_the_late_decision(alice, bob):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    TaskFactory(queue=queue)
    alices = task_claim_next(queue=queue, curator=alice)
    Task.objects.filter(pk=alices.pk).update(lease_until=timezone.now() - timedelta(minutes=1))

    bobs = task_claim_next(queue=queue, curator=bob)
    assert bobs.pk == alices.pk

    with pytest.raises(TaskNotHeld, match="bob werkt aan deze taak") as refusal:
        decide(alices, alice, {"confirmation": "cancelled"})
    assert refusal.value.reason == "held"
    assert not EventCuration.objects.exists()

    decide(bobs, bob, {"confirmation": "still_on"})
    assert Decision.objects.get().curator == bob
    assert AuditEntry.objects.filter(action="task.decided").count() == 1
    assert EventCuration.objects.get().confirmation == "still_on"


def test_a_decision_after_the_own_lease_ran_out_is_refused(alice):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    TaskFactory(queue=queue)
    task = task_claim_next(queue=queue, curator=alice)
    Task.objects.filter(pk=task.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    with pytest.raises(TaskNotHeld, match="is verlopen") as refusal:
        decide(task, alice, {"confirmation": "still_on"})

    assert refusal.value.reason == "expired"
    assert not Decision.objects.exists()


def test_a_task_is_decided_once_however_often_it_is_submitted(alice):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    TaskFactory(queue=queue)
    task = task_claim_next(queue=queue, curator=alice)
    decide(task, alice, {"confirmation": "still_on"})

    with pytest.raises(TaskNotHeld, match="heeft deze taak al beslist") as refusal:
        decide(task, alice, {"confirmation": "cancelled"})

    assert refusal.value.reason == "decided"
    assert Decision.objects.count() == 1
    assert EventCuration.objects.get().confirmation == "still_on"


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        (
            QueueKind.VIRTUAL,
            {"offer_kind": "podcast", "url_state": "works", "location_fit": "fits"},
            "offer_kind",
        ),
        (QueueKind.MODERATION, {"moderation": "rejected"}, "rejection_reason"),
        (QueueKind.MODERATION, {"moderation": "rejected", "rejection_reason": "other"}, "note"),
        (QueueKind.CONFIRM, {"confirmation": "needs_edit"}, "note"),
        (QueueKind.CONFIRM, {}, "confirmation"),
        (QueueKind.FAMILY, {"family": "misschien"}, "family"),
        (QueueKind.QUALITY, {"check_image": "ok"}, "check_image"),
    ],
)
def test_a_bad_decision_is_a_form_error(kind, data, field):
    form = DECISION_FORMS[kind](data)
    assert not form.is_valid()
    assert field in form.errors
