from celery import shared_task

from uitpas.services.summaries import summaries_rebuild


# Idempotent: a rebuild rewrites everything, so a lost worker's message may run again.
@shared_task(name="uitpas.rebuild_summaries", acks_late=True, reject_on_worker_lost=False)
def rebuild_summaries() -> dict:
    return summaries_rebuild()
