"""Queues hold what is worth deciding: events that ended are withdrawn from every queue, except
one whose own date window reaches into the past."""

from datetime import timedelta

import pytest
from django.utils import timezone

from curation.models import Queue, QueueKind, Task
from curation.services.feeders import keeps_ended_events
from curation.services.queues import queues_build, task_claim_next
from events.models import Event
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def events_in(queue) -> set[str]:
    return set(Task.objects.filter(queue=queue).values_list("event__name_text", flat=True))


@pytest.fixture
def dated_events(db):
    now = timezone.now()
    return [
        EventFactory(
            name_text="concert 2017",
            start=now - timedelta(days=3000),
            end=now - timedelta(days=3000, hours=-2),
        ),
        EventFactory(name_text="film gisteren", start=now - timedelta(days=1), end=None),
        EventFactory(
            name_text="expo loopt nog", start=now - timedelta(days=30), end=now + timedelta(days=30)
        ),
        EventFactory(name_text="morgen", start=now + timedelta(days=1), end=None),
        EventFactory(name_text="permanent", start=None, end=None),
    ]


def test_no_queue_takes_an_event_that_ended(dated_events):
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    queues_build(queues=[queue])
    assert events_in(queue) == {"expo loopt nog", "morgen", "permanent"}


def test_the_build_withdraws_open_tasks_of_events_that_ended_and_keeps_held_ones(alice):
    now = timezone.now()
    running = [
        EventFactory(start=now - timedelta(days=1), end=now + timedelta(days=1)) for _ in "ab"
    ]
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    queues_build(queues=[queue])
    held = task_claim_next(queue=queue, curator=alice)
    Event.objects.filter(pk__in=[event.pk for event in running]).update(
        end=now - timedelta(hours=1)
    )

    result = queues_build(queues=[queue])[0]

    assert result.withdrawn == 1
    assert list(Task.objects.filter(queue=queue).values_list("pk", flat=True)) == [held.pk]


def test_a_queue_whose_window_reaches_into_the_past_keeps_what_its_window_holds(dated_events):
    queue = QueueFactory(
        kind=QueueKind.CONFIRM, starts_from=timezone.localdate() - timedelta(days=7)
    )
    queues_build(queues=[queue])
    assert events_in(queue) == {"film gisteren", "expo loopt nog", "morgen", "permanent"}


def test_no_default_queue_reaches_into_the_past():
    assert not Queue.objects.filter(starts_from__lt=timezone.localdate()).exists()


def test_the_data_findings_queue_keeps_events_that_ended(dated_events):
    queue = QueueFactory(kind=QueueKind.FINDINGS)
    assert keeps_ended_events(queue)
    assert not keeps_ended_events(QueueFactory(kind=QueueKind.FAMILY))
