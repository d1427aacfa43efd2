"""The import service: good and bad documents, re-imports, places, terms, the batch hook."""

import hashlib

import orjson
import pytest

from core.models import AuditEntry
from events.models import Event, Organizer, Place, Term
from events.services import event_import
from events.services.event_import import ImportAlreadyRunning, events_import
from events.services.sources import Item
from tests.events.factories import EventDocumentFactory, PlaceDocumentFactory

pytestmark = pytest.mark.django_db


def test_a_batch_mixing_good_and_bad_documents_keeps_the_good_and_reports_the_bad(import_documents):
    good = [EventDocumentFactory(), EventDocumentFactory()]
    bad = [
        {"name": {"nl": "Zonder id"}},
        EventDocumentFactory(name=42),
        EventDocumentFactory(name={"nl": "", "fr": " "}),
        EventDocumentFactory(startDate="volgende week"),
        ["not", "an", "object"],
        EventDocumentFactory(name={"nl": "Nul\u0000teken"}),
    ]

    summary, rejections = import_documents([good[0], *bad, good[1]])

    assert summary.line() == "created 2, updated 0, unchanged 0, rejected 6, findings 0"
    assert [(rejection.position, rejection.reason) for rejection in rejections] == [
        ("index 1", "no @id"),
        ("index 2", "name is not text"),
        ("index 3", "no name"),
        ("index 4", "startDate is not a date: 'volgende week'"),
        ("index 5", "not a JSON object but an array"),
        ("index 6", "contains the character U+0000, which cannot be stored"),
    ]
    assert set(Event.objects.values_list("udb_id", flat=True)) == {
        good[0]["@id"].rsplit("/", 1)[1],
        good[1]["@id"].rsplit("/", 1)[1],
    }


def test_a_rejected_document_leaves_nothing_behind(import_documents):
    document = EventDocumentFactory(
        startDate="500 BC", terms=[{"id": "9.9.9.9.9", "domain": "theme", "label": "Nieuw"}]
    )

    import_documents([document])

    assert not Event.objects.exists()
    assert not Place.objects.exists()
    assert not Organizer.objects.exists()
    assert not Term.objects.filter(id="9.9.9.9.9").exists()


def test_a_batch_that_fails_while_writing_writes_nothing_of_it(
    on_imported, import_documents, monkeypatch
):
    def fail(**ids):
        raise RuntimeError("the database went away")

    on_imported(fail)

    with pytest.raises(RuntimeError):
        import_documents([EventDocumentFactory(), EventDocumentFactory()])

    assert not Event.objects.exists()
    assert not Place.objects.exists()


def test_importing_the_same_documents_again_changes_nothing(import_documents):
    documents = EventDocumentFactory.create_batch(3)
    import_documents(documents)
    before = list(Event.objects.order_by("pk").values("pk", "imported_at", "content_hash"))

    summary, _ = import_documents(documents)

    assert summary.line() == "created 0, updated 0, unchanged 3, rejected 0, findings 0"
    assert list(Event.objects.order_by("pk").values("pk", "imported_at", "content_hash")) == before


def test_a_changed_modified_updates_the_event_and_its_terms(import_documents):
    first = EventDocumentFactory(name={"nl": "Concert"})
    import_documents([first])
    changed = {
        **first,
        "name": {"nl": "Concert (verplaatst)"},
        "status": {"type": "TemporarilyUnavailable"},
        "terms": [
            {"id": "0.55.0.0.0", "label": "Theatervoorstelling", "domain": "eventtype"},
            {"id": "1.3.1.0.0", "label": "Tekst en muziektheater", "domain": "theme"},
        ],
        "modified": "2026-02-01T09:00:00+00:00",
    }

    summary, _ = import_documents([changed])

    event = Event.objects.get()
    assert summary.line() == "created 0, updated 1, unchanged 0, rejected 0, findings 0"
    assert event.name_text == "Concert (verplaatst)"
    assert event.status == Event.Status.POSTPONED
    assert event.event_type_id == "0.55.0.0.0"
    assert event.term_ids == ["0.55.0.0.0", "1.3.1.0.0"]
    assert [theme.label for theme in event.themes] == ["Tekst en muziektheater"]
    assert event.document["modified"] == "2026-02-01T09:00:00+00:00"


