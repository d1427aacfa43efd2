"""UiTPAS on the home page: the staff overview, or a partner's municipalities."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import Link, Section
from core.roles import UITPAS_PARTNER, has_role, is_publiq_staff
from uitpas.scoping import card_systems_for, municipalities_for


def home_section(user) -> Section | None:
    section = Section(_("UiTPAS"), position=35)
    if is_publiq_staff(user):
        section.links += [
            Link(_("All municipalities"), reverse("uitpas:staff")),
            Link(_("The first five years"), reverse("uitpas:staff-cohorts")),
        ]
    elif has_role(user, UITPAS_PARTNER):
        for system in card_systems_for(user).order_by("name"):
            section.links.append(Link(system.name, reverse("uitpas:card-system", args=[system.pk])))
        for municipality in municipalities_for(user).order_by("name"):
            url = reverse("uitpas:municipality", args=[municipality.nis_code])
            section.links.append(Link(municipality.name, url))
    return section if section.links else None
