"""Into an empty catalogue, stored versions are asked for only for ids the run wrote."""

import uuid

import pytest

from events.models import Event
from events.services import event_import
from events.services.event_import import events_import
from events.services.sources import Item
from events.services.written_ids import WrittenIds
from tests.events.factories import EventDocumentFactory


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
