"""Who belongs to which museum (or, for other dashboards, which organisation): granted and
revoked by administrators, each with its audit row."""

from django.db import models, transaction

from core.services import audit_record
from dashboards.models import MuseumMembership
from museumpas.models import Museum


@transaction.atomic
def membership_grant(model: type[models.Model], *, user, field: str, target, actor, action: str):
    """A membership of `model` tying `user` to `target` (its foreign key `field`)."""
    membership, created = model.objects.get_or_create(user=user, **{field: target})
    if created:
        audit_record(actor=actor, action=action, target=target, new_values={"user": user.username})
    return membership


@transaction.atomic
def membership_revoke(membership: models.Model, *, field: str, actor, action: str) -> None:
    deleted, _ = type(membership).objects.filter(pk=membership.pk).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=action,
            target=getattr(membership, field),
            old_values={"user": membership.user.username},
        )


def museum_membership_grant(*, user, museum: Museum, actor) -> MuseumMembership:
    return membership_grant(
        MuseumMembership,
        user=user,
        field="museum",
        target=museum,
        actor=actor,
        action="dashboards.membership_granted",
    )


def museum_membership_revoke(*, membership: MuseumMembership, actor) -> None:
    membership_revoke(
        membership, field="museum", actor=actor, action="dashboards.membership_revoked"
    )
