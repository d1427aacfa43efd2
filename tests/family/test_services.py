"""Classifying and storing: at import, by classify_family and nightly; the family queue's
feeder; the rule's versions."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditEntry
from curation.models import EventCuration, Queue, QueueKind, Task, TaskState
from curation.services.decisions import task_decide
from curation.services.queues import queues_build
from events.models import Event
from family import tasks as family_tasks
from family.models import FamilyClassification, FamilyRule
from family.queue import in_audit_share
from family.services import classify
from family.services.classify import (
    _classify_rows,
    _inputs,
    family_classify_all,
    family_classify_events,
)
from family.services.rule import RuleDataError, compiled_rule
from family.services.versions import (
    RuleNotEditable,
    family_rule_activate,
    family_rule_create,
    family_rule_import,
    family_rule_update,
    rule_as_json,
)
from tests.curation.factories import TaskFactory
from tests.events.factories import EventDocumentFactory, EventFactory

pytestmark = pytest.mark.django_db


def stored(event) -> FamilyClassification:
    return FamilyClassification.objects.get(event_id=event.pk)


def active() -> FamilyRule:
    return FamilyRule.objects.get(is_active=True)


def new_version(**changes) -> FamilyRule:
    """A new version from the active one's values, activated."""
    values = {**rule_as_json(active()), **changes}
    rule = family_rule_create(values=values)
    family_rule_activate(rule=rule)
    return rule


def event_id(document) -> int:
    return Event.objects.get(udb_id=document["@id"].rsplit("/", 1)[-1]).pk


# At import -----------------------------------------------------------------------------------


def test_importing_an_event_classifies_it_at_once(import_documents):
    document = EventDocumentFactory(
        name={"nl": "Kinderconcert"},
        description={"nl": "Voor het hele gezin."},
        typicalAgeRange="4-12",
    )
    import_documents([document])
    classification = FamilyClassification.objects.get(event_id=event_id(document))
    assert classification.rule_id == active().version == 1
    assert classification.matched_keywords == ["kind", "gezin"]
    assert (classification.min_age_points, classification.max_age_points) == (2, 3)
    assert (classification.points, classification.label, classification.excluded_by) == (
        7,
        True,
        "",
    )


def test_a_legacy_document_with_plain_string_texts_and_html_is_classified(import_documents):
    document = EventDocumentFactory(
        mainLanguage=None,
        name="Voorleesuurtje",
        description="<p>Voor het hele <strong>gezin</strong>&nbsp;met <em>kleuters</em></p>",
        typicalAgeRange=None,
    )
    summary, rejections = import_documents([document])
    assert (summary.created, rejections) == (1, [])
    classification = FamilyClassification.objects.get(event_id=event_id(document))
    assert classification.matched_keywords == ["gezin", "kleuter", "voorlees"]
    assert classification.label is True


@pytest.mark.parametrize("age_range", ["-", "0-"])
def test_all_ages_earn_no_age_points(import_documents, age_range):
    document = EventDocumentFactory(description={"nl": "Voor het gezin"}, typicalAgeRange=age_range)
    import_documents([document])
    classification = FamilyClassification.objects.get(event_id=event_id(document))
    assert (classification.min_age_points, classification.max_age_points) == (0, 0)
    assert (classification.points, classification.label) == (1, False)


def test_reimporting_a_changed_event_classifies_it_again(import_documents):
    document = EventDocumentFactory(description={"nl": "Voor kids, het gezin, jong en oud."})
    import_documents([document])
    pk = event_id(document)
    assert FamilyClassification.objects.get(event_id=pk).label is True

    changed = {**document, "description": {"nl": "Voor volwassenen."}}
    changed["modified"] = "2026-02-01T10:00:00+00:00"
    summary, _rejections = import_documents([changed])

    assert summary.updated == 1
    classification = FamilyClassification.objects.get(event_id=pk)
    assert (classification.label, classification.points) == (False, 0)


def test_an_event_is_never_stored_without_its_classification(import_documents, monkeypatch):
    def fail(changed):
        raise RuntimeError("the classification failed")

    monkeypatch.setattr(classify, "_write", fail)

    with pytest.raises(RuntimeError, match="the classification failed"):
        import_documents([EventDocumentFactory(description={"nl": "Voor het gezin."})])

    assert not Event.objects.exists()


def test_an_import_whose_result_is_the_same_writes_no_classification(import_documents):
    document = EventDocumentFactory(description={"nl": "Voor het gezin."})
    import_documents([document])
    pk = event_id(document)
    first = FamilyClassification.objects.get(event_id=pk).classified_at

    changed = {**document, "name": {"nl": "Een andere naam"}}
    changed["modified"] = "2026-02-01T10:00:00+00:00"
    assert import_documents([changed])[0].updated == 1

    assert FamilyClassification.objects.get(event_id=pk).classified_at == first


