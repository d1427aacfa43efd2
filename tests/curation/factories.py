"""Factories of review queues and their tasks."""

import factory

from curation.models import Queue, QueueKind, QueueOrder, Task
from tests.events.factories import EventFactory


class QueueFactory(factory.django.DjangoModelFactory):
    """A queue with no filter of its own (tests add what they need)."""

    class Meta:
        model = Queue

    name = factory.Sequence(lambda n: f"Wachtrij {n}")
    slug = factory.Sequence(lambda n: f"queue-{n}")
    kind = QueueKind.CONFIRM
    order = QueueOrder.IMPORTED


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    queue = factory.SubFactory(QueueFactory)
    event = factory.SubFactory(EventFactory)
    position = factory.Sequence(int)
