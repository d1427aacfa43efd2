"""Eight curators, each in their own thread with their own database connection, work through one
queue of 200 tasks on PostgreSQL at the same time: every task decided exactly once."""

import threading
from collections import Counter

import pytest
from django.db import connection

from curation.models import Decision, EventCuration, QueueKind, Task, TaskState
from curation.services.decisions import task_decide
from curation.services.queues import TaskNotHeld, task_claim_next
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory
from tests.support.users import make_user

CURATORS = 8
TASKS = 200


def work_through(queue, curator, decided, errors, start):
    try:
        start.wait()
        while True:
            task = task_claim_next(queue=queue, curator=curator)
            if task is None:
                return
            task = Task.objects.select_related("queue").get(pk=task.pk)
            try:
                task_decide(task=task, curator=curator, values={"confirmation": "still_on"})
            except TaskNotHeld as refusal:  # must never happen: each task is this curator's
                errors.append(f"{curator.username} refused on {task.pk}: {refusal}")
                return
            decided.append(task.pk)
    except Exception as error:  # surfaced in the main thread
        errors.append(repr(error))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_eight_curators_decide_two_hundred_tasks_each_exactly_once():
    queue = QueueFactory(kind=QueueKind.CONFIRM)
    events = EventFactory.create_batch(TASKS)
    Task.objects.bulk_create(
        [Task(queue=queue, event=event, position=index) for index, event in enumerate(events)]
    )
    curators = [make_user(f"curator{number}", "curator") for number in range(CURATORS)]
    decided, errors, start = [], [], threading.Barrier(CURATORS)
    threads = [
        threading.Thread(target=work_through, args=(queue, curator, decided, errors, start))
        for curator in curators
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(decided) == TASKS and len(set(decided)) == TASKS  # none twice, none lost
    assert Task.objects.filter(queue=queue, state=TaskState.DECIDED).count() == TASKS
    assert Decision.objects.count() == TASKS
    assert EventCuration.objects.filter(confirmation="still_on").count() == TASKS
    per_curator = Counter(Decision.objects.values_list("curator__username", flat=True))
    assert len(per_curator) > 1, "the curators did not work at the same time"
