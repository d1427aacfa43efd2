"""The home page: each area's daily entry points and what needs attention there.

Each app may declare `home_section(user)` in its own `home.py`, returning a `Section` or None
(core imports no app: it reads them with app_modules, as it reads roles and schedules). A
section's queries are a few counts, whatever the data.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.app_modules import app_modules
from core.schedules import default_schedules


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int | None = None  # shown beside the label (open tasks, failed invitations)


@dataclass
class Section:
    title: str
    links: list[Link] = field(default_factory=list)
    attention: list[Link] = field(default_factory=list)
    position: int = 50  # the order of the sections on the page


def home_sections(user) -> list[Section]:
    sections = []
    for module in app_modules("home"):
        if hasattr(module, "home_section") and (section := module.home_section(user)):
            sections.append(section)
    return sorted(sections, key=lambda section: section.position)


def home_section(user) -> Section | None:
    """Administrators: the admin's daily pages, schedules off until configured, lock-outs."""
    if not user.is_superuser:  # the pages below are the administrators' only
        return None
    from axes.models import AccessAttempt
    from django_celery_beat.models import PeriodicTask

    schedules = reverse("admin:django_celery_beat_periodictask_changelist")
    section = Section(
        _("Administration"),
        links=[
            Link(_("Administration"), reverse("admin:index")),
            Link(_("Periodic tasks"), schedules),
            Link(_("Login attempts"), reverse("admin:axes_accessattempt_changelist")),
        ],
        position=90,
    )
    waiting = [job for job in default_schedules() if job.unconfigured()]
    disabled = dict(
        PeriodicTask.objects.filter(
            task__in=[job.task for job in waiting], enabled=False
        ).values_list("task", "name")
    )
    for job in waiting:
        if job.task in disabled:
            text = _("“%(name)s” is off until %(setting)s is set") % {
                "name": disabled[job.task],
                "setting": job.needs_setting,
            }
            section.attention.append(Link(text, schedules))
    since = timezone.now() - datetime.timedelta(minutes=settings.AXES_COOLOFF_TIME * 60)
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).count()
    if locked:
        text = ngettext("%(count)d login locked out", "%(count)d logins locked out", locked)
        section.attention.append(
            Link(text % {"count": locked}, reverse("admin:axes_accessattempt_changelist"), locked)
        )
    return section
