"""Demo events: a few hundred generated UiTdatabank documents, through the real import (which
classifies them by the family-offer rule); then the review queues built over them, so each
queue has a few dozen tasks to work through; then curators' decisions on most of the family
queue, so the family-offer evaluation page shows real numbers."""

from core.models import User
from curation.demo_documents import generate_documents
from curation.models import Decision, FamilyClassification, Queue, Task
from curation.queue_models import QueueKind, TaskState
from curation.services.decisions import task_decide
from curation.services.event_import import events_import
from curation.services.queues import queues_build
from curation.services.sources import Item

DEMO_EVENTS = 300
EXHIBITION = "0.0.0.0.0"
# Of the family queue's tasks, the share the demo curators decide (the rest is left to you).
FAMILY_DECIDED_PER_TEN = 7


def seed(*, out) -> None:
    documents = _exhibitions_at_museums(
        list(generate_documents(DEMO_EVENTS, places=40, organizers=25, legacy_share=0.03))
    )
    items = (Item("demo", f"index {index}", data=doc) for index, doc in enumerate(documents))
    summary = events_import(items=items, description="seed_demo")
    out.write(f"events: {summary.line()}")
    results = queues_build()
    decided = _demo_family_decisions()
    out.write(f"family offer: {decided} demo decisions")
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


def _demo_family_decisions() -> int:
    """alice and bob decide most of the family queue, once (a rerun adds nothing). Their
    verdicts mostly agree with the rule on what it proposes and find some family events it
    misses in the audit share, as the deck's colleagues did."""
    queue = Queue.objects.filter(kind=QueueKind.FAMILY, is_active=True).first()
    curators = list(User.objects.filter(username__in=("alice", "bob")).order_by("username"))
    if queue is None or not curators or Decision.objects.filter(queue_kind="family").exists():
        return 0
    tasks = list(
        Task.objects.filter(queue=queue, state=TaskState.OPEN)
        .select_related("queue", "event")
        .order_by("position", "id")
    )
    classified = FamilyClassification.objects.in_bulk([task.event_id for task in tasks])
    decided = 0
    for number, task in enumerate(tasks):
        classification = classified.get(task.event_id)
        if classification is None:
            continue
        # The few audit-share tasks all get a decision: the demo's recall needs them.
        if classification.label and number % 10 >= FAMILY_DECIDED_PER_TEN:
            continue
        verdict = _demo_verdict(task.event, classification)
        task_decide(task=task, curator=curators[number % len(curators)], values={"family": verdict})
        decided += 1
    return decided


def _demo_verdict(event, classification) -> bool:
    slot = event.pk * 7919 % 100  # a fixed pseudo-random number per event
    if classification.label:
        return slot >= 8  # the rule is mostly right about what it proposes
    for_children = (event.max_age is not None and event.max_age <= 12) or (
        classification.points > 0
    )
    return for_children and slot < 60
