"""Data findings are curation work: the "data findings" queue takes events with open findings,
the task page, the events admin and the events API show them."""

import json

import pytest
from django.utils import translation

from curation.models import EventCuration, Queue, Task, TaskState
from curation.services.decisions import task_decide
from curation.services.queues import queues_build, task_claim_next
from events.models import DataFinding, Event

pytestmark = pytest.mark.django_db


def legacy(reference_dir, name):
    return json.loads((reference_dir / "legacy" / name).read_text())


@pytest.fixture
def findings_queue():
    return Queue.objects.get(slug="data-findings")


@pytest.fixture
def imported(reference_dir, import_documents):
    """An event with a theme filed as an event type, one with a place without @id, one clean."""
    documents = [
        legacy(reference_dir, "theme_filed_as_eventtype_concert.json"),
        legacy(reference_dir, "place_with_null_id.json"),
        legacy(reference_dir, "plain_strings.json"),
    ]
    import_documents(documents)
    return {
        document["name"]["nl"] if isinstance(document["name"], dict) else document["name"]: document
        for document in documents
    }


def live_tasks(queue):
    return set(
        Task.objects.filter(queue=queue, state__in=["open", "claimed"]).values_list(
            "event__name_text", flat=True
        )
    )


def test_the_queue_takes_the_events_with_open_findings(imported, findings_queue):
    queues_build(queues=[findings_queue])

    assert live_tasks(findings_queue) == {
        "Kamermuziek in de Kruisboog: Beethoven en Brahms",
        "Koran, kaliefen en kruistochten - De fundamenten van de islam",
    }


def test_a_clean_version_closes_the_finding_and_the_build_withdraws_the_task(
    imported, findings_queue, import_documents
):
    queues_build(queues=[findings_queue])
    concert = imported["Kamermuziek in de Kruisboog: Beethoven en Brahms"]
    fixed = {
        **concert,
        "terms": [concert["terms"][0], {**concert["terms"][1], "domain": "theme"}],
        "modified": "2015-04-01T10:00:00+02:00",
    }

    import_documents([fixed])
    queues_build(queues=[findings_queue])

    assert live_tasks(findings_queue) == {
        "Koran, kaliefen en kruistochten - De fundamenten van de islam"
    }


def test_a_curator_records_what_was_done_about_the_findings(imported, findings_queue, alice):
    queues_build(queues=[findings_queue])
    task = task_claim_next(queue=findings_queue, curator=alice)

    decision = task_decide(
        task=task, curator=alice, values={"findings": "reported"}, note="mail aan de organisator"
    )

    curation = EventCuration.objects.get(event=task.event)
    assert (decision.outcome, curation.findings, curation.findings_note) == (
        "reported",
        "reported",
        "mail aan de organisator",
    )
    assert Task.objects.get(pk=task.pk).state == TaskState.DECIDED


def test_the_task_page_shows_the_findings_and_the_place_without_id(
    imported, findings_queue, alice, client
):
    queues_build(queues=[findings_queue])
    event = Event.objects.get(location__isnull=True)
    task = Task.objects.get(queue=findings_queue, event=event)
    client.force_login(alice)

    content = client.get(f"/curation/tasks/{task.pk}/").content.decode()

    assert 'id="findings"' in content
    assert "Zaal De Kring" in content and "Grote Markt 5" in content
    with translation.override("nl"):
        assert DataFinding.objects.get(event=event).message in content


def test_the_api_shows_an_events_findings_and_filters_on_them(imported, alice, client):
    client.force_login(alice)
    event = Event.objects.get(location__isnull=True)

    detail = client.get(f"/api/events/{event.udb_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    with_findings = client.get("/api/events/?has_findings=true").json()["results"]
    without = client.get("/api/events/?has_findings=false").json()["results"]

    assert [(f["kind"], f["field"], f["closed_at"]) for f in detail["findings"]] == [
        ("unlinked", "location", None)
    ]
    assert detail["findings"][0]["value"]["name"] == {"nl": "Zaal De Kring"}
    assert len(with_findings) == 2
    assert [row["name"]["nl"] for row in without] == ["Wandelen langs de Gete"]


def test_the_admin_shows_the_findings_and_filters_on_them(imported, admin_client):
    event = Event.objects.get(location__isnull=True)

    change = admin_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    listed = admin_client.get("/admin/events/event/?has_findings=yes").content.decode()

    with translation.override("nl"):
        assert DataFinding.objects.get(event=event).message in change
    assert "Zaal De Kring" in change
    assert "Kamermuziek in de Kruisboog" in listed
    assert "Wandelen langs de Gete" not in listed
