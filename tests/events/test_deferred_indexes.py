"""A first import into an empty catalogue builds the events' secondary indexes at its end."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, connection, connections

from core.models import AuditEntry
from events.models import DeferredIndex, Event
from events.services import deferred_indexes, event_import, writers
from events.services.deferred_indexes import build_deferred_indexes, defer_secondary_indexes
from events.services.sources import Item
from family.models import FamilyClassification
from tests.events.factories import EventDocumentFactory
from tests.events.test_command_import_events import jsonl, run

# The classifications' key to their event (Django's name for it).
KEY = "curation_familyclass_event_id_7b472eed_fk_curation_"
DEFERRED = {
    "events_event_labels",
    "events_event_location",
    "events_event_modified",
    "events_event_name_search",
    "events_event_organizer",
    "events_event_start",
    "events_event_terms",
    "events_event_type",
    KEY,
}
# The import looks events up by these; the partial ones take few rows.
KEPT = {"events_event_pkey", "events_event_udb_id", "events_event_workflow"}


@pytest.fixture(autouse=True)
def indexes_back_whatever_happens():
    """A test that fails between the drop and the build must not leave the test database
    without indexes (the flush after it would forget the rows that say so)."""
    yield
    if connection.vendor == "postgresql":
        build_deferred_indexes(workers=1)


def event_indexes() -> dict[str, str]:
    """The events' indexes and the classifications' foreign keys, with their SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events_event' "
            "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'family_familyclassification'::regclass AND contype = 'f'"
        )
        return dict(cursor.fetchall())


def events_file(tmp_path, name="events.jsonl", count=9):
    path = tmp_path / name
    path.write_bytes(jsonl(EventDocumentFactory() for _ in range(count)))
    return path


@pytest.fixture
def indexes_seen_by_batches(monkeypatch):
    """The events table's index names at each batch's write (in the writing thread)."""
    seen = []
    write = writers.PostgresEventWriter._write

    def spy(self, batch, after):
        seen.append(set(event_indexes()))
        return write(self, batch, after)

    monkeypatch.setattr(writers.PostgresEventWriter, "_write", spy)
    return seen


@pytest.fixture
def second_batch_fails(monkeypatch):
    """The import's second batch fails to write ("the disk is full"); the first is written."""
    write = writers.PostgresEventWriter._write
    calls = []

    def failing_second_batch(self, batch, after):
        calls.append(batch)
        if len(calls) == 2:
            raise DatabaseError("the disk is full")
        return write(self, batch, after)

    monkeypatch.setattr(writers.PostgresEventWriter, "_write", failing_second_batch)


@pytest.mark.django_db(transaction=True)
def test_a_first_import_writes_without_the_secondary_indexes_and_builds_them_at_its_end(
    tmp_path, indexes_seen_by_batches
):
    before = event_indexes()
    assert before.keys() >= DEFERRED | KEPT

    status, out, err = run(events_file(tmp_path), "--batch-size", 4)

    assert status == 0
    assert out.strip().endswith("created 9, updated 0, unchanged 0, rejected 0")
    assert len(indexes_seen_by_batches) == 3
    for names in indexes_seen_by_batches:
        assert not names & DEFERRED
        assert names >= KEPT
    assert event_indexes() == before
    assert not DeferredIndex.objects.exists()
    assert "building 9 indexes and foreign keys of the events tables" in err


@pytest.mark.django_db(transaction=True)
def test_an_import_into_a_filled_catalogue_keeps_every_index(tmp_path, indexes_seen_by_batches):
    assert run(events_file(tmp_path, "first.jsonl", count=1))[0] == 0
    indexes_seen_by_batches.clear()

    status, _out, err = run(events_file(tmp_path, "second.jsonl"), "--batch-size", 4)

    assert status == 0
    assert len(indexes_seen_by_batches) == 3
    assert all(names >= DEFERRED | KEPT for names in indexes_seen_by_batches)
    assert "building" not in err


