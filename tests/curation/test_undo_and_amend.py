"""Undo and amend: each a new decision with its audit row; the event's curated values follow.
The deciding curator may change a decision for CURATION_UNDO_MINUTES, an administrator always."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry
from curation.models import Decision, EventCuration, QueueKind, Task, TaskState
from curation.services.decisions import DecisionLocked, decision_amend, decision_undo, task_decide
from curation.services.queues import task_claim_next
from tests.curation.factories import QueueFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(alice):
    """Alice confirmed "cancelled" on an event bob had confirmed "still on" before."""
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    task = TaskFactory(queue=queue)
    EventCuration.objects.create(event=task.event, confirmation="still_on", confirmation_note="ok")
    task = task_claim_next(queue=queue, curator=alice)
    decision = task_decide(task=task, curator=alice, values={"confirmation": "cancelled"}, note="")
    return Task.objects.select_related("queue").get(pk=task.pk), decision


def curated(task):
    return EventCuration.objects.get(event_id=task.event_id)


def test_undo_restores_the_curated_values_and_hands_the_task_back(decided, alice):
    task, decision = decided
    undo = decision_undo(task=task, user=alice, decision_id=decision.pk)

    assert (curated(task).confirmation, curated(task).confirmation_note) == ("still_on", "ok")
    assert curated(task).confirmed_by is None and curated(task).confirmed_at is None
    assert undo.action == Decision.Action.UNDONE and undo.outcome == "undone"
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED and task.claimed_by == alice
    audit = AuditEntry.objects.get(action="task.decision_undone")
    assert audit.actor == alice and audit.old_values["confirmation"] == "cancelled"
    assert audit.new_values["confirmation"] == "still_on"


def test_after_an_undo_the_curator_decides_again(decided, alice):
    task, decision = decided
    decision_undo(task=task, user=alice, decision_id=decision.pk)
    task.refresh_from_db()
    again = task_decide(task=task, curator=alice, values={"confirmation": "postponed"})
    assert curated(task).confirmation == "postponed"
    assert list(task.decisions.order_by("id").values_list("action", flat=True)) == [
        "decided",
        "undone",
        "decided",
    ]
    assert again.outcome == "postponed"


def test_amend_writes_a_new_decision_and_the_curated_values_follow(decided, alice):
    task, decision = decided
    amended = decision_amend(
        task=task,
        user=alice,
        decision_id=decision.pk,
        values={"confirmation": "postponed"},
        note="najaar",
    )
    assert amended.action == Decision.Action.AMENDED and amended.pk != decision.pk
    assert (curated(task).confirmation, curated(task).confirmation_note) == ("postponed", "najaar")
    task.refresh_from_db()
    assert task.state == TaskState.DECIDED
    audit = AuditEntry.objects.get(action="task.decision_amended")
    assert audit.old_values == {"confirmation": "cancelled", "confirmation_note": ""}
    # An undo after the amendment goes back to before the first decision.
    decision_undo(task=task, user=alice, decision_id=amended.pk)
    assert curated(task).confirmation == "still_on"


def test_another_curator_cannot_change_the_decision(decided, bob):
    task, decision = decided
    with pytest.raises(DecisionLocked):
        decision_undo(task=task, user=bob, decision_id=decision.pk)
    assert curated(task).confirmation == "cancelled"


def test_the_curator_cannot_change_it_after_the_undo_minutes(decided, alice, settings):
    task, decision = decided
    settings.CURATION_UNDO_MINUTES = 10
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now() - timedelta(minutes=11)
    )
    with pytest.raises(DecisionLocked, match="10"):
        decision_amend(
            task=task, user=alice, decision_id=decision.pk, values={"confirmation": "still_on"}
        )
    assert not AuditEntry.objects.filter(action="task.decision_amended").exists()


def test_an_administrator_can_always_undo(decided, admin_user):
    task, decision = decided
    Decision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - timedelta(days=30))
    decision_undo(task=task, user=admin_user, decision_id=decision.pk)
    assert curated(task).confirmation == "still_on"


def test_a_decision_changed_meanwhile_is_not_changed_again(decided, alice):
    task, decision = decided
    decision_amend(
        task=task, user=alice, decision_id=decision.pk, values={"confirmation": "postponed"}
    )
    with pytest.raises(DecisionLocked):
        decision_undo(task=task, user=alice, decision_id=decision.pk)  # the page was stale
    assert curated(task).confirmation == "postponed"


def test_undo_of_a_first_ever_curation_empties_the_fields(alice):
    queue = QueueFactory(kind=QueueKind.FAMILY)
    TaskFactory(queue=queue)
    task = task_claim_next(queue=queue, curator=alice)
    decision = task_decide(task=task, curator=alice, values={"family": True})
    task = Task.objects.select_related("queue").get(pk=task.pk)
    decision_undo(task=task, user=alice, decision_id=decision.pk)
    assert curated(task).family is None and curated(task).family_decided_by is None


# The task page ---------------------------------------------------------------------------


def test_the_decided_task_shows_what_was_decided_with_undo_and_amend(client, decided, alice):
    task, _decision = decided
    client.force_login(alice)
    page = client.get(f"/curation/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    standing = page.split('id="standing-decision"', 1)[1].split("</section>", 1)[0]
    assert "is this still on?" in standing and "cancelled" in standing
    assert 'id="undo-form"' in standing
    assert f'action="/curation/tasks/{task.pk}/amend/"' in page


def test_another_curator_sees_the_decision_without_undo(client, decided, bob):
    task, _decision = decided
    client.force_login(bob)
    page = client.get(f"/curation/tasks/{task.pk}/").content.decode()
    assert 'id="standing-decision"' in page and 'id="undo-form"' not in page
    assert "/amend/" not in page


def test_undo_then_decide_again_through_the_pages(client, decided, alice):
    task, decision = decided
    client.force_login(alice)
    response = client.post(f"/curation/tasks/{task.pk}/undo/", {"decision": decision.pk})
    assert response.url == f"/curation/tasks/{task.pk}/"
    client.post(f"/curation/tasks/{task.pk}/decide/", {"confirmation": "postponed", "note": ""})
    assert curated(task).confirmation == "postponed"


def test_amend_through_the_page_and_bad_input_answer_400_not_500(client, decided, alice):
    task, decision = decided
    client.force_login(alice)
    url = f"/curation/tasks/{task.pk}/amend/"
    assert client.post(url, {"confirmation": "postponed"}).status_code == 400  # no decision id
    assert client.post(url, {"decision": "x", "confirmation": "nee"}).status_code == 400
    response = client.post(url, {"decision": decision.pk, "confirmation": "postponed"})
    assert response.status_code == 302 and curated(task).confirmation == "postponed"
    response = client.post(f"/curation/tasks/{task.pk}/undo/", {"decision": "99999999999999999999"})
    assert response.status_code == 302 and curated(task).confirmation == "postponed"
