"""`import_events --jobs N`: several processes, the same result as one."""

import gzip
import multiprocessing
import os
import signal
import time
import uuid

import orjson
import psycopg2
import pytest
from django.db import OperationalError

from curation.models import Event, FamilyClassification, Organizer, Place
from curation.services import event_import, import_hooks, parallel_import, writers
from curation.services.parallel_import import share_of, share_of_id
from curation.services.sources import Item
from tests.curation.factories import EventDocumentFactory, PlaceDocumentFactory
from tests.curation.test_command_import_events import run


def mixed_input(tmp_path):
    """Good and bad documents, three versions of one event, places shared between events, and
    the same documents again in a JSON array (parsed, not raw lines)."""
    shared = PlaceDocumentFactory()
    events = [EventDocumentFactory(location=shared) for _ in range(30)]
    first = events[0]
    versions = [
        {**first, "name": {"nl": f"Versie {n}"}, "modified": f"2026-0{n}-01T00:00:00+00:00"}
        for n in (3, 5, 4)  # the last one is older than the one before it
    ]
    bad = [{"name": {"nl": "Zonder id"}}, EventDocumentFactory(typicalAgeRange="abc")]
    folder = tmp_path / "input"
    folder.mkdir()
    lines = [*events[:10], bad[0], *versions, *events[10:], bad[1]]
    (folder / "a.jsonl").write_bytes(b"".join(orjson.dumps(doc) + b"\n" for doc in lines))
    (folder / "b.json").write_bytes(orjson.dumps([*events[5:8], {"@id": 42}]))
    (folder / "broken.json.gz").write_bytes(gzip.compress(orjson.dumps(events))[:40])
    return folder


def snapshot():
    return {
        "events": sorted(
            Event.objects.values_list("udb_id", "name_text", "content_hash", "earlier_hashes")
        ),
        "places": sorted(Place.objects.values_list("id", "name_text", "content_hash")),
        "organizers": sorted(Organizer.objects.values_list("id", "content_hash")),
        "classified": FamilyClassification.objects.count(),
    }


def clear():
    Event.objects.all().delete()
    Place.objects.all().delete()
    Organizer.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_several_processes_leave_what_one_leaves_and_report_in_input_order(tmp_path):
    folder = mixed_input(tmp_path)
    serial = run(folder, "--report", tmp_path / "serial.jsonl", "--batch-size", 4)
    expected = snapshot()
    clear()

    parallel = run(folder, "--report", tmp_path / "parallel.jsonl", "--batch-size", 4, "--jobs", 3)

    assert snapshot() == expected
    assert len(expected["events"]) == 30 and len(expected["organizers"]) == 30
    assert parallel[0] == serial[0] == 2  # an input could not be read
    assert parallel[1].splitlines()[-1] == serial[1].splitlines()[-1]
    assert "created 30, updated 2, unchanged 4, rejected 3" in parallel[1]
    assert "1 of the unchanged were older" in parallel[1]
    assert "cannot read" in parallel[2] and "broken.json.gz" in parallel[2]
    serial_report = (tmp_path / "serial.jsonl").read_bytes().splitlines()
    assert (tmp_path / "parallel.jsonl").read_bytes().splitlines() == serial_report
    assert [orjson.loads(line)["reason"] for line in serial_report] == [
        "no @id",
        "typicalAgeRange 'abc' is not like '6-12'",
        "@id is not text",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_line_whose_first_id_is_not_its_own_is_imported_after_the_processes(tmp_path):
    """A legacy line: a bare id, written after its location. Its newer version, in an array,
    goes to the process that owns the id; the line comes back to the parent, which applies it
    after them by the usual rules: the newer version stays."""
    older = EventDocumentFactory(modified="2026-02-01T00:00:00+00:00")
    location = older.pop("location")
    place_share = share_of_id(location["@id"].rsplit("/", 1)[1], 2)
    event_id = next(
        candidate
        for candidate in (str(uuid.uuid4()) for _ in range(100))
        if share_of_id(candidate, 2) != place_share
    )
    older = {"location": location, **older, "@id": event_id}
    newer = {**older, "name": {"nl": "Nieuwer"}, "modified": "2026-03-01T00:00:00+00:00"}
    others = EventDocumentFactory.create_batch(6)
    (tmp_path / "a.jsonl").write_bytes(orjson.dumps(older) + b"\n")
    (tmp_path / "b.json").write_bytes(orjson.dumps([newer, *others]))
    assert share_of(Item("a.jsonl", "line 1", raw=orjson.dumps(older)), 2) != share_of(
        Item("b.json", "index 0", data=newer), 2
    ), "the test needs the line to be read by the other process"

    status, out, _err = run(tmp_path, "--jobs", 2)

    assert (status, out.splitlines()[-1]) == (0, "created 7, updated 0, unchanged 1, rejected 0")
    assert Event.objects.get(udb_id=event_id).name_text == "Nieuwer"
    assert Event.objects.count() == 7


@pytest.mark.django_db(transaction=True)
def test_re_importing_with_several_processes_changes_nothing(tmp_path):
    folder = mixed_input(tmp_path)
    run(folder, "--jobs", 2)
    before = snapshot()

    status, out, _err = run(folder, "--jobs", 2)

    assert snapshot() == before
    assert "created 0, updated 0, unchanged 36, rejected 3" in out
    assert status == 2


@pytest.mark.django_db(transaction=True)
def test_a_failing_process_stops_the_run_with_its_error(tmp_path, monkeypatch):
    def fail(event_ids):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(import_hooks, "_queue_build", fail)  # inherited by the processes
    documents = EventDocumentFactory.create_batch(6)
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(orjson.dumps(doc) + b"\n" for doc in documents))

    status, _out, err = run(path, "--jobs", 2)

    assert status == 2
    assert "an import process failed: RuntimeError: the database went away" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "--jobs must be 1 or more"),
        (["--jobs", "2", "--url", "https://search.example/events"], "import a --url with one job"),
    ],
)
def test_wrong_jobs_are_refused_before_anything_is_read(tmp_path, args, message):
    status, _out, err = run(tmp_path, *args)
    assert status == 2 and message in err