def test_the_import_hook_classifies_the_batch_in_one_read_and_one_write(
    django_assert_num_queries,
):
    events = EventFactory.create_batch(20, description_text="Voor het gezin en kids", max_age=10)
    # The active rule and model; the events with their stored classification; the staging
    # table's creation, emptying, COPY (not counted: the driver's own) and merge.
    with django_assert_num_queries(6):
        result = family_classify_events(event_ids=[event.pk for event in events])
    assert (result.classified, result.written, result.family) == (20, 20, 20)


# Recomputing ---------------------------------------------------------------------------------


def test_classify_all_writes_each_event_once_and_a_second_run_writes_nothing():
    EventFactory.create_batch(7, description_text="Kids, gezin en jong en oud")
    EventFactory.create_batch(5, description_text="Een lezing")

    first = family_classify_all(chunk_size=4)
    second = family_classify_all(chunk_size=4)

    assert (first.classified, first.written, first.family) == (12, 12, 7)
    assert (second.classified, second.written, second.unchanged, second.family) == (12, 0, 12, 7)
    assert FamilyClassification.objects.count() == 12


def test_since_classifies_only_the_events_imported_since():
    long_ago = timezone.now() - timedelta(days=30)
    EventFactory.create_batch(3, imported_at=long_ago)
    recent = EventFactory(description_text="Voor kids")

    result = family_classify_all(since=timezone.now() - timedelta(days=1))

    assert (result.classified, result.written) == (1, 1)
    assert list(FamilyClassification.objects.values_list("event_id", flat=True)) == [recent.pk]


def test_a_new_active_version_takes_over_and_stamps_its_number():
    event = EventFactory(description_text="Kids en het gezin")
    family_classify_all()
    assert (stored(event).label, stored(event).rule_id) == (False, 1)

    version = new_version(threshold=2)
    result = family_classify_all()

    assert result.written == 1
    assert (stored(event).label, stored(event).rule_id) == (True, version.version)


def test_a_curated_decision_is_never_overwritten_by_a_recompute(alice):
    event = EventFactory(description_text="Kids, gezin, jong en oud")
    family_classify_all()
    queue = Queue.objects.get(slug="family")
    queues_build(queues=[queue])
    task = Task.objects.select_related("queue", "event").get(queue=queue, event=event)
    task_decide(task=task, curator=alice, values={"family": False})

    new_version(threshold=1)
    family_classify_all()
    queues_build(queues=[queue])

    assert stored(event).label is True
    assert EventCuration.objects.get(event=event).family is False
    assert Task.objects.get(pk=task.pk).state == TaskState.DECIDED


def test_a_result_read_before_the_event_changed_is_not_written():
    """The import wrote a newer version (and classified it) between the read and the write."""
    event = EventFactory(description_text="Kids, gezin, jong en oud")
    rows = _inputs(Event.objects.filter(pk=event.pk))
    Event.objects.filter(pk=event.pk).update(imported_at=timezone.now() + timedelta(seconds=1))

    with transaction.atomic():
        result = _classify_rows(rows, compiled_rule(active()), None)

    assert (result.classified, result.written) == (1, 0)
    assert not FamilyClassification.objects.exists()


def test_the_nightly_job_classifies_and_updates_the_family_queue():
    labelled = EventFactory(description_text="Kids, gezin en jong en oud")
    report = family_tasks.classify_family()
    assert (
        report.splitlines()[0] == "classified 1, written 1, unchanged 0, family 1 (rule version 1)"
    )
    assert Task.objects.filter(queue__slug="family", event=labelled).exists()
    assert family_tasks.classify_family().splitlines() == [
        "classified 1, written 0, unchanged 1, family 1 (rule version 1)"
    ]


def test_the_nightly_job_is_scheduled_before_the_queue_build():
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="family.classify")
    build = PeriodicTask.objects.get(task="curation.build_queues")
    assert job.task == "family.classify"
    assert (job.crontab.hour, job.crontab.minute) < (build.crontab.hour, build.crontab.minute)


# The family queue ----------------------------------------------------------------------------


@pytest.fixture
def family_queue(settings):
    settings.CURATION_FAMILY_AUDIT_PERCENT = 30
    return Queue.objects.get(slug="family")


def held(queue) -> set[int]:
    return set(Task.objects.filter(queue=queue).values_list("event_id", flat=True))


def test_the_family_queue_holds_what_the_rule_labels_and_an_audit_share_of_the_rest(
    family_queue,
):
    labelled = EventFactory.create_batch(4, description_text="Kids, gezin en jong en oud")
    others = EventFactory.create_batch(40, description_text="Een lezing over erfgoed")
    family_classify_all()

    queues_build(queues=[family_queue])

    audited = {event.pk for event in others if in_audit_share(event.pk)}
    assert 0 < len(audited) < len(others)
    assert held(family_queue) == {event.pk for event in labelled} | audited