@pytest.mark.django_db(transaction=True)
def test_a_first_import_that_fails_still_builds_the_indexes(tmp_path, second_batch_fails):
    before = event_indexes()

    with pytest.raises(DatabaseError):
        run(events_file(tmp_path), "--batch-size", 4)

    assert Event.objects.count() == 4  # the first batch, whole
    assert event_indexes() == before
    assert not DeferredIndex.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_next_import_first_builds_the_indexes_a_stopped_one_left_out(
    tmp_path, indexes_seen_by_batches
):
    before = event_indexes()
    assert run(events_file(tmp_path, "first.jsonl", count=1))[0] == 0
    assert set(defer_secondary_indexes()) == DEFERRED  # as a killed first import leaves them
    indexes_seen_by_batches.clear()

    status, _out, err = run(events_file(tmp_path, "second.jsonl"), "--batch-size", 4)

    assert status == 0
    assert len(indexes_seen_by_batches) == 3
    assert all(names >= DEFERRED for names in indexes_seen_by_batches)
    assert event_indexes() == before
    assert not DeferredIndex.objects.exists()
    assert "built 9 indexes and foreign keys of the events tables in " in err


@pytest.mark.django_db(transaction=True)
def test_migrate_builds_the_indexes_a_stopped_import_left_out():
    before = event_indexes()
    defer_secondary_indexes()
    assert not event_indexes().keys() & DEFERRED

    call_command("migrate", verbosity=0)

    assert event_indexes() == before
    assert not DeferredIndex.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migrate_refuses_to_run_while_a_first_import_runs_without_the_indexes():
    before = event_indexes()
    defer_secondary_indexes()
    running = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with event_import.import_lock(running):
            with pytest.raises(CommandError, match="run migrate again when it has ended"):
                call_command("migrate", verbosity=0)
            assert not event_indexes().keys() & DEFERRED  # left to the import
            assert DeferredIndex.objects.count() == len(DEFERRED)
    finally:
        running.close()
    assert set(build_deferred_indexes(workers=1)) == DEFERRED
    assert event_indexes() == before


@pytest.mark.django_db(transaction=True)
def test_migrate_runs_beside_an_import_that_keeps_the_indexes():
    running = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with event_import.import_lock(running):
            call_command("migrate", verbosity=0)
    finally:
        running.close()


@pytest.mark.django_db(transaction=True)
def test_an_index_that_cannot_be_built_keeps_its_row_and_the_others_are_built(tmp_path):
    before = event_indexes()
    assert run(events_file(tmp_path, "first.jsonl", count=1))[0] == 0
    defer_secondary_indexes()
    DeferredIndex.objects.create(
        name="events_event_broken",
        definition="CREATE INDEX events_event_broken ON events_event (no_such_column)",
    )

    status, out, err = run(events_file(tmp_path, "second.jsonl"))

    assert status == 0
    assert out.strip().endswith("created 9, updated 0, unchanged 0, rejected 0")
    assert "could not build events_event_broken" in err
    assert "no_such_column" in err
    assert "built 9 indexes and foreign keys of the events tables in " in err
    assert event_indexes() == before
    assert list(DeferredIndex.objects.values_list("name", flat=True)) == ["events_event_broken"]
    assert AuditEntry.objects.filter(action="events.imported").count() == 2
    DeferredIndex.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_a_failed_first_import_reports_its_own_error_when_the_build_fails_too(
    tmp_path, monkeypatch, second_batch_fails
):
    build = deferred_indexes.build_deferred_indexes
    builds = []

    def build_then_lose_the_connection(**options):
        builds.append(options)
        if len(builds) == 2:  # the one after the failed import
            raise InterfaceError("connection already closed")
        return build(**options)

    monkeypatch.setattr(deferred_indexes, "build_deferred_indexes", build_then_lose_the_connection)

    with pytest.raises(DatabaseError, match="the disk is full"):
        run(events_file(tmp_path), "--batch-size", 4)

    assert len(builds) == 2
    assert DeferredIndex.objects.count() == len(DEFERRED)  # for the next import or migrate