def test_all_versions_of_an_event_go_to_the_same_process_raw_or_parsed():
    documents = EventDocumentFactory.create_batch(40)
    shares = set()
    for document in documents:
        raw = Item("a.jsonl", "line 1", raw=orjson.dumps(document))
        parsed = Item("b.json", "index 0", data={**document, "name": {"nl": "Anders"}})
        assert share_of(raw, 3) == share_of(parsed, 3)
        shares.add(share_of(raw, 3))
    assert shares == {0, 1, 2}
    assert share_of(Item("c.json", "index 0", data={"name": "zonder id"}), 3) == 0
    assert share_of(Item("c.json", "line 2", error="malformed JSON"), 3) == 0


def test_a_lines_id_is_looked_for_once_by_the_share_and_the_import(monkeypatch):
    looked = []
    original = event_import.raw_event_id
    monkeypatch.setattr(
        event_import, "raw_event_id", lambda raw: looked.append(raw) or original(raw)
    )
    document = EventDocumentFactory()
    item = Item("a.jsonl", "line 1", raw=orjson.dumps(document))
    without_id = Item("a.jsonl", "line 2", raw=b'{"name": {"nl": "Zonder id"}}')
    share_of(item, 2)
    share_of(without_id, 2)
    assert event_import.raw_id_of(item) == document["@id"].rsplit("/", 1)[-1].lower()
    assert event_import.raw_id_of(without_id) is None
    assert looked == [item.raw, without_id.raw]


def test_a_batch_that_deadlocks_is_written_again(monkeypatch):
    attempts = []

    def write(batch, after):
        attempts.append(batch)
        if len(attempts) == 1:
            raise OperationalError("deadlock") from psycopg2.errors.DeadlockDetected()
        return [1]

    writer = writers.PostgresEventWriter()
    monkeypatch.setattr(writer, "_write", write)

    assert writer.write(writers.Batch(), None) == [1]
    assert len(attempts) == 2


def test_other_database_errors_are_not_retried(monkeypatch):
    attempts = []

    def write(batch, after):
        attempts.append(batch)
        raise OperationalError("server closed the connection")

    writer = writers.PostgresEventWriter()
    monkeypatch.setattr(writer, "_write", write)

    with pytest.raises(OperationalError):
        writer.write(writers.Batch(), None)
    assert len(attempts) == 1


@pytest.mark.django_db(transaction=True)
def test_the_import_lock_is_held_while_the_processes_import(tmp_path, monkeypatch, other_session):
    """Another import asking for the lock meanwhile is refused (the processes' connections are
    opened after the fork; the lock's connection must survive it)."""
    answers = []
    wait = parallel_import._wait

    def wait_and_try_the_lock(*args):
        with other_session().cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [event_import._LOCK_ID])
            answers.append(cursor.fetchone()[0])
        wait(*args)

    monkeypatch.setattr(parallel_import, "_wait", wait_and_try_the_lock)
    path = tmp_path / "events.jsonl"
    path.write_bytes(
        b"".join(orjson.dumps(doc) + b"\n" for doc in EventDocumentFactory.create_batch(4))
    )

    status, out, _err = run(path, "--jobs", 2)

    assert (status, out.splitlines()[-1]) == (0, "created 4, updated 0, unchanged 0, rejected 0")
    assert answers == [False]


def _sleep_long():
    time.sleep(60)


def _gone(pid: int) -> bool:
    """Ended: no such process, or a zombie waiting for whoever adopted it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _wait_until_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.05)
    return False


def test_an_interrupted_wait_stops_the_import_processes():
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_sleep_long) for _ in range(2)]
    for process in processes:
        process.start()

    def interrupted(*_args):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel_import._wait(processes, [0] * 12, 2, interrupted)
    assert [process.is_alive() for process in processes] == [False, False]
    assert all(process.exitcode is not None for process in processes)


def _parent_of_an_import_process(pids):
    """Starts a process that dies with this one, tells its pid, then waits to be killed."""
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        parallel_import.die_with_parent(parent)
        time.sleep(60)
        os._exit(0)
    pids.send(child)
    time.sleep(60)


def test_an_import_process_ends_when_its_parent_is_killed():
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    parent = context.Process(target=_parent_of_an_import_process, args=(sending,))
    parent.start()
    child = receiving.recv()
    time.sleep(0.2)  # the child has asked for the signal
    assert not _gone(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.join()
    assert _wait_until_gone(child)
