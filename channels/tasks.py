"""Celery tasks: call a service, nothing else. The rebuild rewrites what is committed, so it is
idempotent and acknowledges late."""

from celery import shared_task

from channels.services.summaries import summaries_rebuild


@shared_task(name="channels.rebuild_summaries", acks_late=True, reject_on_worker_lost=False)
def rebuild_summaries() -> dict:
    result = summaries_rebuild()
    return {"rows": result.rows, "seconds": result.seconds}
