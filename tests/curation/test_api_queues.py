"""/api/curation/: claim, decide, release, decisions since; and `export_decisions`."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token

from curation.models import Decision, EventCuration, QueueKind, Task, TaskState
from tests.curation.factories import QueueFactory, TaskFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, alice):
    client.force_login(alice)
    return client


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_a_claim_answers_the_task_or_204_when_the_queue_is_empty(api, alice):
    queue = QueueFactory(kind=QueueKind.MODERATION, slug="moderatie")
    task = TaskFactory(queue=queue)

    response = post(api, "/api/curation/queues/moderatie/claim/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == task.pk and body["state"] == "claimed"
    assert body["event"] == task.event.udb_id and body["queue_kind"] == "moderation"
    assert body["decision_fields"] == ["moderation", "rejection_reason", "note"]
    assert post(api, "/api/curation/queues/moderatie/claim/").json()["id"] == task.pk  # held
    Task.objects.update(state=TaskState.DECIDED)
    assert post(api, "/api/curation/queues/moderatie/claim/").status_code == 204


def test_decide_through_the_api_with_a_token(client, alice):
    token = Token.objects.create(user=alice)
    queue = QueueFactory(kind=QueueKind.FAMILY)
    task = TaskFactory(queue=queue)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    client.post(f"/api/curation/queues/{queue.slug}/claim/", **headers)

    response = client.post(
        f"/api/curation/tasks/{task.pk}/decide/",
        {"family": True, "note": "Kleuters welkom."},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 200, response.content
    assert response.json()["decision"] == "family"
    assert EventCuration.objects.get(event=task.event).family is True


def test_a_bad_decision_answers_400_with_the_field_and_changes_nothing(api, alice):
    queue = QueueFactory(kind=QueueKind.VIRTUAL)
    task = TaskFactory(queue=queue)
    post(api, f"/api/curation/queues/{queue.slug}/claim/")

    response = post(
        api,
        f"/api/curation/tasks/{task.pk}/decide/",
        {"offer_kind": "podcast", "url_state": "works", "location_fit": "fits"},
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["offer_kind"]
    assert not Decision.objects.exists()


def test_a_decision_on_someone_elses_task_answers_409_with_the_reason(api, bob):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    task = TaskFactory(
        queue=queue,
        state=TaskState.CLAIMED,
        claimed_by=bob,
        lease_until=timezone.now() + timedelta(minutes=10),
    )
    response = post(api, f"/api/curation/tasks/{task.pk}/decide/", {"confirmation": "still_on"})
    assert response.status_code == 409
    assert response.json()["reason"] == "held" and "bob" in response.json()["detail"]
    assert not Decision.objects.exists()


def test_release_through_the_api(api, alice):
    queue = QueueFactory()
    task = TaskFactory(queue=queue)
    post(api, f"/api/curation/queues/{queue.slug}/claim/")
    response = post(api, f"/api/curation/tasks/{task.pk}/release/")
    assert response.status_code == 200 and response.json()["state"] == "open"
    assert post(api, f"/api/curation/tasks/{task.pk}/release/").status_code == 409


@pytest.fixture
def two_decisions(alice):
    older, newer = EventFactory(), EventFactory()
    for event, moment, outcome in (
        (older, timezone.now() - timedelta(days=3), "still_on"),
        (newer, timezone.now() - timedelta(hours=1), "cancelled"),
    ):
        task = TaskFactory(event=event, state=TaskState.DECIDED)
        Decision.objects.create(
            task=task,
            event=event,
            queue_kind="confirm",
            curator=alice,
            outcome=outcome,
            values={"confirmation": outcome},
            decided_at=moment,
        )
    return older, newer


def test_decisions_since_a_moment_flow_back(api, two_decisions):
    _older, newer = two_decisions
    since = (timezone.now() - timedelta(days=1)).isoformat()

    response = api.get("/api/curation/decisions/", {"since": since})

    assert response.status_code == 200
    assert [
        (row["event"], row["queue_kind"], row["decision"], row["values"], row["curator"])
        for row in response.json()["results"]
    ] == [(newer.udb_id, "confirm", "cancelled", {"confirmation": "cancelled"}, "alice")]
    assert len(api.get("/api/curation/decisions/").json()["results"]) == 2


def test_decisions_since_something_that_is_no_date_is_a_400(api):
    response = api.get("/api/curation/decisions/", {"since": "gisteren"})
    assert response.status_code == 400 and "since" in response.json()


@pytest.mark.parametrize("count", [3, 60])
def test_the_decision_list_takes_the_same_queries_for_few_and_many(
    api, alice, django_assert_num_queries, count
):
    for _ in range(count):
        task = TaskFactory(state=TaskState.DECIDED)
        Decision.objects.create(
            task=task,
            event=task.event,
            queue_kind="confirm",
            curator=alice,
            outcome="still_on",
            decided_at=timezone.now(),
        )
    # Session, user, the user's roles, the page of decisions.
    with django_assert_num_queries(4):
        assert api.get("/api/curation/decisions/").status_code == 200


def test_export_decisions_writes_json_lines(two_decisions, tmp_path):
    older, newer = two_decisions
    target = tmp_path / "decisions.jsonl"
    call_command(
        "export_decisions",
        since=(timezone.now() - timedelta(days=7)).isoformat(),
        output=str(target),
        stderr=io.StringIO(),
    )
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["event"] for line in lines] == [older.udb_id, newer.udb_id]
    assert set(lines[0]) == {
        "id",
        "event",
        "queue_kind",
        "decision",
        "values",
        "note",
        "curator",
        "decided_at",
    }


def test_export_decisions_refuses_a_bad_since():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not an ISO 8601"):
        call_command("export_decisions", since="vorige week")
