"""Dashboards on the home page: the staff pages for publiq staff, a museum user's museums."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import Link, Section
from core.roles import MUSEUM, has_role, is_publiq_staff
from dashboards.scoping import museums_for


def home_section(user) -> Section | None:
    section = Section(_("Dashboards"), position=30)
    if is_publiq_staff(user):
        section.links += [
            Link(_("All museums"), reverse("dashboards:staff")),
            Link(_("Period comparison"), reverse("dashboards:comparison")),
        ]
    elif has_role(user, MUSEUM):
        for museum in museums_for(user).order_by("name"):
            section.links.append(Link(museum.name, reverse("dashboards:museum", args=[museum.pk])))
    return section if section.links else None
