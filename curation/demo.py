"""The review queues built over the demo events, so each queue has tasks to work through."""

from curation.models import Task
from curation.services.queues import queues_build


def seed(*, out) -> None:
    results = queues_build()
    counts = {
        result.queue: Task.objects.filter(queue__slug=result.queue).count() for result in results
    }
    out.write("queues: " + ", ".join(f"{slug} {count}" for slug, count in counts.items()))
