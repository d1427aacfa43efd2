"""Pass and skip that stick, and claims that end when the curator leaves the queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEntry
from curation.models import Task, TaskSetAside, TaskState
from curation.services.queues import task_assign, task_claim_next, task_keep
from tests.curation.factories import QueueFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(db):
    queue = QueueFactory(slug="bevestigen")
    for position in range(3):
        TaskFactory(queue=queue, position=position)
    return queue


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def first_task(queue) -> Task:
    return Task.objects.filter(queue=queue).order_by("position").first()


def claim(client, queue) -> int:
    response = client.post(f"/curation/queues/{queue.slug}/next/")
    return int(response.url.rstrip("/").rsplit("/", 1)[1])


def test_a_passed_task_does_not_come_back_to_the_same_curator(alice_client, queue):
    passed = claim(alice_client, queue)
    response = alice_client.post(f"/curation/tasks/{passed}/next/")
    second = int(response.url.rstrip("/").rsplit("/", 1)[1])
    alice_client.post(f"/curation/tasks/{second}/next/")
    # Third time: the one task left; the two passed ones do not come back.
    third = claim(alice_client, queue)
    assert len({passed, second, third}) == 3
    response = alice_client.post(f"/curation/tasks/{third}/next/")
    assert response.url == f"/curation/queues/{queue.slug}/"  # nothing left for alice
    assert Task.objects.filter(queue=queue, state=TaskState.OPEN).count() == 3


def test_a_passed_task_still_goes_to_another_curator(alice_client, queue, bob):
    passed = claim(alice_client, queue)
    alice_client.post(f"/curation/tasks/{passed}/next/")
    assert task_claim_next(queue=queue, curator=bob).pk == passed


def test_start_after_stop_gives_the_next_task(alice_client, queue):
    stopped = claim(alice_client, queue)
    response = alice_client.post(f"/curation/tasks/{stopped}/release/")  # Stop, or Escape
    assert response.url == "/curation/"
    assert Task.objects.get(pk=stopped).state == TaskState.OPEN
    assert claim(alice_client, queue) != stopped


def test_a_skipped_task_does_not_come_back(alice_client, queue):
    skipped = claim(alice_client, queue)
    alice_client.post(f"/curation/tasks/{skipped}/skip/", {"reason": "geen idee"})
    assert Task.objects.get(pk=skipped).state == TaskState.SKIPPED
    assert skipped not in {claim(alice_client, queue), claim(alice_client, queue)}


def test_passed_tasks_come_back_after_logout(alice_client, queue, alice):
    passed = claim(alice_client, queue)
    alice_client.post(f"/curation/tasks/{passed}/next/")
    alice_client.post("/accounts/logout/")
    assert not TaskSetAside.objects.filter(curator=alice).exists()
    Task.objects.filter(queue=queue).update(state=TaskState.OPEN, claimed_by=None, lease_until=None)
    assert task_claim_next(queue=queue, curator=alice).pk == passed


def test_passed_tasks_come_back_after_the_set_aside_hours(alice_client, queue, alice, settings):
    settings.CURATION_SET_ASIDE_HOURS = 2
    passed = claim(alice_client, queue)
    alice_client.post(f"/curation/tasks/{passed}/next/")
    aside = TaskSetAside.objects.get(curator=alice, task_id=passed)
    assert timedelta(hours=1.9) < aside.until - timezone.now() <= timedelta(hours=2)
    TaskSetAside.objects.update(until=timezone.now() - timedelta(seconds=1))
    Task.objects.filter(queue=queue).update(state=TaskState.OPEN, claimed_by=None, lease_until=None)
    assert task_claim_next(queue=queue, curator=alice).pk == passed


def test_leaving_the_queue_ends_the_claim_with_an_audit_row(alice_client, queue, alice):
    held = claim(alice_client, queue)
    alice_client.get("/curation/")
    task = Task.objects.get(pk=held)
    assert task.state == TaskState.OPEN and task.claimed_by is None
    assert AuditEntry.objects.filter(action="task.released", object_id=str(held)).count() == 1


def test_my_tasks_shows_only_the_tasks_kept_or_assigned(alice_client, queue, alice, bob):
    kept = task_keep(task=task_claim_next(queue=queue, curator=alice), curator=alice)
    assigned = Task.objects.filter(state=TaskState.OPEN).order_by("position").first()
    assert task_assign(task=assigned, curator=alice, actor=bob)
    other = QueueFactory()
    TaskFactory(queue=other)
    task_claim_next(queue=other, curator=alice)  # claimed, not kept: ends on the overview

    response = alice_client.get("/curation/")
    held = {row.record.pk for row in response.context["held_table"].rows}
    assert held == {kept.pk, assigned.pk}
    assert Task.objects.filter(claimed_by=alice, state=TaskState.CLAIMED).count() == 2


def test_keep_for_later_keeps_the_claim_and_returns_to_the_overview(alice_client, queue, alice):
    held = claim(alice_client, queue)
    response = alice_client.post(f"/curation/tasks/{held}/keep/")
    assert response.url == "/curation/"
    task = Task.objects.get(pk=held)
    assert task.kept and task.claimed_by == alice
    assert task.lease_until > timezone.now() + timedelta(hours=20)
    assert AuditEntry.objects.filter(action="task.kept", object_id=str(held)).exists()


def test_keep_refuses_a_task_the_curator_does_not_hold(alice_client, queue, bob):
    task = task_claim_next(queue=queue, curator=bob)
    alice_client.post(f"/curation/tasks/{task.pk}/keep/")
    task.refresh_from_db()
    assert task.claimed_by == bob and not task.kept


def test_a_new_claim_of_a_lapsed_kept_task_is_not_kept(queue, alice, bob):
    task = task_keep(task=task_claim_next(queue=queue, curator=alice), curator=alice)
    Task.objects.filter(pk=task.pk).update(lease_until=timezone.now() - timedelta(minutes=1))
    Task.objects.exclude(pk=task.pk).update(state=TaskState.DECIDED)
    taken = task_claim_next(queue=queue, curator=bob)
    assert taken.pk == task.pk and taken.claimed_by_id == bob.pk and not taken.kept
