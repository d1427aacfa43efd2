"""Queues and tasks in the admin: bulk actions through the services, with counts; the audit
trail of an event."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from core.models import AuditEntry
from curation.models import Decision, EventCuration, Queue, QueueKind, Task, TaskState
from curation.services.queues import task_claim_next
from tests.curation.factories import QueueFactory, TaskFactory
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

TASKS = "/admin/curation/task/"


def act(client, action, tasks, **extra):
    return client.post(
        TASKS,
        {"action": action, "_selected_action": [task.pk for task in tasks], **extra},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_confirm_selected_confirms_free_tasks_and_counts_the_others(admin_client, bob):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    free = [TaskFactory(queue=queue) for _ in range(3)]
    bobs = TaskFactory(
        queue=queue,
        state=TaskState.CLAIMED,
        claimed_by=bob,
        lease_until=timezone.now() + timedelta(minutes=5),
    )
    other_kind = TaskFactory(queue=QueueFactory(kind=QueueKind.FAMILY))

    response = act(admin_client, "confirm_selected", [*free, bobs, other_kind])

    assert messages_of(response) == [
        "3 bevestigd, 1 in handen van iemand anders, 1 geen bevestigingstaak"
    ]
    assert Decision.objects.count() == 3
    assert EventCuration.objects.filter(confirmation="still_on").count() == 3
    bobs.refresh_from_db()
    assert bobs.state == TaskState.CLAIMED and bobs.claimed_by == bob


def test_assign_to_a_curator_asks_whom_then_assigns_the_free_tasks(admin_client, alice, bob):
    queue = QueueFactory()
    tasks = [TaskFactory(queue=queue) for _ in range(3)]
    task_claim_next(queue=queue, curator=bob)  # one of them is bob's

    page = act(admin_client, "assign_to_curator", tasks)
    assert "Taken toewijzen aan een curator" in page.content.decode()

    response = act(admin_client, "assign_to_curator", tasks, curator=alice.pk, apply="1")

    assert messages_of(response) == ["2 toegewezen, 1 in handen van iemand anders"]
    assert Task.objects.filter(claimed_by=alice, state=TaskState.CLAIMED).count() == 2
    mine = task_claim_next(queue=queue, curator=alice)
    assert mine.claimed_by == alice and mine.lease_until > timezone.now() + timedelta(minutes=15)


def test_release_claims_frees_anyones_claim(admin_client, alice):
    queue = QueueFactory()
    TaskFactory(queue=queue)
    open_task = TaskFactory(queue=queue, position=10**6)
    held = task_claim_next(queue=queue, curator=alice)

    response = act(admin_client, "release_claims", [held, open_task])

    assert messages_of(response) == ["1 vrijgegeven, 1 niet geclaimd"]
    held.refresh_from_db()
    assert held.state == TaskState.OPEN and held.claimed_by is None


def test_the_event_page_shows_its_curated_values_and_audit_trail(admin_client, alice):
    queue = QueueFactory(kind=QueueKind.MODERATION)
    task = TaskFactory(queue=queue)
    claimed = task_claim_next(queue=queue, curator=alice)
    from curation.services.decisions import task_decide

    task_decide(
        task=claimed,
        curator=alice,
        values={"moderation": "rejected", "rejection_reason": "duplicate"},
        note="Zelfde als het concert van vrijdag.",
    )

    page = admin_client.get(f"/admin/events/event/{task.event_id}/change/").content.decode()

    assert "audittrail" in page.lower()
    assert "task.claimed" in page and "task.decided" in page
    assert "Zelfde als het concert van vrijdag." in page
    changes = page.split('class="audit-trail"', 1)[1]
    assert "moderatie: - → afgekeurd" in changes  # in words: the field's and choice's labels
    assert "afgekeurd dubbel" in page  # the curated values


def test_queues_are_editable_in_the_admin(admin_client):
    response = admin_client.get("/admin/curation/queue/add/")
    assert response.status_code == 200
    assert "sample_rate" in response.content.decode()


def test_a_queue_changed_or_deleted_in_the_admin_leaves_its_old_and_new_values(admin_client):
    queue = QueueFactory(cities=["Gent"])
    url = f"/admin/curation/queue/{queue.pk}/change/"
    data = {
        **admin_form_data(admin_client, url),
        "sample_rate": "0.25",
        "cities": "Gent\nAalst\n",
    }
    # A list is edited one value per line, not as JSON.
    assert data["themes"] == "" and "Gent" in admin_client.get(url).content.decode()

    assert admin_client.post(url, data).status_code == 302
    assert (
        admin_client.post(f"/admin/curation/queue/{queue.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )

    changed = AuditEntry.objects.get(action="curation.queue_changed", object_id=str(queue.pk))
    assert changed.actor.username == "ada"
    assert changed.old_values == {"sample_rate": None, "cities": ["Gent"]}
    assert changed.new_values == {"sample_rate": "0.25", "cities": ["Gent", "Aalst"]}
    deleted = AuditEntry.objects.get(action="curation.queue_deleted", object_id=str(queue.pk))
    assert deleted.old_values["slug"] == queue.slug and deleted.old_values["sample_rate"] == "0.250"
    assert not Queue.objects.filter(pk=queue.pk).exists()


def test_a_queue_added_in_the_admin_leaves_its_values(admin_client):
    data = {**admin_form_data(admin_client, "/admin/curation/queue/add/"), "name": "Nieuw"}
    data.update(slug="nieuw", kind=QueueKind.CONFIRM)

    assert admin_client.post("/admin/curation/queue/add/", data).status_code == 302

    created = AuditEntry.objects.get(action="curation.queue_created")
    assert created.object_id == str(Queue.objects.get(slug="nieuw").pk)
    assert created.old_values == {} and created.new_values["name"] == "Nieuw"


@pytest.mark.parametrize("count", [5, 50])
def test_the_task_list_takes_the_same_queries_for_few_and_many(
    admin_client, django_assert_num_queries, count
):
    queue = QueueFactory()
    for _ in range(count):
        TaskFactory(queue=queue)
    # Session, user, the queue filter's choices, the page's count, the page.
    with django_assert_num_queries(5):
        assert admin_client.get(TASKS).status_code == 200
