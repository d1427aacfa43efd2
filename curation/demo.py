"""Demo events: a few hundred generated UiTdatabank documents, through the real import; then
the review queues built over them, so each queue has a few dozen tasks to work through."""

from curation.demo_documents import generate_documents
from curation.models import Event, Queue, Task
from curation.queue_models import QueueKind
from curation.services.event_import import events_import
from curation.services.queues import queues_build
from curation.services.sources import Item

DEMO_EVENTS = 300
# Until the family-offer rule feeds its queue, the demo puts events for children in it.
DEMO_FAMILY_TASKS = 30
EXHIBITION = "0.0.0.0.0"


def seed(*, out) -> None:
    documents = _exhibitions_at_museums(
        list(generate_documents(DEMO_EVENTS, places=40, organizers=25, legacy_share=0.03))
    )
    items = (Item("demo", f"index {index}", data=doc) for index, doc in enumerate(documents))
    summary = events_import(items=items, description="seed_demo")
    out.write(f"events: {summary.line()}")
    results = queues_build()
    _demo_family_tasks()
    counts = {
        result.queue: Task.objects.filter(queue__slug=result.queue).count() for result in results
    }
    out.write("queues: " + ", ".join(f"{slug} {count}" for slug, count in counts.items()))


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


def _demo_family_tasks() -> None:
    queue = Queue.objects.filter(kind=QueueKind.FAMILY, is_active=True).first()
    if queue is None or queue.tasks.exists():
        return
    children = Event.objects.filter(max_age__lte=12).order_by("pk")[:DEMO_FAMILY_TASKS]
    Task.objects.bulk_create(
        [Task(queue=queue, event=event, position=event.pk) for event in children],
        ignore_conflicts=True,
    )
