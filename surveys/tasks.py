"""Celery tasks: load ids, call a service.

Every task here is idempotent (the invitation row's compare-and-set decides what happens), so
each acknowledges late: a worker that dies mid-chunk leaves the message to be delivered again
after Redis's visibility timeout, and the sweep picks its invitations up before that.
reject_on_worker_lost stays off: when only a pool process dies (a hard time limit, the kernel's
OOM killer), a requeued message could kill the next one the same way; the sweep recovers the
invitations instead. Time limits stay far below the visibility timeout (settings.py).
"""

import smtplib

from celery import shared_task
from django.conf import settings

from surveys.services.dispatch import surveys_dispatch
from surveys.services.sending import (
    invitations_send,
    invitations_sweep,
    opt_out_confirmation_send,
    reminders_queue_due,
    reminders_send,
)

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": False}


@shared_task(
    name="surveys.dispatch_surveys", time_limit=20 * 60, soft_time_limit=18 * 60, **IDEMPOTENT
)
def dispatch_surveys() -> dict:
    result = surveys_dispatch()
    return {"created": result.created, "queued": result.queued}


# A chunk stops starting new mails after 2 minutes (CHUNK_DEADLINE_SECONDS); these limits only
# catch a send that hangs. SURVEYS_STALE_AFTER_MINUTES must stay above the hard limit.
@shared_task(
    name="surveys.send_invitations", time_limit=5 * 60, soft_time_limit=4 * 60, **IDEMPOTENT
)
def send_invitations(invitation_ids: list[int]) -> dict:
    outcome = invitations_send(invitation_ids=invitation_ids)
    return {"sent": len(outcome.sent), "failed": len(outcome.failed)}


@shared_task(name="surveys.queue_reminders", **IDEMPOTENT)
def queue_reminders() -> int:
    return reminders_queue_due()


@shared_task(name="surveys.send_reminders", time_limit=5 * 60, soft_time_limit=4 * 60, **IDEMPOTENT)
def send_reminders(invitation_ids: list[int]) -> int:
    return reminders_send(invitation_ids=invitation_ids)


@shared_task(name="surveys.sweep_invitations", **IDEMPOTENT)
def sweep_invitations() -> dict:
    return vars(invitations_sweep())


# Not idempotent: a confirmation lost with a dying worker is better than one sent twice, so it
# is acknowledged on receipt. The SMTP server's refusals are retried with the invitations'
# backoff. Its arguments carry the unsubscribe token, which cannot answer a survey.
@shared_task(
    name="surveys.send_opt_out_confirmation",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=settings.SURVEYS_RETRY_BASE_SECONDS,
    retry_backoff_max=settings.SURVEYS_RETRY_MAX_SECONDS,
    max_retries=settings.SURVEYS_SEND_MAX_ATTEMPTS - 1,
)
def send_opt_out_confirmation(invitation_id: int, unsubscribe_token: str, scope: str) -> bool:
    return opt_out_confirmation_send(
        invitation_id=invitation_id, unsubscribe_token=unsubscribe_token, scope=scope
    )
