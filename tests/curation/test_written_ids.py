"""Into an empty catalogue, stored versions are asked for only for ids the run wrote."""

import uuid

import orjson
import pytest

from curation.models import Event
from curation.services import event_import
from curation.services.event_import import events_import
from curation.services.sources import Item
from curation.services.written_ids import WrittenIds
from tests.curation.factories import EventDocumentFactory
from tests.curation.test_command_import_events import run


def test_ids_written_are_looked_up_and_others_are_not():
    written = WrittenIds()
    ids = [str(uuid.uuid4()) for _ in range(5000)]
    written.add(ids[:2500])

    asked = written.to_look_up(set(ids))

    assert set(ids[:2500]) <= asked  # never one missed
    assert len(asked - set(ids[:2500])) <= 1  # a shared hash at most costs a lookup


def test_past_its_limit_every_id_is_looked_up():
    written = WrittenIds(limit=3)
    written.add(["a", "b", "c"])
    assert written.to_look_up({"a", "z"}) == {"a"}

    written.add(["d"])

    assert written.to_look_up({"a", "z"}) == {"a", "z"}


def _udb_id(document: dict) -> str:
    return document["@id"].rsplit("/", 1)[1]


def _items(documents):
    return [Item("test", f"index {index}", data=doc) for index, doc in enumerate(documents)]


@pytest.fixture
def asked(monkeypatch):
    """The ids of each stored-version query, in order."""
    queries = []
    stored_versions = event_import._stored_versions

    def spy(udb_ids):
        queries.append(set(udb_ids))
        return stored_versions(udb_ids)

    monkeypatch.setattr(event_import, "_stored_versions", spy)
    return queries


@pytest.mark.django_db(transaction=True)
def test_into_an_empty_catalogue_only_ids_written_before_are_asked_for(asked):
    first = EventDocumentFactory(name={"nl": "Eerste"})
    others = EventDocumentFactory.create_batch(6)
    later = {**first, "name": {"nl": "Later"}, "modified": "2026-06-01T00:00:00+00:00"}
    # Batches of two: the later version comes three batches after the first, written by then.
    documents = [first, *others, later]

    summary = events_import(items=_items(documents), batch_size=2)

    assert summary.line() == "created 7, updated 1, unchanged 0, rejected 0"
    assert Event.objects.get(udb_id=_udb_id(first)).name_text == "Later"
    assert Event.objects.count() == 7
    assert set().union(*asked) == {_udb_id(first)}


@pytest.mark.django_db(transaction=True)
def test_into_a_catalogue_with_events_every_id_is_asked_for(asked):
    stored = EventDocumentFactory(name={"nl": "Al bewaard"})
    events_import(items=_items([stored]))
    asked.clear()
    newer = {**stored, "name": {"nl": "Nieuwer"}, "modified": "2026-06-01T00:00:00+00:00"}
    documents = [*EventDocumentFactory.create_batch(3), newer]

    summary = events_import(items=_items(documents), batch_size=2)

    assert summary.line() == "created 3, updated 1, unchanged 0, rejected 0"
    assert Event.objects.get(udb_id=_udb_id(stored)).name_text == "Nieuwer"
    assert set().union(*asked) == {_udb_id(document) for document in documents}


@pytest.mark.django_db(transaction=True)
def test_each_process_of_a_parallel_first_import_asks_only_for_ids_it_wrote(tmp_path, monkeypatch):
    """The processes are forked: each appends the ids it asks for to a file. Thirty events in
    batches of two: the later version comes batches after its first one has been written."""
    asked_file = tmp_path / "asked.txt"
    stored_versions = event_import._stored_versions

    def spy(udb_ids):
        with open(asked_file, "a") as file:
            file.writelines(f"{udb_id}\n" for udb_id in udb_ids)
        return stored_versions(udb_ids)

    monkeypatch.setattr(event_import, "_stored_versions", spy)
    events = EventDocumentFactory.create_batch(30)
    again = {**events[0], "name": {"nl": "Later"}, "modified": "2026-06-01T00:00:00+00:00"}
    lines = [orjson.dumps(document) for document in [*events, again]]
    (tmp_path / "events.jsonl").write_bytes(b"\n".join(lines) + b"\n")

    status, out, _err = run(tmp_path / "events.jsonl", "--jobs", 2, "--batch-size", 2)

    assert status == 0
    assert "created 30, updated 1, unchanged 0, rejected 0" in out
    assert Event.objects.get(udb_id=_udb_id(events[0])).name_text == "Later"
    assert set(asked_file.read_text().split()) == {_udb_id(events[0])}
