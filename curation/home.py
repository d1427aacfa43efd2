"""Curators' entry points on the home page: the queues with their open tasks."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import Link, Section
from core.roles import CURATOR, has_role
from curation.selectors import queues_with_counts, tasks_held_by


def home_section(user) -> Section | None:
    if not has_role(user, CURATOR):
        return None
    section = Section(_("Curation"), position=10)
    section.links.append(Link(_("Queues"), reverse("curation:overview")))
    for queue in queues_with_counts():
        url = reverse("curation:queue", args=[queue.slug])
        section.links.append(Link(queue.name, url, queue.open))
    held = tasks_held_by(user).count()
    if held:
        section.attention.append(Link(_("My tasks"), reverse("curation:overview"), held))
    return section
