"""Who belongs to which museum: granted and revoked by administrators, each with its audit row."""

from django.db import transaction

from core.services import audit_record
from dashboards.models import MuseumMembership
from museumpas.models import Museum


@transaction.atomic
def museum_membership_grant(*, user, museum: Museum, actor) -> MuseumMembership:
    membership, created = MuseumMembership.objects.get_or_create(user=user, museum=museum)
    if created:
        audit_record(
            actor=actor,
            action="dashboards.membership_granted",
            target=museum,
            new_values={"user": user.username},
        )
    return membership


@transaction.atomic
def museum_membership_revoke(*, membership: MuseumMembership, actor) -> None:
    deleted, _ = MuseumMembership.objects.filter(pk=membership.pk).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="dashboards.membership_revoked",
            target=membership.museum,
            old_values={"user": membership.user.username},
        )