def test_an_older_version_never_overwrites_a_newer_one(import_documents):
    old = EventDocumentFactory(name={"nl": "Oud"}, modified="2026-01-01T00:00:00+00:00")
    new = {**old, "name": {"nl": "Nieuw"}, "modified": "2026-03-01T00:00:00+00:00"}
    import_documents([new])

    summary, _ = import_documents([old])

    assert (summary.unchanged, summary.older) == (1, 1)
    assert Event.objects.get().name_text == "Nieuw"


def test_a_version_already_imported_does_not_come_back_whatever_the_order(import_documents):
    # Same `modified`, different content: the read model was re-projected (a renamed place).
    first = EventDocumentFactory(location=PlaceDocumentFactory(city="Gent"))
    second = {**first, "location": {**first["location"], "name": {"nl": "Nieuwe zaal"}}}

    created, _ = import_documents([first])
    updated, _ = import_documents([second])
    again, _ = import_documents([first, second])

    assert (created.created, updated.updated) == (1, 1)
    assert again.line() == "created 0, updated 0, unchanged 2, rejected 0, findings 0"
    assert Event.objects.get().location.name_text == "Nieuwe zaal"


def test_two_versions_of_one_event_in_one_batch_are_applied_in_order(import_documents):
    first = EventDocumentFactory(name={"nl": "Eerste"})
    second = {**first, "name": {"nl": "Tweede"}, "modified": "2026-05-01T00:00:00+00:00"}

    summary, _ = import_documents([first, second])

    assert summary.line() == "created 1, updated 1, unchanged 0, rejected 0, findings 0"
    assert Event.objects.get().name_text == "Tweede"


def test_a_term_unknown_to_the_taxonomy_is_kept_and_flagged(import_documents):
    document = EventDocumentFactory(
        terms=[
            {"id": "0.50.4.0.0", "label": "Concert", "domain": "eventtype"},
            {"id": "zX9-nieuw-thema", "label": "Nieuw thema", "domain": "theme"},
        ]
    )

    import_documents([document])

    term = Term.objects.get(id="zX9-nieuw-thema")
    assert (term.unknown, term.in_taxonomy, term.domain, term.label_nl) == (
        True,
        False,
        "theme",
        "Nieuw thema",
    )
    assert [theme.id for theme in Event.objects.get().themes] == ["zX9-nieuw-thema"]


def test_places_and_organisers_are_shared_and_follow_their_latest_embedding(import_documents):
    place = PlaceDocumentFactory(city="Gent")
    import_documents([EventDocumentFactory(location=place), EventDocumentFactory(location=place)])
    moved = {**place, "address": {"nl": {**place["address"]["nl"], "addressLocality": "Lier"}}}
    reference_only = {"@id": place["@id"]}

    import_documents([EventDocumentFactory(location=moved)])
    import_documents([EventDocumentFactory(location=reference_only)])

    assert Place.objects.count() == 1
    assert Place.objects.get().city == "Lier"
    assert Event.objects.filter(location_id=Place.objects.get().id).count() == 4


def test_the_batch_signal_sends_the_ids_and_values_of_the_events_created_and_updated(
    on_imported, import_documents, monkeypatch
):
    calls = []
    on_imported(lambda **ids: calls.append(ids))
    existing = EventDocumentFactory()
    import_documents([existing])
    calls.clear()
    changed = {**existing, "name": {"nl": "Gewijzigd"}, "modified": "2026-04-01T00:00:00+00:00"}
    new = EventDocumentFactory()

    import_documents([changed, new, EventDocumentFactory(startDate="x")], batch_size=2)

    existing_pk = Event.objects.get(name_text="Gewijzigd").pk
    new_pk = Event.objects.exclude(pk=existing_pk).get().pk
    assert [(call["created_ids"], call["updated_ids"]) for call in calls] == [
        ([new_pk], [existing_pk])
    ]
    # With the values written, keyed by column: family classifies without reading them back.
    assert [(row["id"], row["name_text"]) for row in calls[0]["rows"]] == [
        (new_pk, new["name"]["nl"]),
        (existing_pk, "Gewijzigd"),
    ]


