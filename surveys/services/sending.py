"""Sending invitations and reminders: the invitation row is the ledger.

Every mail goes out between two compare-and-set updates of its row:

    pending --claim--> sending --SMTP accepted--> sent
                          |--temporary failure--> pending (queued again after a backoff)
                          |--last attempt or permanent failure--> failed

A chunk task claims its invitations with one UPDATE ... WHERE state = 'pending' (one process
wins each row), then confirms each one after the SMTP server accepted it, matching the claim's
timestamp. So a task delivered twice, a retry racing the sweep or two workers never send the
same invitation twice. The one window left is a worker dying after
the SMTP server accepted a message and before the confirming update commits (microseconds): the
sweep then finds the row in "sending" and sends it again. Without a two-phase commit with the
SMTP server, it is that or risking a mail never sent; we prefer the rare duplicate.
"""

import datetime
import functools
import logging
import random
import smtplib
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core.services import audit_record
from museumpas.models import Holder
from surveys.hooks import invitations_sent
from surveys.models import Invitation, InvitationState, OptOut
from surveys.services.mail import invitation_message, opt_out_message
from surveys.services.tokens import new_token

logger = logging.getLogger(__name__)
State = InvitationState

# Stop starting new mails this long after a chunk began, well before the task's time limits:
# the rest of the chunk is queued again instead of being cut mid-send by a time limit.
CHUNK_DEADLINE_SECONDS = 120


def _per_chunk(ids: list[int], queue) -> None:
    """`queue(chunk)` for each chunk of the ids, once the current transaction commits."""
    size = settings.SURVEYS_SEND_CHUNK_SIZE
    for start in range(0, len(ids), size):
        transaction.on_commit(functools.partial(queue, ids[start : start + size]))


def invitations_queue(invitation_ids: list[int], *, countdown: float | None = None) -> None:
    """Queue chunks of invitations for sending once the current transaction commits."""
    from surveys.tasks import send_invitations

    now = timezone.now()
    Invitation.objects.filter(pk__in=invitation_ids, state=State.PENDING).update(queued_at=now)
    _per_chunk(
        list(invitation_ids),
        lambda chunk: send_invitations.apply_async((chunk,), countdown=countdown),
    )


def invitations_queue_pending(*, queued_before: datetime.datetime | None = None) -> int:
    """Queue the pending invitations never queued, and those queued before `queued_before`
    (lost with a worker)."""
    waiting = Q(queued_at=None)
    if queued_before is not None:
        waiting |= Q(queued_at__lt=queued_before)
    pending = Invitation.objects.filter(waiting, state=State.PENDING).order_by("pk")
    ids = list(pending.values_list("pk", flat=True))
    invitations_queue(ids)
    return len(ids)


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, so failed chunks do not come back all at once."""
    base = settings.SURVEYS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(base, settings.SURVEYS_RETRY_MAX_SECONDS) * random.uniform(0.5, 1.5)


def _classify(error: Exception) -> bool:
    """True for failures that another attempt may cure."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return not (500 <= error.smtp_code < 600)
    return True  # connection errors, timeouts, a server gone away


@dataclass
class ChunkOutcome:
    sent: list[int] = field(default_factory=list)
    retry: dict[int, list[int]] = field(default_factory=dict)  # attempts -> ids
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    left_over: list[int] = field(default_factory=list)


def _claim(invitation_ids: list[int]) -> tuple[datetime.datetime, list[Invitation]]:
    """Move the chunk's pending invitations to "sending" in one compare-and-set.

    The claim's timestamp identifies it: every later update matches on it, so a claim the sweep
    took back (older than every time limit) can no longer be confirmed by a late task.
    """
    claimed_at = timezone.now()
    Invitation.objects.filter(pk__in=invitation_ids, state=State.PENDING).update(
        state=State.SENDING, attempts=F("attempts") + 1, claimed_at=claimed_at
    )
    claimed = Invitation.objects.filter(
        pk__in=invitation_ids, state=State.SENDING, claimed_at=claimed_at
    )
    return claimed_at, _for_mail(claimed)


