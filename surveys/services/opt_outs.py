"""A holder's opt-out, from the unsubscribe link in a mail: this museum, or every survey."""

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


@transaction.atomic
def opt_out_record(*, invitation: Invitation, scope: str) -> OptOut:
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
    return opt_out
