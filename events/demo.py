"""Demo events: a few hundred generated UiTdatabank documents, through the real import (which
classifies them by the family-offer rule)."""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from events.demo_documents import generate_documents
from events.services.event_import import events_import
from events.services.sources import Item

DEMO_EVENTS = 300
EXHIBITION = "0.0.0.0.0"


def seed(*, out) -> None:
    # Mostly to come: the queues leave out events that ended, and the demo should have work.
    around = datetime.combine(timezone.localdate(), time(), tzinfo=UTC) + timedelta(days=200)
    documents = _exhibitions_at_museums(
        list(
            generate_documents(
                DEMO_EVENTS, places=40, organizers=25, legacy_share=0.03, base_date=around
            )
        )
    )
    _themes_filed_as_event_types(documents)
    items = (Item("demo", f"index {index}", data=doc) for index, doc in enumerate(documents))
    summary = events_import(items=items, description="seed_demo")
    out.write(f"events: {summary.line()}")


def _themes_filed_as_event_types(documents: list[dict]) -> None:
    """Every twelfth event files its theme under eventtype, as legacy data does, so that the
    data-findings queue has work. Nothing else of the event changes: the taxonomy decides."""
    for document in documents[::12]:
        for term in document.get("terms", []):
            if term.get("domain") == "theme":
                term["domain"] = "eventtype"


def _exhibitions_at_museums(documents: list[dict]) -> list[dict]:
    """Exhibitions take place in Museumpas museums, so that queue has work too."""
    museums = {}
    for document in documents:
        location = document.get("location")
        if isinstance(location, dict) and "museumPASSmusees" in location.get("labels", []):
            museums[location["@id"]] = location
    museums = list(museums.values())
    exhibitions = (
        document
        for document in documents
        if any(term.get("id") == EXHIBITION for term in document.get("terms", []))
        and document.get("attendanceMode", "offline") == "offline"
    )
    for number, document in enumerate(exhibitions):
        if museums:
            document["location"] = museums[number % len(museums)]
    return documents
