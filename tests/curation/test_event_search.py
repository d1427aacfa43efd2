"""Events for curators: a search page (django-filter, django-tables2) and an event page."""

import pytest

from core.models import AuditEntry
from curation.models import QueueKind, Task
from curation.services.decisions import task_decide
from curation.services.queues import task_claim_next
from events.models import Event
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory, OrganizerFactory, PlaceFactory

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def curator_client(client, alice):
    client.force_login(alice)
    return client


def found(response) -> list[str]:
    """The names on the page shown."""
    return [row.record.name_text for row in response.context["table"].page.object_list]


@pytest.fixture
def catalogue(db):
    gent, brugge = PlaceFactory(city="Gent"), PlaceFactory(city="Brugge")
    organizer = OrganizerFactory(name_text="Vooruit")
    EventFactory(name_text="Jazz in de Vooruit", location=gent, organizer=organizer)
    EventFactory(name_text="Orgelconcert", location=brugge, labels=["zomer"])
    EventFactory(name_text="Jazz op het plein", location=brugge)


def test_a_curator_finds_an_event_by_name_and_by_city(curator_client, catalogue):
    assert sorted(found(curator_client.get("/curation/events/?q=jazz"))) == [
        "Jazz in de Vooruit",
        "Jazz op het plein",
    ]
    assert found(curator_client.get("/curation/events/?city=gent")) == ["Jazz in de Vooruit"]
    assert found(curator_client.get("/curation/events/?q=jazz+brugge")) == ["Jazz op het plein"]
    assert found(curator_client.get("/curation/events/?label=zomer")) == ["Orgelconcert"]


def test_queue_status_and_family_filters(curator_client, catalogue, alice):
    queue = QueueFactory(kind=QueueKind.FAMILY)
    jazz = Event.objects.get(name_text="Jazz in de Vooruit")
    Task.objects.create(queue=queue, event=jazz)
    task = task_claim_next(queue=queue, curator=alice)
    assert found(curator_client.get("/curation/events/?queue_state=live")) == [jazz.name_text]
    task_decide(task=task, curator=alice, values={"family": True})
    assert found(curator_client.get("/curation/events/?queue_state=decided")) == [jazz.name_text]
    assert found(curator_client.get("/curation/events/?family=yes")) == [jazz.name_text]
    assert len(found(curator_client.get("/curation/events/?queue_state=none"))) == 2


@pytest.mark.parametrize(
    "query", ["?starts_from=abc", "?queue_state=nope", "?page=x", "?page=999999", "?q=%00"]
)
def test_bad_input_never_answers_500(curator_client, catalogue, query):
    assert curator_client.get("/curation/events/" + query).status_code in (200, 400)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_search_page_takes_the_same_queries_for_10_and_1000_events(
    curator_client, django_assert_num_queries, count
):
    place, organizer = PlaceFactory(city="Gent"), OrganizerFactory()
    Event.objects.bulk_create(
        EventFactory.build_batch(count, location=place, organizer=organizer, name_text="Expo")
    )
    # Session, user, roles, the organisers and places matching the words, one page of events
    # (one row more, to know whether a next page exists).
    with django_assert_num_queries(5):
        response = curator_client.get("/curation/events/?q=expo&city=gent")
    assert len(found(response)) == min(count, 50)


def test_the_event_page_shows_decisions_and_audit_rows_in_words(curator_client, alice):
    queue = QueueFactory(kind=QueueKind.CONFIRM, name="Bevestigen")
    event = EventFactory(name_text="Tentoonstelling Rubens")
    Task.objects.create(queue=queue, event=event)
    task = task_claim_next(queue=queue, curator=alice)
    task_decide(task=task, curator=alice, values={"confirmation": "cancelled"}, note="afgelast")
    page = curator_client.get(f"/curation/events/{event.pk}/", **ENGLISH).content.decode()
    assert "Tentoonstelling Rubens" in page
    assert "Bevestigen" in page.split('id="event-tasks"', 1)[1]
    audit = page.split('id="event-audit"', 1)[1]
    assert "task.decided" not in audit.replace('title="task.decided"', "")
    assert "took the task" in audit and "afgelast" in audit
    assert "confirmation: - → cancelled" in audit and "state: open → claimed" in audit
    assert "claimed by: - → -" not in audit  # unchanged: left out
    dutch = curator_client.get(f"/curation/events/{event.pk}/").content.decode()
    assert "nam de taak" in dutch.split('id="event-audit"', 1)[1]
    assert AuditEntry.objects.filter(action="task.decided").exists()


def test_every_task_links_to_its_event_page(curator_client, alice):
    queue = QueueFactory()
    Task.objects.create(queue=queue, event=EventFactory())
    task = task_claim_next(queue=queue, curator=alice)
    page = curator_client.get(f"/curation/tasks/{task.pk}/").content.decode()
    assert f'href="/curation/events/{task.event_id}/" id="event-page-link"' in page


def test_museum_users_cannot_search_events(client, charlie):
    client.force_login(charlie)
    assert client.get("/curation/events/?q=x").status_code == 403
    assert client.get("/curation/events/1/").status_code == 403
