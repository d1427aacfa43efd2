"""Progress on the queue and task pages: open tasks left, my decisions today, the team's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from curation.models import Decision, QueueKind, Task, TaskState
from curation.selectors import progress
from curation.services.decisions import decision_undo, task_decide
from curation.services.queues import task_claim_next
from tests.curation.factories import QueueFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(db):
    queue = QueueFactory(kind=QueueKind.CONFIRM, slug="bevestigen")
    for position in range(5):
        TaskFactory(queue=queue, position=position)
    return queue


def decide(queue, curator, outcome="still_on"):
    task = task_claim_next(queue=queue, curator=curator)
    return task, task_decide(task=task, curator=curator, values={"confirmation": outcome})


def test_progress_counts_what_is_left_and_what_was_decided_today(queue, alice, bob):
    decide(queue, alice)
    decide(queue, alice)
    decide(queue, bob)
    yesterday = decide(queue, bob)[1]
    Decision.objects.filter(pk=yesterday.pk).update(decided_at=timezone.now() - timedelta(days=1))
    task_claim_next(queue=queue, curator=bob)  # held: not left for others
    assert progress(queue, alice) == {"left": 0, "mine_today": 2, "team_today": 3}
    Task.objects.filter(state=TaskState.CLAIMED).update(lease_until=timezone.now())
    assert progress(queue, alice)["left"] == 1  # a lapsed lease is open again


def test_an_undo_is_not_a_decision_more(queue, alice):
    task, decision = decide(queue, alice)
    decision_undo(task=task, user=alice, decision_id=decision.pk)
    assert progress(queue, alice)["mine_today"] == 1


@pytest.mark.parametrize("page", ["queue", "task"])
def test_the_queue_and_task_pages_show_progress(client, queue, alice, bob, page):
    decide(queue, bob)
    client.force_login(alice)
    if page == "queue":
        response = client.get("/curation/queues/bevestigen/", HTTP_ACCEPT_LANGUAGE="en")
    else:
        task = task_claim_next(queue=queue, curator=alice)
        response = client.get(f"/curation/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    shown = response.content.decode().split('id="progress"', 1)[1].split("</p>", 1)[0]
    left = 4 if page == "queue" else 3
    assert f"{left} open tasks left in this queue" in shown
    assert "0 decisions by me today" in shown and "1 by the team today" in shown