def _for_mail(invitations: QuerySet) -> list[Invitation]:
    """The invitations with what their mail needs, each with `opted_out`: whether its holder
    opted out of its museum or of every survey."""
    invitations = list(
        invitations.select_related("campaign__survey", "museum", "holder", "visit").order_by("pk")
    )
    holders = {invitation.holder_id for invitation in invitations}
    opt_outs = set(
        OptOut.objects.filter(holder_id__in=holders).values_list("holder_id", "museum_id")
    )
    for invitation in invitations:
        holder = invitation.holder_id
        invitation.opted_out = bool({(holder, None), (holder, invitation.museum_id)} & opt_outs)
    return invitations


def _claimed(invitation: Invitation, claimed_at: datetime.datetime):
    return Invitation.objects.filter(pk=invitation.pk, state=State.SENDING, claimed_at=claimed_at)


# The one write per mail, in SQL: the ORM's query building cost as much as the round trip.
# Its commit does not wait for the disk (synchronous_commit off, for this transaction only; one
# round trip with the UPDATE). Waiting was the larger part of a mail's time in a worker. A worker
# killed at any point loses nothing by it: the commit is in the server. Only a crash of the
# PostgreSQL server itself can lose the last fraction of a second of confirmations; the sweep
# then sends those mails again, the same rare duplicate as a worker dying between the SMTP
# server's acceptance and the confirmation. The claim, which is what keeps two workers from
# sending one invitation, still waits for the disk.
_CONFIRM = f"""
    SET LOCAL synchronous_commit TO OFF;
    UPDATE {Invitation._meta.db_table}
    SET state = %s, token_hash = %s, sent_at = %s, expires_at = %s, last_error = ''
    WHERE id = %s AND state = %s AND claimed_at = %s
"""


def _confirm_sent(invitation: Invitation, claimed_at, token_hash: str) -> None:
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=invitation.campaign.link_valid_days)
    params = [State.SENT, token_hash, now, expires_at, invitation.pk, State.SENDING, claimed_at]
    with transaction.atomic(), db.cursor() as cursor:
        cursor.execute(_CONFIRM, params)
        confirmed = cursor.rowcount
    if not confirmed:  # only after the sweep took the claim back: it will be sent again
        logger.warning("invitation %s sent, but its claim was taken back", invitation.pk)


def _record_failure(invitation: Invitation, claimed_at, error: Exception) -> str:
    """Back to pending for another attempt, or failed; returns the new state."""
    message = _error_text(error)
    temporary = _classify(error)
    final = not temporary or invitation.attempts >= settings.SURVEYS_SEND_MAX_ATTEMPTS
    if final:
        _claimed(invitation, claimed_at).update(
            state=State.FAILED, finished_at=timezone.now(), last_error=message
        )
        if not temporary:
            Holder.objects.filter(pk=invitation.holder_id).update(email_bounced_at=timezone.now())
        return State.FAILED
    _claimed(invitation, claimed_at).update(
        state=State.PENDING, last_error=message, claimed_at=None
    )
    return State.PENDING


