"""A batch is handled in input order, also when some events are parsed later than others
(their id was not where the raw line's first @id pointed, or they came parsed from a JSON
array): the later of two differing embedded places wins, new events get ids in input order,
and a line's bytes are compared with the versions from before the batch."""

import orjson
import pytest

from events.models import Event, Place, Term
from events.services.event_import import events_import
from events.services.sources import Item
from tests.events.factories import EventDocumentFactory, PlaceDocumentFactory

pytestmark = pytest.mark.django_db
PLACE = "11111111-2222-3333-4444-555555555555"


def _a_then_b(**b_changes):
    # a.json (an array: parsed items, no raw id) read before b.jsonl, in one batch.
    a = EventDocumentFactory(
        location=PlaceDocumentFactory(place_id=PLACE, name={"nl": "Oud"}),
        terms=[{"id": "9.9.9.9.9", "label": "Eerste", "domain": "theme"}],
    )
    b = EventDocumentFactory(
        location=PlaceDocumentFactory(place_id=PLACE, name={"nl": "Nieuw"}),
        terms=[{"id": "9.9.9.9.9", "label": "Tweede", "domain": "theme"}],
    )
    items = [Item("a.json", "index 0", data=a), Item("b.jsonl", "line 1", raw=orjson.dumps(b))]
    events_import(items=items)
    return a, b


def test_the_place_as_embedded_by_the_later_document_is_kept():
    _a_then_b()
    assert Place.objects.get(pk=PLACE).name_text == "Nieuw"


def test_new_events_get_ids_in_input_order():
    a, b = _a_then_b()
    ids = list(Event.objects.order_by("pk").values_list("udb_id", flat=True))
    assert ids == [a["@id"].rsplit("/", 1)[1], b["@id"].rsplit("/", 1)[1]]


def test_an_unknown_terms_label_is_the_first_documents():
    _a_then_b()
    assert Term.objects.get(pk="9.9.9.9.9").label_nl == "Eerste"


def test_jsonl_only_line_whose_first_id_is_its_place():
    # UiTdatabank writes "\/"; a line whose location precedes its @id is looked up by the
    # place's id, so its event is parsed after line 2's.
    a = EventDocumentFactory(location=PlaceDocumentFactory(place_id=PLACE, name={"nl": "Oud"}))
    a = {"location": a.pop("location"), **a}
    b = EventDocumentFactory(location=PlaceDocumentFactory(place_id=PLACE, name={"nl": "Nieuw"}))
    events_import(
        items=[
            Item("a.jsonl", "line 1", raw=orjson.dumps(a).replace(b"/", b"\\/")),
            Item("a.jsonl", "line 2", raw=orjson.dumps(b)),
        ]
    )
    assert Place.objects.get(pk=PLACE).name_text == "Nieuw"


def test_a_stored_version_after_nine_newer_ones_is_not_counted_older():
    event_id = "22222222-aaaa-bbbb-cccc-dddddddddddd"
    stored = EventDocumentFactory(event_id=event_id, modified="2026-01-01T00:00:00+00:00")
    events_import(items=[Item("a.jsonl", "line 1", raw=orjson.dumps(stored))])
    newer = [
        EventDocumentFactory(event_id=event_id, modified=f"2026-01-{day:02d}T00:00:00+00:00")
        for day in range(2, 12)
    ]
    lines = [orjson.dumps(document) for document in [*newer, stored]]
    summary = events_import(
        items=[Item("b.jsonl", f"line {n}", raw=r) for n, r in enumerate(lines, 1)]
    )
    assert (summary.unchanged, summary.older) == (1, 0)
