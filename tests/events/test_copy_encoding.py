"""The import's COPY (CSV) stores every value as read: empty text stays empty, a missing value
is NULL, and quotes, commas, backslashes, newlines and COPY's own markers come back as written,
for new events (copied into the table) and changed ones (copied into a temporary table)."""

import pytest

from events.models import Event
from events.services import documents
from tests.events.factories import EventDocumentFactory

pytestmark = pytest.mark.django_db
TRICKY = 'Zeg "hallo", of niet;\n\\.\n\\N \\t \\\\ café\t\r\nslot'
COLUMNS = [
    "name",
    "name_text",
    "description",
    "description_text",
    "online_url",
    "min_age",
    "max_age",
    "start",
    "end",
    "calendar_type",
    "labels",
    "hidden_labels",
    "created",
    "modified",
]


def _stored_as_read(document: dict) -> None:
    udb_id = document["@id"].rsplit("/", 1)[1]
    record = documents.event_record(document, udb_id)
    event = Event.objects.get(udb_id=udb_id)
    assert {column: getattr(event, column) for column in COLUMNS} == {
        column: getattr(record, column) for column in COLUMNS
    }


def test_tricky_texts_and_missing_values_come_back_as_read(import_documents):
    document = EventDocumentFactory(
        name={"nl": TRICKY},
        description=None,
        typicalAgeRange=None,
        endDate=None,
        labels=[TRICKY, ""],
    )
    import_documents([document])

    _stored_as_read(document)
    event = Event.objects.get()
    assert (event.description_text, event.online_url, event.min_age, event.end) == (
        "",
        "",
        None,
        None,
    )


def test_a_changed_event_is_written_as_read_too(import_documents):
    document = EventDocumentFactory(name={"nl": "Eerst"}, typicalAgeRange="6-12")
    import_documents([document])
    changed = {
        **document,
        "name": {"nl": TRICKY},
        "description": {"nl": ""},
        "modified": "2026-03-01T00:00:00+00:00",
    }
    changed.pop("typicalAgeRange")

    assert import_documents([changed])[0].updated == 1

    _stored_as_read(changed)
