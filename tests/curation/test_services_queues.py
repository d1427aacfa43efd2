"""Review queues: which events a queue holds, claiming with a lease, releasing and skipping."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import AuditEntry
from curation.models import EventCuration, Queue, QueueKind, QueueOrder, Task, TaskState
from curation.services.feeders import FEEDERS, register_feeder
from curation.services.queues import (
    TaskNotHeld,
    queues_build,
    task_claim_next,
    task_release,
    task_skip,
    task_take,
)
from events.models import NIL_PLACE_ID, Event
from tests.curation.factories import QueueFactory, TaskFactory
from tests.events.factories import EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def held(queue):
    return set(Task.objects.filter(queue=queue).values_list("event__name_text", flat=True))


def build(queue, **options):
    return queues_build(queues=[queue], **options)[0]


# Which events a queue holds --------------------------------------------------------------


def test_the_migration_creates_the_queues_the_deck_names():
    kinds = dict(Queue.objects.values_list("slug", "kind"))
    assert kinds == {
        "confirm": "confirm",
        "virtual": "virtual",
        "moderation": "moderation",
        "quality-museumpas-exhibitions": "quality",
        "quality-films": "quality",
        "data-findings": "findings",
        "family": "family",
    }


def test_the_confirm_queue_holds_permanent_and_periodic_offer_not_confirmed_for_six_months():
    queue = Queue.objects.get(slug="confirm")
    EventFactory(name_text="Permanent", calendar_type=Event.CalendarType.PERMANENT)
    EventFactory(name_text="Periodiek", calendar_type=Event.CalendarType.PERIODIC)
    EventFactory(name_text="Eenmalig", calendar_type=Event.CalendarType.SINGLE)
    lately = EventFactory(name_text="Pas bevestigd", calendar_type=Event.CalendarType.PERMANENT)
    EventCuration.objects.create(event=lately, confirmed_at=timezone.now() - timedelta(days=20))
    long_ago = EventFactory(name_text="Lang geleden", calendar_type=Event.CalendarType.PERMANENT)
    EventCuration.objects.create(event=long_ago, confirmed_at=timezone.now() - timedelta(days=200))

    build(queue)

    assert held(queue) == {"Permanent", "Periodiek", "Lang geleden"}


def test_the_virtual_queue_holds_online_mixed_and_virtual_looking_events():
    queue = Queue.objects.get(slug="virtual")
    online = PlaceFactory(id=NIL_PLACE_ID)
    EventFactory(name_text="Online", attendance_mode="online", location=online)
    EventFactory(name_text="Gemengd", attendance_mode="mixed", online_url="https://x.be")
    EventFactory(name_text="Met URL", online_url="https://live.example.be")
    EventFactory(name_text="Lezing via Livestream")
    EventFactory(name_text="Tekst", description_text="Een virtuele tour door het museum.")
    EventFactory(name_text="Gewoon concert", description_text="In de zaal.")

    build(queue)

    assert held(queue) == {"Online", "Gemengd", "Met URL", "Lezing via Livestream", "Tekst"}


def test_the_museumpas_queue_holds_exhibitions_at_labelled_places():
    queue = Queue.objects.get(slug="quality-museumpas-exhibitions")
    museum = PlaceFactory(labels=["museumPASSmusees"])
    EventFactory(name_text="Expo in museum", event_type_id="0.0.0.0.0", location=museum)
    EventFactory(name_text="Expo elders", event_type_id="0.0.0.0.0")
    EventFactory(name_text="Concert in museum", location=museum)

    build(queue)

    assert held(queue) == {"Expo in museum"}


def test_moderation_holds_events_ready_for_validation_and_never_deleted_ones():
    queue = Queue.objects.get(slug="moderation")
    EventFactory(name_text="Klaar", workflow_status="READY_FOR_VALIDATION")
    EventFactory(name_text="Goedgekeurd", workflow_status="APPROVED")

    build(queue)

    assert held(queue) == {"Klaar"}


def test_filters_combine_with_and_and_their_values_with_or():
    gent, leuven = PlaceFactory(city="Gent"), PlaceFactory(city="Leuven")
    queue = QueueFactory(
        themes=["1.8.2.0.0", "1.8.1.0.0"],
        cities=["gent"],
        labels=["Vlieg"],
        organizers=[],
        starts_from=timezone.localdate(),
    )
    now = timezone.now()
    EventFactory(name_text="Alles", themes=["1.8.2.0.0"], location=gent, labels=["Vlieg"])
    EventFactory(name_text="Ander thema", themes=["1.8.1.0.0"], location=gent, labels=["Vlieg"])
    EventFactory(name_text="Leuven", themes=["1.8.2.0.0"], location=leuven, labels=["Vlieg"])
    EventFactory(name_text="Geen label", themes=["1.8.2.0.0"], location=gent)
    EventFactory(
        name_text="Voorbij",
        themes=["1.8.2.0.0"],
        location=gent,
        labels=["Vlieg"],
        start=now - timedelta(days=9),
        end=now - timedelta(days=8),
    )

    build(queue)

    assert held(queue) == {"Alles", "Ander thema"}


def test_a_sample_rate_keeps_that_share_and_the_same_events_every_time():
    queue = QueueFactory(sample_rate=Decimal("0.25"))
    EventFactory.create_batch(400)

    first = build(queue).created
    again = queues_build(queues=[queue])[0]

    assert 70 <= first <= 130
    assert again.created == 0 and again.withdrawn == 0


def test_the_queue_order_sets_the_claim_order():
    queue = QueueFactory(order=QueueOrder.START)
    now = timezone.now()
    later = EventFactory(name_text="Later", start=now + timedelta(days=5))
    sooner = EventFactory(name_text="Eerder", start=now + timedelta(days=1))
    undated = EventFactory(name_text="Zonder datum", start=None)
    build(queue)
    order = list(
        Task.objects.filter(queue=queue).order_by("position", "id").values_list("event", flat=True)
    )
    assert order == [sooner.pk, later.pk, undated.pk]


def test_building_twice_makes_no_second_task_and_a_decided_event_stays_out():
    queue = QueueFactory()
    EventFactory()
    assert build(queue).created == 1
    assert build(queue).created == 0
    Task.objects.filter(queue=queue).update(state=TaskState.DECIDED, closed_at=timezone.now())
    assert build(queue).created == 0


def test_a_queue_that_repeats_gives_a_new_task_once_the_last_one_is_old_enough():
    queue = QueueFactory(repeat_after_days=30)
    event = EventFactory()
    TaskFactory(
        queue=queue,
        event=event,
        state=TaskState.DECIDED,
        closed_at=timezone.now() - timedelta(days=10),
    )
    assert build(queue).created == 0
    Task.objects.filter(queue=queue).update(closed_at=timezone.now() - timedelta(days=31))
    assert build(queue).created == 1


def test_the_database_refuses_a_second_live_task_for_the_same_event():
    task = TaskFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(queue=task.queue, event=task.event)


def test_open_tasks_of_events_that_no_longer_match_are_withdrawn_but_held_ones_stay(alice):
    queue = QueueFactory(workflow_statuses=["READY_FOR_VALIDATION"])
    open_event = EventFactory(workflow_status="READY_FOR_VALIDATION")
    held_event = EventFactory(workflow_status="READY_FOR_VALIDATION")
    build(queue)
    task_claim_next(queue=queue, curator=alice)  # the first: open_event
    Event.objects.update(workflow_status="APPROVED")

    result = build(queue)

    assert result.withdrawn == 1
    assert list(Task.objects.filter(queue=queue).values_list("event", flat=True)) == [open_event.pk]
    assert held_event.pk not in Task.objects.values_list("event", flat=True)


def test_building_for_some_events_looks_at_those_only():
    queue = QueueFactory()
    first, second = EventFactory(), EventFactory()
    result = build(queue, event_ids=[first.pk])
    assert result.created == 1
    assert list(Task.objects.values_list("event", flat=True)) == [first.pk]
    assert second.pk not in Task.objects.values_list("event", flat=True)


def test_a_registered_feeder_decides_what_its_kind_of_queue_holds(monkeypatch):
    queue = Queue.objects.get(slug="family")
    chosen = EventFactory(name_text="Kleuterfeest")
    EventFactory(name_text="Lezing")

    monkeypatch.setitem(FEEDERS, QueueKind.FAMILY, FEEDERS[QueueKind.FAMILY])
    register_feeder(QueueKind.FAMILY)(lambda queue, events: [chosen.pk])

    assert build(queue).created == 1
    assert held(queue) == {"Kleuterfeest"}


def test_each_build_leaves_one_audit_row_with_its_counts():
    queue = QueueFactory()
    EventFactory.create_batch(3)
    build(queue)
    entry = AuditEntry.objects.get(action="queues.built")
    assert entry.new_values["queues"] == {queue.slug: [3, 0]}


# Claiming --------------------------------------------------------------------------------


@pytest.fixture
def queue_of_three(db):
    queue = QueueFactory()
    tasks = [TaskFactory(queue=queue, position=position) for position in (3, 1, 2)]
    return queue, sorted(tasks, key=lambda task: task.position)


def test_a_claim_hands_out_the_first_open_task_with_a_lease(queue_of_three, alice, settings):
    settings.CURATION_LEASE_MINUTES = 15
    queue, tasks = queue_of_three
    before = timezone.now()

    task = task_claim_next(queue=queue, curator=alice)

    assert task.pk == tasks[0].pk
    task.refresh_from_db()
    assert task.state == TaskState.CLAIMED and task.claimed_by == alice
    assert (
        before + timedelta(minutes=15) <= task.lease_until <= timezone.now() + timedelta(minutes=15)
    )
    assert AuditEntry.objects.filter(action="task.claimed", object_id=str(task.pk)).count() == 1


def test_a_curator_gets_back_the_task_they_already_hold(queue_of_three, alice, bob):
    queue, tasks = queue_of_three
    first = task_claim_next(queue=queue, curator=alice)
    assert task_claim_next(queue=queue, curator=bob).pk == tasks[1].pk
    assert task_claim_next(queue=queue, curator=alice).pk == first.pk


def test_two_curators_never_get_the_same_task(queue_of_three, alice, bob):
    queue, _tasks = queue_of_three
    claimed = {task_claim_next(queue=queue, curator=user).pk for user in (alice, bob)}
    assert len(claimed) == 2


def test_an_empty_queue_hands_out_nothing(alice):
    assert task_claim_next(queue=QueueFactory(), curator=alice) is None


def test_a_lease_that_ran_out_counts_as_free(queue_of_three, alice, bob):
    queue, _tasks = queue_of_three
    first = task_claim_next(queue=queue, curator=alice)
    Task.objects.filter(pk=first.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    taken = task_claim_next(queue=queue, curator=bob)

    assert taken.pk == first.pk
    taken.refresh_from_db()
    assert taken.claimed_by == bob


def test_a_curator_releases_a_task_and_it_is_open_again(queue_of_three, alice):
    queue, _tasks = queue_of_three
    task = task_claim_next(queue=queue, curator=alice)
    task_release(task=task, curator=alice)
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and task.claimed_by is None
    assert AuditEntry.objects.filter(action="task.released").count() == 1


def test_releasing_someone_elses_task_is_refused(queue_of_three, alice, bob):
    queue, _tasks = queue_of_three
    task = task_claim_next(queue=queue, curator=alice)
    with pytest.raises(TaskNotHeld, match="alice werkt aan deze taak"):
        task_release(task=task, curator=bob)
    task.refresh_from_db()
    assert task.claimed_by == alice


def test_a_skipped_task_keeps_its_reason_and_leaves_the_queue(queue_of_three, alice):
    queue, _tasks = queue_of_three
    task = task_claim_next(queue=queue, curator=alice)
    task_skip(task=task, curator=alice, reason="Dubbel met een ander evenement?")
    task.refresh_from_db()
    assert task.state == TaskState.SKIPPED
    assert task.skip_reason == "Dubbel met een ander evenement?"
    assert task_claim_next(queue=queue, curator=alice).pk != task.pk


def test_taking_a_free_task_from_its_page(queue_of_three, alice, bob):
    _queue, tasks = queue_of_three
    task_take(task=tasks[2], curator=alice)
    tasks[2].refresh_from_db()
    assert tasks[2].claimed_by == alice
    with pytest.raises(TaskNotHeld):
        task_take(task=Task.objects.get(pk=tasks[2].pk), curator=bob)


def test_a_claim_passes_over_the_tasks_the_curator_asked_to_leave_out(queue_of_three, alice):
    queue, tasks = queue_of_three
    held = task_claim_next(queue=queue, curator=alice)
    assert held.pk == tasks[0].pk

    task = task_claim_next(queue=queue, curator=alice, exclude=[tasks[0].pk])

    assert task.pk == tasks[1].pk
    assert set(Task.objects.filter(claimed_by=alice).values_list("pk", flat=True)) == {
        tasks[0].pk,
        tasks[1].pk,
    }


def test_resuming_a_held_task_extends_its_lease_but_never_shortens_an_assignment(
    queue_of_three, alice, settings
):
    settings.CURATION_LEASE_MINUTES = 15
    queue, _tasks = queue_of_three
    task = task_claim_next(queue=queue, curator=alice)
    in_two_hours = timezone.now() + timedelta(hours=2)
    Task.objects.filter(pk=task.pk).update(lease_until=in_two_hours)

    again = task_claim_next(queue=queue, curator=alice)

    assert again.pk == task.pk and again.lease_until == in_two_hours
    Task.objects.filter(pk=task.pk).update(lease_until=timezone.now() + timedelta(minutes=1))
    renewed = task_claim_next(queue=queue, curator=alice)
    assert renewed.lease_until > timezone.now() + timedelta(minutes=14)
    renewed.refresh_from_db()
    assert renewed.lease_until > timezone.now() + timedelta(minutes=14)
    assert AuditEntry.objects.filter(action="task.claimed").count() == 1


def test_the_claims_audit_row_says_what_the_task_was_before(queue_of_three, alice, bob):
    queue, _tasks = queue_of_three
    first = task_claim_next(queue=queue, curator=alice)
    Task.objects.filter(pk=first.pk).update(lease_until=timezone.now() - timedelta(seconds=1))

    task_claim_next(queue=queue, curator=bob)

    entries = AuditEntry.objects.filter(action="task.claimed", object_id=str(first.pk))
    assert [(e.actor.username, e.old_values) for e in entries.order_by("pk")] == [
        ("alice", {"state": "open", "claimed_by": None}),
        ("bob", {"state": "claimed", "claimed_by": alice.pk}),
    ]
    assert entries.order_by("pk").last().new_values["state"] == "claimed"


def test_a_claim_is_one_statement(queue_of_three, alice):
    queue, tasks = queue_of_three
    with CaptureQueriesContext(connection) as captured:
        task = task_claim_next(queue=queue, curator=alice)
    # The test's own transaction adds a savepoint around it; production sends BEGIN ... COMMIT.
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert task.pk == tasks[0].pk
    assert len(statements) == 1 and "FOR UPDATE SKIP LOCKED" in statements[0]
