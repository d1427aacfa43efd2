"""Who belongs to which partner organisation: granted and revoked by administrators, each with
its audit row (the museum memberships' services)."""

from channels.models import Partner, PartnerMembership
from dashboards.services.memberships import membership_grant, membership_revoke


def partner_membership_grant(*, user, partner: Partner, actor) -> PartnerMembership:
    return membership_grant(
        PartnerMembership,
        user=user,
        field="partner",
        target=partner,
        actor=actor,
        action="channels.membership_granted",
    )


def partner_membership_revoke(*, membership: PartnerMembership, actor) -> None:
    membership_revoke(
        membership, field="partner", actor=actor, action="channels.membership_revoked"
    )
