"""A holder's opt-out, from the unsubscribe link in a mail: this museum, or every survey; and
the way back, from the same link."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.services import audit_record
from surveys.models import Invitation, OptOut
from surveys.models import InvitationState as State
from surveys.services.responses import invitation_for_hash
from surveys.services.tokens import unsubscribe_token_hash

ALL, MUSEUM = "all", "museum"


def invitation_for_unsubscribe_token(token: str) -> Invitation | None:
    """The invitation of an unsubscribe link (survey.services.tokens): the survey link's token
    finds nothing here, and this one nothing on the survey page."""
    return invitation_for_hash(unsubscribe_token_hash(token)) if 0 < len(token) <= 64 else None


def holder_opted_out(*, invitation: Invitation) -> bool:
    return OptOut.objects.filter(holder=invitation.holder_id).exists()


@transaction.atomic
def opt_out_record(
    *, invitation: Invitation, scope: str, unsubscribe_token: str | None = None
) -> OptOut:
    """`unsubscribe_token`: the link the holder used; a new opt-out is confirmed by one mail
    that links back to it (only hashes are stored, so that link can only be made now)."""
    museum = invitation.museum if scope == MUSEUM else None
    opt_out, created = OptOut.objects.get_or_create(holder=invitation.holder, museum=museum)
    now = timezone.now()
    # Invitations not answered yet stop here: the pending ones are never sent, the open ones
    # no longer get a reminder.
    concerned = Invitation.objects.filter(
        holder=invitation.holder, state__in=[State.PENDING, State.SENT]
    )
    if museum is not None:
        concerned = concerned.filter(Q(museum=museum) | Q(pk=invitation.pk))
    changed = concerned.update(state=State.OPTED_OUT, finished_at=now)
    if created:
        audit_record(
            actor=None,
            action="surveys.opted_out",
            target=opt_out,
            new_values={"scope": scope, "museum": museum.pk if museum else None},
            note=f"{changed} invitations closed",
        )
        if unsubscribe_token and invitation.holder.email:
            _confirm(invitation=invitation, unsubscribe_token=unsubscribe_token, scope=scope)
    return opt_out


def _confirm(*, invitation: Invitation, unsubscribe_token: str, scope: str) -> None:
    from surveys.tasks import send_opt_out_confirmation

    transaction.on_commit(
        lambda: send_opt_out_confirmation.delay(invitation.pk, unsubscribe_token, scope)
    )


@transaction.atomic
def opt_out_withdraw(*, invitation: Invitation) -> int:
    """Subscribe again: the holder's opt-outs go, and the survey of this link opens again when
    it was sent and is still valid. Returns how many opt-outs were removed (0: nothing to do,
    no audit row: a second click changes nothing)."""
    opt_outs = list(OptOut.objects.select_for_update().filter(holder=invitation.holder))
    if not opt_outs:
        return 0
    OptOut.objects.filter(pk__in=[opt_out.pk for opt_out in opt_outs]).delete()
    # Other invitations the opt-out closed stay closed: their mails were never sent or their
    # holder was told they were closed; this link is the one the holder is looking at.
    reopened = Invitation.objects.filter(
        pk=invitation.pk,
        state=State.OPTED_OUT,
        sent_at__isnull=False,
        expires_at__gt=timezone.now(),
    ).update(state=State.SENT, finished_at=None)
    audit_record(
        actor=None,
        action="surveys.resubscribed",
        object_type="museumpas.holder",
        object_id=str(invitation.holder_id),
        old_values={"opt_outs": [_scope(opt_out) for opt_out in opt_outs]},
        new_values={"opt_outs": []},
        note=f"{reopened} invitations opened again",
    )
    return len(opt_outs)


def _scope(opt_out: OptOut) -> str:
    return ALL if opt_out.museum_id is None else f"{MUSEUM}:{opt_out.museum_id}"
