"""Erasing a holder: the person disappears, their answers and every figure stay."""

from django.db import transaction

from core.services import audit_record
from museumpas.models import Holder
from museumpas.services import holder_anonymise
from surveys.models import Invitation, Response


@transaction.atomic
def holder_erase(*, holder: Holder, actor=None) -> dict[str, int]:
    invitations = Invitation.objects.filter(holder=holder)
    detached = Response.objects.filter(invitation__in=invitations).update(invitation=None)
    invitations.update(token_hash=None, reminder_token_hash=None, last_error="")
    holder_anonymise(holder=holder)
    audit_record(
        actor=actor,
        action="museumpas.holder_erased",
        target=holder,
        new_values={"responses_detached": detached},
    )
    return {"responses_detached": detached}
