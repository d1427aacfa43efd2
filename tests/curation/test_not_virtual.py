""" "Not virtual at all" takes the event out of the virtual offer: the virtual queue never takes
it again."""

import pytest

from curation.forms import VirtualForm
from curation.models import EventCuration, QueueKind, Task
from curation.services.decisions import task_decide
from curation.services.queues import queues_build, task_claim_next
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_not_virtual_needs_no_url_or_location_answer():
    form = VirtualForm(data={"offer_kind": "not_virtual"})
    assert form.is_valid(), form.errors
    assert form.values() == {
        "offer_kind": "not_virtual",
        "url_state": "",
        "corrected_url": "",
        "location_fit": "",
    }


def test_virtual_offer_still_needs_the_url_and_location_answers():
    form = VirtualForm(data={"offer_kind": "live"})
    assert not form.is_valid()
    assert set(form.errors) == {"url_state", "location_fit"}


def test_an_event_decided_not_virtual_leaves_the_virtual_queue_for_good(alice):
    queue = QueueFactory(kind=QueueKind.VIRTUAL, looks_virtual=True, repeat_after_days=0)
    event = EventFactory(name_text="Concert in de zaal", online_url="https://x.example.be")
    queues_build(queues=[queue])
    task = task_claim_next(queue=queue, curator=alice)
    form = VirtualForm(data={"offer_kind": "not_virtual"})
    assert form.is_valid()
    task_decide(task=task, curator=alice, values=form.values())
    assert EventCuration.objects.get(event=event).offer_kind == "not_virtual"

    queues_build(queues=[queue])  # repeat_after_days=0 would otherwise make a new task
    assert Task.objects.filter(queue=queue, event=event).count() == 1


def test_the_task_page_offers_not_virtual_with_a_digit_key(client, alice):
    queue = QueueFactory(kind=QueueKind.VIRTUAL)
    Task.objects.create(queue=queue, event=EventFactory())
    task = task_claim_next(queue=queue, curator=alice)
    client.force_login(alice)
    page = client.get(f"/curation/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="not_virtual"' in page and 'data-key="7"' in page
    assert "not virtual at all" in page
