"""Channels on the home page: the staff pages, or a partner user's own channels."""

from django.urls import reverse
from django.utils.translation import gettext as _

from channels.scoping import channels_for
from core.home import Link, Section
from core.roles import is_publiq_staff


def home_section(user) -> Section | None:
    section = Section(_("Publication channels"), position=35)
    if is_publiq_staff(user):
        section.links += [
            Link(_("Publication channels"), reverse("channels:staff")),
            Link(_("All channels"), reverse("channels:list")),
        ]
    elif user.is_authenticated:
        for channel in channels_for(user).order_by("name")[:20]:
            section.links.append(Link(channel.name, reverse("channels:channel", args=[channel.pk])))
    return section if section.links else None
