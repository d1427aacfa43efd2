"""Survey managers' entry points on the home page: running campaigns, failed invitations."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import Link, Section
from core.roles import SURVEY_MANAGER, has_role
from surveys.models import Campaign
from surveys.models import InvitationState as State


def home_section(user) -> Section | None:
    if not has_role(user, SURVEY_MANAGER):
        return None
    section = Section(_("Surveys"), position=20)
    section.links.append(Link(_("All campaigns"), reverse("surveys:overview")))
    campaigns = (
        Campaign.objects.annotate(
            failed=Count("invitations", filter=Q(invitations__state=State.FAILED))
        )
        .filter(Q(active=True) | Q(failed__gt=0))
        .order_by("name")
    )
    for campaign in campaigns:
        url = reverse("surveys:campaign", args=[campaign.pk])
        if campaign.active:
            section.links.append(Link(campaign.name, url))
        if campaign.failed:
            text = ngettext(
                "%(campaign)s: %(count)d invitation failed",
                "%(campaign)s: %(count)d invitations failed",
                campaign.failed,
            )
            label = text % {"campaign": campaign.name, "count": campaign.failed}
            section.attention.append(Link(label, url, campaign.failed))
    return section