def _error_text(error: Exception) -> str:
    """The error without the recipient's address: survey managers read it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{code} {reply!r}" for code, reply in error.recipients.values())
        return f"SMTPRecipientsRefused: {answers}"[:1000]
    return f"{type(error).__name__}: {error}"[:1000]


def _finish_without_sending(invitation: Invitation, claimed_at, state: str, error="") -> None:
    _claimed(invitation, claimed_at).update(
        state=state, finished_at=timezone.now(), last_error=error
    )


def _send_one(invitation: Invitation, claimed_at, smtp, outcome: ChunkOutcome) -> None:
    holder = invitation.holder
    if invitation.opted_out:
        _finish_without_sending(invitation, claimed_at, State.OPTED_OUT)
        outcome.skipped.append(invitation.pk)
        return
    if not holder.email or holder.erased_at or holder.email_bounced_at:
        _finish_without_sending(
            invitation, claimed_at, State.FAILED, "no deliverable e-mail address"
        )
        outcome.failed.append(invitation.pk)
        return
    token, token_hash = new_token()
    error = _deliver(smtp, invitation, token=token)
    if error is None:
        _confirm_sent(invitation, claimed_at, token_hash)
        outcome.sent.append(invitation.pk)
    elif isinstance(error, ValueError):
        # The message itself cannot be written (BadHeaderError: a line break in a museum's
        # name; an address Python refuses): no attempt cures it, and it is this invitation's
        # alone, so it fails and the chunk goes on. The holder's address is not marked bounced.
        _finish_without_sending(invitation, claimed_at, State.FAILED, _error_text(error))
        outcome.failed.append(invitation.pk)
    elif _record_failure(invitation, claimed_at, error) == State.FAILED:
        outcome.failed.append(invitation.pk)
    else:
        outcome.retry.setdefault(invitation.attempts, []).append(invitation.pk)


def _deliver(smtp, invitation: Invitation, **message_options) -> Exception | None:
    """Send the invitation's mail over the chunk's SMTP session; the error if it failed."""
    try:
        # Opened here, not by send_messages (which would open and close one per message): the
        # chunk shares one SMTP session, reopened after a failure closed it.
        smtp.open()
        smtp.send_messages([invitation_message(invitation, **message_options)])
    except (ValueError, OSError) as error:  # OSError: smtplib's errors, connections, timeouts
        logger.warning("invitation %s not sent: %s", invitation.pk, error)
        if isinstance(error, OSError):
            smtp.close()  # the next send opens a fresh connection
        return error
    return None


def _release(invitations: list[Invitation], claimed_at) -> list[int]:
    """Unclaim what a chunk did not get to: not an attempt, so it does not count as one."""
    ids = [invitation.pk for invitation in invitations]
    Invitation.objects.filter(pk__in=ids, state=State.SENDING, claimed_at=claimed_at).update(
        state=State.PENDING, attempts=F("attempts") - 1, claimed_at=None
    )
    return ids


def invitations_send(*, invitation_ids: list[int]) -> ChunkOutcome:
    """Send a chunk over one SMTP connection; re-queue what must wait or did not fit in time."""
    outcome = ChunkOutcome()
    started = time.monotonic()
    claimed_at, invitations = _claim(invitation_ids)
    outcome.skipped = sorted(set(invitation_ids) - {invitation.pk for invitation in invitations})
    smtp = get_connection()
    try:
        for index, invitation in enumerate(invitations):
            if time.monotonic() - started > CHUNK_DEADLINE_SECONDS:
                outcome.left_over = _release(invitations[index:], claimed_at)
                break
            _send_one(invitation, claimed_at, smtp, outcome)
    finally:
        smtp.close()
    if outcome.sent:
        invitations_sent.fire_on_commit(invitation_ids=outcome.sent)
    for attempts, ids in outcome.retry.items():
        invitations_queue(ids, countdown=retry_delay(attempts))
    if outcome.left_over:
        invitations_queue(outcome.left_over)
    return outcome


# Reminders: found by a periodic query (reminders_queue_due), sent at most once per invitation.


def reminders_due(*, now: datetime.datetime) -> list[int]:
    ids: list[int] = []
    due = Invitation.objects.filter(
        state=State.SENT,
        reminded_at=None,
        reminder_claimed_at=None,
        campaign__reminder_after_days__isnull=False,
        expires_at__gt=now,
    )
    for days in due.values_list("campaign__reminder_after_days", flat=True).distinct().order_by():
        ids += due.filter(
            campaign__reminder_after_days=days,
            sent_at__lte=now - datetime.timedelta(days=days),
        ).values_list("pk", flat=True)
    return sorted(ids)


def reminders_queue_due(*, now: datetime.datetime | None = None) -> int:
    from surveys.tasks import send_reminders

    ids = reminders_due(now=now or timezone.now())
    _per_chunk(ids, send_reminders.delay)
    return len(ids)


def _send_reminder(invitation: Invitation, smtp) -> bool:
    holder = invitation.holder
    if invitation.opted_out or not holder.email or holder.email_bounced_at:
        return False
    token, token_hash = new_token()
    claim = Invitation.objects.filter(
        pk=invitation.pk, state=State.SENT, reminded_at=None, reminder_claimed_at=None
    )
    if not claim.update(reminder_claimed_at=timezone.now(), reminder_token_hash=token_hash):
        return False
    claimed = Invitation.objects.filter(pk=invitation.pk, reminder_token_hash=token_hash)
    error = _deliver(smtp, invitation, token=token, reminder=True)
    if error is None:
        claimed.update(reminded_at=timezone.now())
        return True
    # Released: the next periodic run tries again, as long as the link is valid.
    claimed.update(reminder_claimed_at=None, reminder_token_hash=None)
    if not isinstance(error, ValueError) and not _classify(error):
        Holder.objects.filter(pk=invitation.holder_id).update(email_bounced_at=timezone.now())
    return False


def reminders_send(*, invitation_ids: list[int]) -> int:
    due = Invitation.objects.filter(pk__in=invitation_ids, state=State.SENT, reminded_at=None)
    sent = 0
    smtp = get_connection()
    try:
        for invitation in _for_mail(due):
            sent += _send_reminder(invitation, smtp)
    finally:
        smtp.close()
    return sent


# The sweep: what a dead worker left behind, and links that expired.


@dataclass
class SweepResult:
    requeued: int = 0
    reclaimed: int = 0
    failed: int = 0
    reminders_released: int = 0
    expired: int = 0


def invitations_sweep(
    *, now: datetime.datetime | None = None, stale_after: datetime.timedelta | None = None
) -> SweepResult:
    now = now or timezone.now()
    if stale_after is None:
        stale_after = datetime.timedelta(minutes=settings.SURVEYS_STALE_AFTER_MINUTES)
    cutoff = now - stale_after
    result = SweepResult()
    with transaction.atomic():
        # A claim older than every time limit belongs to no running task any more.
        stuck = Invitation.objects.filter(state=State.SENDING, claimed_at__lt=cutoff)
        result.failed = stuck.filter(attempts__gte=settings.SURVEYS_SEND_MAX_ATTEMPTS).update(
            state=State.FAILED,
            finished_at=now,
            last_error="worker lost while sending (last attempt)",
        )
        result.reclaimed = stuck.update(
            state=State.PENDING, claimed_at=None, last_error="worker lost while sending"
        )
        result.requeued = invitations_queue_pending(queued_before=cutoff)
        result.reminders_released = Invitation.objects.filter(
            reminder_claimed_at__lt=cutoff, reminded_at=None
        ).update(reminder_claimed_at=None, reminder_token_hash=None)
        result.expired = Invitation.objects.filter(state=State.SENT, expires_at__lte=now).update(
            state=State.EXPIRED, finished_at=now
        )
    return result


@transaction.atomic
def invitations_retry_failed(*, invitation_ids: list[int], actor) -> int:
    """A survey manager sends failed invitations again, with a fresh count of attempts."""
    ids = list(
        Invitation.objects.filter(pk__in=invitation_ids, state=State.FAILED)
        .exclude(holder__email="")
        .values_list("pk", flat=True)
    )
    Invitation.objects.filter(pk__in=ids).update(
        state=State.PENDING, attempts=0, finished_at=None, queued_at=None
    )
    Holder.objects.filter(pk__in=Invitation.objects.filter(pk__in=ids).values("holder_id")).update(
        email_bounced_at=None
    )
    invitations_queue(ids)
    audit_record(
        actor=actor,
        action="surveys.failed_invitations_retried",
        object_type="surveys.invitation",
        new_values={"invitations": ids},
    )
    return len(ids)


def opt_out_confirmation_send(*, invitation_id: int, unsubscribe_token: str, scope: str) -> bool:
    """The one mail after an opt-out; False when the holder has no address any more (erased)."""
    invitation = Invitation.objects.select_related("holder", "museum").get(pk=invitation_id)
    if not invitation.holder.email:
        return False
    message = opt_out_message(invitation, unsubscribe_token=unsubscribe_token, scope=scope)
    get_connection().send_messages([message])
    return True