def test_each_run_leaves_one_audit_row_with_its_counts(import_documents):
    import_documents([EventDocumentFactory(), {"name": "zonder id"}], description="a test run")

    entry = AuditEntry.objects.get(action="events.imported")
    assert entry.new_values["created"] == 1
    assert entry.new_values["rejected"] == 1
    assert entry.note == "a test run"


def test_a_second_import_while_one_runs_is_refused(import_documents, other_session):
    with other_session().cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [event_import._LOCK_ID])
    with pytest.raises(ImportAlreadyRunning):
        events_import(items=[])


@pytest.mark.django_db(transaction=True)
def test_each_batch_commits_on_its_own_and_a_failing_one_stops_the_import(on_imported):
    def fail_second(**ids):
        if Event.objects.count() > 2:  # the second batch's events are in, not yet committed
            raise RuntimeError("the database went away")

    on_imported(fail_second)
    documents = EventDocumentFactory.create_batch(6)
    items = [Item("test", f"index {index}", data=doc) for index, doc in enumerate(documents)]

    with pytest.raises(RuntimeError, match="the database went away"):
        events_import(items=items, batch_size=2)

    assert Event.objects.count() == 2
    assert not AuditEntry.objects.filter(action="events.imported").exists()
    # The lock went with the failed import: the next one runs.
    assert events_import(items=[]).documents == 0


def test_an_event_is_updated_by_later_batches_in_order():
    first = EventDocumentFactory(name={"nl": "Eerste"})
    documents = [
        first,
        EventDocumentFactory(),
        {**first, "name": {"nl": "Tweede"}, "modified": "2026-06-01T00:00:00+00:00"},
        {**first, "name": {"nl": "Derde"}, "modified": "2026-07-01T00:00:00+00:00"},
    ]
    items = [Item("test", f"index {index}", data=doc) for index, doc in enumerate(documents)]

    summary = events_import(items=items, batch_size=1)

    assert summary.line() == "created 2, updated 2, unchanged 0, rejected 0, findings 0"
    event = Event.objects.get(udb_id=first["@id"].rsplit("/", 1)[1])
    assert event.name_text == "Derde"
    assert len(event.earlier_hashes) == 2


def _import_lines(lines: list[bytes]):
    items = [Item("a.jsonl", f"line {index + 1}", raw=line) for index, line in enumerate(lines)]
    return events_import(items=items)


def _blake2b(text: bytes) -> str:
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def test_events_whose_hashes_were_stored_by_blake2b_are_recognised_unchanged():
    """Events imported before content hashes became xxh3 keep their BLAKE2b hashes."""
    lines = [orjson.dumps(document) for document in EventDocumentFactory.create_batch(2)]
    _import_lines(lines)
    for line in lines:
        udb_id = orjson.loads(line)["@id"].rsplit("/", 1)[1]
        Event.objects.filter(udb_id=udb_id).update(content_hash=_blake2b(line))
    before = list(Event.objects.order_by("pk").values("pk", "imported_at", "content_hash"))

    summary = _import_lines(lines)

    assert summary.line() == "created 0, updated 0, unchanged 2, rejected 0, findings 0"
    assert list(Event.objects.order_by("pk").values("pk", "imported_at", "content_hash")) == before


def test_an_earlier_version_hashed_by_blake2b_is_recognised_as_imported_before():
    first = EventDocumentFactory(name={"nl": "Eerste"}, modified="2026-05-01T00:00:00+00:00")
    second = {**first, "name": {"nl": "Tweede"}}  # the same `modified`: only the hash tells
    lines = [orjson.dumps(first), orjson.dumps(second)]
    _import_lines(lines)
    event = Event.objects.get()
    Event.objects.filter(pk=event.pk).update(
        content_hash=_blake2b(lines[1]), earlier_hashes=[_blake2b(lines[0])]
    )

    again = _import_lines(lines[:1])
    third = _import_lines([orjson.dumps({**first, "name": {"nl": "Derde"}})])

    assert (again.line(), again.older) == (
        "created 0, updated 0, unchanged 1, rejected 0, findings 0",
        0,
    )
    assert third.line() == "created 0, updated 1, unchanged 0, rejected 0, findings 0"
    event.refresh_from_db()
    assert event.name_text == "Derde"
    assert event.earlier_hashes == [_blake2b(lines[0]), _blake2b(lines[1])]
    assert len(event.content_hash) == 16