@pytest.mark.django_db(transaction=True)
def test_a_first_import_keeps_the_indexes_when_the_drop_cannot_have_its_lock(
    tmp_path, monkeypatch, indexes_seen_by_batches
):
    monkeypatch.setattr(deferred_indexes, "DROP_LOCK_TIMEOUT", "100ms")
    reader = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        reader.set_autocommit(False)
        with reader.cursor() as cursor:  # a long report holds the table until it commits
            cursor.execute("SELECT count(*) FROM events_event")
        status, out, err = run(events_file(tmp_path), "--batch-size", 4)
    finally:
        reader.rollback()
        reader.close()

    assert status == 0
    assert out.strip().endswith("created 9, updated 0, unchanged 0, rejected 0")
    assert "the events' indexes are kept during this import: " in err
    assert "lock timeout" in err
    assert len(indexes_seen_by_batches) == 3
    assert all(names >= DEFERRED for names in indexes_seen_by_batches)
    assert not DeferredIndex.objects.exists()


@pytest.mark.django_db
def test_an_import_inside_a_transaction_defers_nothing(indexes_seen_by_batches):
    # The drop would stay uncommitted and the builds on other connections would wait for it.
    items = [Item("test", f"index {index}", data=EventDocumentFactory()) for index in range(3)]

    summary = event_import.events_import(items=items, batch_size=2)

    assert summary.created == 3
    assert len(indexes_seen_by_batches) == 2
    assert all(names >= DEFERRED for names in indexes_seen_by_batches)


@pytest.mark.django_db(transaction=True)
def test_several_processes_build_the_indexes_once_at_the_end(tmp_path):
    before = event_indexes()
    threads_before = threading.active_count()

    status, out, err = run(events_file(tmp_path, count=20), "--jobs", 2, "--batch-size", 4)

    assert status == 0
    assert out.strip().endswith("created 20, updated 0, unchanged 0, rejected 0")
    assert err.count("building 9 indexes and foreign keys of the events tables") == 1
    assert event_indexes() == before
    assert not DeferredIndex.objects.exists()
    assert threading.active_count() == threads_before


def key_validated() -> bool | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT convalidated FROM pg_constraint WHERE conname = %s", [KEY])
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.django_db(transaction=True)
def test_the_key_is_added_unvalidated_before_the_index_builds_and_validated_beside_them(
    monkeypatch,
):
    before = event_indexes()
    defer_secondary_indexes()
    seen = []
    build = deferred_indexes._build

    def spy(name, definition, **options):
        seen.append((name, key_validated()))
        return build(name, definition, **options)

    monkeypatch.setattr(deferred_indexes, "_build", spy)

    build_deferred_indexes(workers=1)

    # Already there, not yet validated, when the first index build starts (the trigram
    # index of names: the longest, started first).
    assert seen[0] == ("events_event_name_search", False)
    assert seen[-1][0] in {"events_event_labels", "events_event_terms", KEY}
    assert key_validated() is True
    assert event_indexes() == before
    assert not DeferredIndex.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_key_left_unvalidated_is_validated_by_the_next_build():
    before = event_indexes()
    defer_secondary_indexes()
    deferred_indexes._add_keys_unvalidated(
        list(DeferredIndex.objects.values_list("name", "definition"))
    )
    assert key_validated() is False  # an import stopped here: the row is still there

    assert KEY in build_deferred_indexes(workers=1)

    assert key_validated() is True
    assert event_indexes() == before


@pytest.mark.django_db(transaction=True)
def test_a_key_that_orphans_break_stays_unvalidated_with_its_row_until_they_are_gone(tmp_path):
    assert run(events_file(tmp_path, count=1))[0] == 0
    classification = FamilyClassification.objects.get()
    defer_secondary_indexes()
    FamilyClassification.objects.filter(pk=classification.pk).update(event_id=10**12)

    built = build_deferred_indexes(workers=1)

    assert KEY not in built
    assert DeferredIndex.objects.filter(name=KEY).exists()
    assert key_validated() is False  # new rows are checked meanwhile
    FamilyClassification.objects.filter(event_id=10**12).update(event_id=classification.event_id)
    assert build_deferred_indexes(workers=1) == [KEY]
    assert key_validated() is True
