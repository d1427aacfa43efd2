"""Demo events: a few hundred generated UiTdatabank documents, through the real import."""

from curation.demo_documents import generate_documents
from curation.services.event_import import events_import
from curation.services.sources import Item

DEMO_EVENTS = 300


def seed(*, out) -> None:
    documents = generate_documents(DEMO_EVENTS, places=40, organizers=25, legacy_share=0.03)
    items = (Item("demo", f"index {index}", data=doc) for index, doc in enumerate(documents))
    summary = events_import(items=items, description="seed_demo")
    out.write(f"events: {summary.line()}")
