"""The curators' pages: overview, queue, task page and its actions, statistics."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from curation.models import Decision, EventCuration, QueueKind, Task, TaskState, UrlCheck
from curation.services.queues import task_claim_next, task_keep
from events.models import Event
from tests.curation.factories import QueueFactory, TaskFactory
from tests.events.factories import EventFactory, OrganizerFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def many_tasks(queue, count):
    """`count` events with their tasks, written in bulk (a page must not care how many)."""
    place, organizer = PlaceFactory(), OrganizerFactory()
    events = Event.objects.bulk_create(
        EventFactory.build_batch(count, location=place, organizer=organizer)
    )
    Task.objects.bulk_create(
        [Task(queue=queue, event=event, position=index) for index, event in enumerate(events)]
    )


@pytest.fixture
def curator_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def virtual_queue(db):
    return QueueFactory(kind=QueueKind.VIRTUAL, name="Virtueel")


def claimed(queue, curator):
    return task_claim_next(queue=queue, curator=curator)


# Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/curation/", "/curation/statistics/"])
def test_only_curators_reach_the_curation_pages(client, charlie, path):
    assert client.get(path).status_code == 302  # anonymous: to the login page
    client.force_login(charlie)
    assert client.get(path).status_code == 403


def test_the_api_of_tasks_refuses_museum_users(client, charlie, virtual_queue):
    client.force_login(charlie)
    assert client.post(f"/api/curation/queues/{virtual_queue.slug}/claim/").status_code == 403


# Overview --------------------------------------------------------------------------------


def test_the_overview_shows_each_queue_with_its_counts_and_my_tasks(curator_client, alice, bob):
    queue = QueueFactory(name="Bevestigen")
    many_tasks(queue, 5)
    mine = task_keep(task=claimed(queue, alice), curator=alice)
    claimed(queue, bob)
    Task.objects.filter(pk__in=Task.objects.filter(state="open").values("pk")[:1]).update(
        state=TaskState.DECIDED
    )

    response = curator_client.get("/curation/")

    rows = {
        row.record.name: (row.record.open, row.record.claimed, row.record.done)
        for row in response.context["queue_table"].rows
    }
    assert rows["Bevestigen"] == (2, 2, 1)
    held = [row.record.pk for row in response.context["held_table"].rows]
    assert held == [mine.pk]
    assert f'href="/curation/tasks/{mine.pk}/"' in response.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_overview_takes_the_same_queries_for_10_and_1000_tasks(
    curator_client, alice, django_assert_num_queries, count
):
    queue = QueueFactory()
    many_tasks(queue, count)
    task_keep(task=claimed(queue, alice), curator=alice)
    # Session, user, the user's roles, claims to end, the queues with their counts, my tasks,
    # and the family panel's count of decisions since the active model (registered by family).
    with django_assert_num_queries(7):
        assert curator_client.get("/curation/").status_code == 200


# The task page ---------------------------------------------------------------------------


def test_the_task_page_shows_what_a_curator_needs_to_decide(curator_client, alice, virtual_queue):
    event = EventFactory(
        name_text="Virtuele rondleiding Rubenshuis",
        description_text="Een rondleiding via livestream.",
        themes=["1.8.2.0.0"],
        attendance_mode="online",
        online_url="https://rubenshuis.example.be/live",
        min_age=6,
        max_age=12,
        labels=["museumPASSmusees"],
        location=PlaceFactory(
            name_text="Rubenshuis", city="Antwerpen", latitude=51.2, longitude=4.4
        ),
        organizer=OrganizerFactory(name_text="Rubenshuis vzw"),
    )
    TaskFactory(queue=virtual_queue, event=event)
    UrlCheck.objects.create(
        event=event, url=event.online_url, checked_at=timezone.now(), ok=False, status_code=404
    )
    task = claimed(virtual_queue, alice)

    page = curator_client.get(f"/curation/tasks/{task.pk}/").content.decode()

    for expected in (
        "Virtuele rondleiding Rubenshuis",
        "Een rondleiding via livestream.",
        "Concert",  # the event type
        "Jazz en blues",  # its theme
        "6-12",
        "https://rubenshuis.example.be/live",
        "kapot (404)",  # the latest URL check
        "Rubenshuis vzw",
        "Antwerpen",
        "openstreetmap.org/?mlat=51.2",
        "een online evenement met een fysiek adres",  # the location check
        "museumPASSmusees",
        event.uitdatabank_url,
        'data-key="4"',  # learning offer
        "<kbd>Enter</kbd>",
        "Opslaan en volgende",
        'id="document"',
    ):
        assert expected in page, expected


@pytest.mark.parametrize("count", [10, 1000])
def test_the_task_page_takes_the_same_queries_for_10_and_1000_tasks(
    curator_client, alice, django_assert_num_queries, count
):
    queue = QueueFactory(kind=QueueKind.VIRTUAL)
    many_tasks(queue, count)
    Event.objects.update(online_url="https://x.example.be")
    task = claimed(queue, alice)
    curator_client.get(f"/curation/tasks/{task.pk}/")  # term labels now cached
    # Session, user, the user's roles, the task with its event, the latest URL check, the
    # event's open data findings, progress: open tasks left and decisions today.
    with django_assert_num_queries(8):
        assert curator_client.get(f"/curation/tasks/{task.pk}/").status_code == 200


def test_the_document_as_received_comes_on_demand(curator_client):
    event = EventFactory()
    response = curator_client.get(f"/curation/events/{event.pk}/document/")
    assert response.json() == event.document


def test_a_missing_task_is_a_404(curator_client):
    assert curator_client.get("/curation/tasks/999999/").status_code == 404


# Deciding from the page ------------------------------------------------------------------


def test_save_and_next_decides_and_opens_the_next_task(curator_client, alice):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    many_tasks(queue, 2)
    first = claimed(queue, alice)

    response = curator_client.post(
        f"/curation/tasks/{first.pk}/decide/", {"confirmation": "cancelled"}
    )

    second = Task.objects.get(queue=queue, state=TaskState.CLAIMED)
    assert response.status_code == 302 and response.url == f"/curation/tasks/{second.pk}/"
    assert EventCuration.objects.get(event=first.event).confirmation == "cancelled"
    assert second.claimed_by == alice


def test_the_last_decision_leads_back_to_the_queue(curator_client, alice):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    many_tasks(queue, 1)
    task = claimed(queue, alice)
    response = curator_client.post(
        f"/curation/tasks/{task.pk}/decide/", {"confirmation": "still_on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/curation/queues/{queue.slug}/"
    assert "Niets meer te doen" in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "data", "error"),
    [
        (
            QueueKind.VIRTUAL,
            {"offer_kind": "podcast", "url_state": "works", "location_fit": "fits"},
            "Selecteer een geldige keuze",
        ),
        (QueueKind.MODERATION, {"moderation": "rejected"}, "Een afwijzing heeft een reden nodig."),
    ],
)
def test_a_bad_decision_is_a_form_error_and_changes_nothing(
    curator_client, alice, kind, data, error
):
    queue = QueueFactory(kind=kind)
    many_tasks(queue, 1)
    task = claimed(queue, alice)

    response = curator_client.post(f"/curation/tasks/{task.pk}/decide/", data)

    assert response.status_code == 400
    assert error in response.content.decode()
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED
    assert not Decision.objects.exists() and not EventCuration.objects.exists()


def test_a_late_decision_gets_a_clear_message_and_saves_nothing(curator_client, alice, bob):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    many_tasks(queue, 1)
    task = claimed(queue, alice)
    Task.objects.filter(pk=task.pk).update(lease_until=timezone.now() - timedelta(minutes=1))
    claimed(queue, bob)

    response = curator_client.post(
        f"/curation/tasks/{task.pk}/decide/", {"confirmation": "still_on"}, follow=True
    )

    assert "bob werkt aan deze taak" in response.content.decode()
    assert not Decision.objects.exists()


def test_skip_asks_for_a_reason(curator_client, alice):
    queue = QueueFactory()
    many_tasks(queue, 2)
    task = claimed(queue, alice)
    assert (
        curator_client.post(f"/curation/tasks/{task.pk}/skip/", {"reason": ""}).status_code == 400
    )
    response = curator_client.post(f"/curation/tasks/{task.pk}/skip/", {"reason": "Twijfel"})
    task.refresh_from_db()
    assert task.state == TaskState.SKIPPED and task.skip_reason == "Twijfel"
    assert response.url != f"/curation/tasks/{task.pk}/"


def test_next_leaves_the_task_to_others_and_opens_another(curator_client, alice):
    queue = QueueFactory()
    many_tasks(queue, 2)
    task = claimed(queue, alice)
    response = curator_client.post(f"/curation/tasks/{task.pk}/next/")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    other = Task.objects.get(state=TaskState.CLAIMED)
    assert response.url == f"/curation/tasks/{other.pk}/"


def test_release_gives_the_task_back_and_returns_to_the_overview(curator_client, alice):
    queue = QueueFactory()
    many_tasks(queue, 1)
    task = claimed(queue, alice)
    response = curator_client.post(f"/curation/tasks/{task.pk}/release/")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and response.url == "/curation/"


def test_starting_a_queue_claims_its_first_task(curator_client, alice):
    queue = QueueFactory()
    many_tasks(queue, 3)
    assert "autofocus" in curator_client.get(f"/curation/queues/{queue.slug}/").content.decode()
    response = curator_client.post(f"/curation/queues/{queue.slug}/next/")
    task = Task.objects.get(claimed_by=alice)
    assert response.url == f"/curation/tasks/{task.pk}/" and task.position == 0


# Statistics ------------------------------------------------------------------------------


def test_statistics_show_decisions_per_curator_speed_and_backlog(
    curator_client, alice, bob, django_assert_max_num_queries
):
    queue = QueueFactory(kind=QueueKind.FAMILY, name="Familie")
    many_tasks(queue, 4)
    for curator in (alice, bob, alice):
        task = claimed(queue, curator)
        curator_client.force_login(curator)
        curator_client.post(f"/curation/tasks/{task.pk}/decide/", {"family": "yes"})
        Task.objects.filter(state="claimed").update(state="open", claimed_by=None, lease_until=None)
    curator_client.force_login(alice)

    with django_assert_max_num_queries(7):
        response = curator_client.get("/curation/statistics/")

    per_day = {
        row.record["curator"]: row.record["total"] for row in response.context["per_day_table"].rows
    }
    assert per_day == {"alice": 2, "bob": 1}
    speed = {
        row.record["curator"]: row.get_cell_value("decisions")
        for row in response.context["speed_table"].rows
    }
    assert speed == {"alice": 2, "bob": 1}
    chart = json.loads(
        response.content.decode()
        .split('id="backlog-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert chart["series"] == [{"label": "Familie", "values": [0] * 13 + [1]}]
    assert "vendor/chart.js/chart.umd.min.js" in response.content.decode()


def test_an_online_url_that_is_not_http_never_becomes_a_link(curator_client, alice):
    queue = QueueFactory(kind=QueueKind.VIRTUAL)
    TaskFactory(queue=queue, event=EventFactory(online_url="javascript:alert(document.cookie)"))
    task = claimed(queue, alice)
    page = curator_client.get(f"/curation/tasks/{task.pk}/").content.decode()
    assert "javascript:alert(document.cookie)" in page
    assert 'href="javascript:' not in page


def test_a_queue_kind_adds_its_own_context_to_the_task_page(curator_client, alice, monkeypatch):
    from curation import selectors as queue_selectors

    monkeypatch.setitem(
        queue_selectors.TASK_PAGE_PANELS,
        "family",
        ("family/task_panel.html", lambda task: {"extra": 1}),
    )
    queue = QueueFactory(kind=QueueKind.FAMILY)
    TaskFactory(queue=queue)
    task = claimed(queue, alice)
    response = curator_client.get(f"/curation/tasks/{task.pk}/")
    assert response.context["extra"] == 1
    assert "family/task_panel.html" in [t.name for t in response.templates]