def test_the_audit_share_is_the_same_events_under_every_rule_version(family_queue):
    EventFactory.create_batch(30, description_text="Een lezing")
    family_classify_all()
    queues_build(queues=[family_queue])
    before = held(family_queue)

    new_version(keywords=["erfgoed"])
    family_classify_all()
    queues_build(queues=[family_queue])

    assert before and held(family_queue) == before


def test_an_event_no_longer_labelled_leaves_the_family_queue_unless_it_is_audited(family_queue):
    events = EventFactory.create_batch(12, description_text="Kids, gezin en jong en oud")
    family_classify_all()
    queues_build(queues=[family_queue])
    assert held(family_queue) == {event.pk for event in events}

    new_version(threshold=10)
    family_classify_all()
    result = queues_build(queues=[family_queue])[0]

    audited = {event.pk for event in events if in_audit_share(event.pk)}
    assert held(family_queue) == audited
    assert result.withdrawn == len(events) - len(audited)


def test_an_event_a_curator_decided_gets_no_new_family_task(family_queue, alice):
    event = EventFactory(description_text="Kids, gezin en jong en oud")
    EventCuration.objects.create(event=event, family=False, family_decided_by=alice)
    family_classify_all()
    queues_build(queues=[family_queue])
    assert held(family_queue) == set()


def test_an_open_task_of_an_event_decided_elsewhere_is_withdrawn(family_queue, alice):
    event = EventFactory(description_text="Kids, gezin en jong en oud")
    family_classify_all()
    queues_build(queues=[family_queue])
    other = TaskFactory(queue__kind=QueueKind.FAMILY, event=event)
    task_decide(
        task=Task.objects.select_related("queue").get(pk=other.pk),
        curator=alice,
        values={"family": True},
    )
    assert queues_build(queues=[family_queue])[0].withdrawn == 1


# Rule versions -------------------------------------------------------------------------------


def test_the_migration_made_version_1_active_with_the_decks_exclusions():
    rule = active()
    assert rule.version == 1
    assert (rule.threshold, rule.keyword_points) == (3, 1)
    assert (rule.min_age_points, rule.min_age_max, rule.max_age_points, rule.max_age_max) == (
        2,
        12,
        3,
        12,
    )
    assert rule.excluded_event_types == ["0.3.2.0.0", "0.6.0.0.0", "0.3.3.0.0"]
    assert rule.excluded_themes == [
        "1.37.0.0.0",
        "1.37.1.0.0",
        "1.37.2.0.0",
        "1.7.4.0.0",
        "1.7.11.0.0",
        "1.7.6.0.0",
        "1.58.8.0.0",
        "1.44.0.0.0",
        "1.0.5.0.0",
    ]
    assert rule.excluded_keywords[:3] == ["kanker", "gezinsondersteuner", "kangatraining"]
    assert {"kind", "gezin", "familie", "jong en oud"} <= set(rule.keywords)


def test_the_default_keywords_count_a_word_once():
    keywords = active().keywords
    assert not [
        (one, other)
        for one in keywords
        for other in keywords
        if one != other and one.startswith(other)
    ]


def test_importing_a_rule_creates_and_activates_a_new_version_and_queues_a_recompute(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(family_tasks.classify_family, "delay", lambda: queued.append(1))
    data = {**rule_as_json(active()), "threshold": 4}

    with django_capture_on_commit_callbacks(execute=True):
        rule = family_rule_import(data=data, note="drempel 4")

    assert (rule.version, rule.threshold, rule.note) == (2, 4, "drempel 4")
    assert list(FamilyRule.objects.filter(is_active=True).values_list("version", flat=True)) == [2]
    assert queued == [1]
    entry = AuditEntry.objects.get(action="family_rule.activated")
    assert (entry.old_values, entry.new_values) == ({"active_version": 1}, {"active_version": 2})


def test_a_malformed_rule_changes_nothing():
    with pytest.raises(RuleDataError):
        family_rule_import(data={**rule_as_json(active()), "keywords": [""]})
    assert list(FamilyRule.objects.values_list("version", "is_active")) == [(1, True)]


def test_the_database_allows_one_active_version_only():
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyRule.objects.create(version=2, is_active=True)


def test_a_draft_can_change_and_a_version_that_was_active_cannot():
    draft = family_rule_create(values={**rule_as_json(active()), "threshold": 5})
    family_rule_update(rule=draft, values={"threshold": 6, "note": "zes"})
    assert FamilyRule.objects.get(pk=draft.pk).threshold == 6

    family_rule_activate(rule=draft)
    with pytest.raises(RuleNotEditable):
        family_rule_update(rule=draft, values={"threshold": 7})
    family_rule_activate(rule=FamilyRule.objects.get(version=1))  # back to version 1
    assert active().version == 1
    assert FamilyRule.objects.get(pk=draft.pk).threshold == 6
