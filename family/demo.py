"""Curators' decisions on most of the family queue, so the family-offer evaluation page shows
real numbers."""

from core.models import User
from curation.models import Decision, Queue, QueueKind, Task, TaskState
from curation.services.decisions import task_decide
from family.models import FamilyClassification

# Of the family queue's tasks, the share the demo curators decide (the rest is left to you).
FAMILY_DECIDED_PER_TEN = 7


def seed(*, out) -> None:
    out.write(f"family offer: {_demo_family_decisions()} demo decisions")


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
    young = event.max_age is not None and event.max_age <= 12
    return (young or classification.points > 0) and slot < 60
