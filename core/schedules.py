"""Default Celery beat schedules, declared by each app in its own `schedules.py`.

An app lists `SCHEDULES = [ScheduledJob(...)]`; after every migrate the missing ones are created
as django-celery-beat periodic tasks. Existing rows are left alone: once created, a schedule
belongs to the administrators, who change or disable it in the admin.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.app_modules import app_modules

CRONTAB_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


@dataclass(frozen=True)
class ScheduledJob:
    name: str  # translated: created in the site's language (LANGUAGE_CODE)
    task: str  # the key: a schedule exists when a periodic task runs this task
    crontab: str  # "minute hour day-of-month month day-of-week", as in cron
    description: str = ""
    # A setting the job cannot work without: while it is empty the schedule is created
    # disabled, saying why, rather than running every night to do nothing.
    needs_setting: str = ""

    def unconfigured(self) -> bool:
        return bool(self.needs_setting) and not getattr(settings, self.needs_setting, "")

    def created_description(self) -> str:
        if not self.unconfigured():
            return self.description
        why = gettext(
            "Created disabled: %(setting)s is not set. Set it, then enable this schedule."
        ) % {"setting": self.needs_setting}
        return f"{why} {self.description}".strip()


SCHEDULES = [
    ScheduledJob(
        name=_("Clear expired sessions"),
        task="core.clear_expired_sessions",
        crontab="30 3 * * *",
        description=_("Same as `python manage.py clearsessions`."),
    ),
]


def default_schedules() -> list[ScheduledJob]:
    modules = app_modules("schedules")
    return [job for module in modules for job in getattr(module, "SCHEDULES", [])]


def sync_default_schedules(using: str = "default") -> list[str]:
    """Create the periodic tasks that do not exist yet, named in the site's language; return
    the names created. A job exists when a periodic task runs its task, whatever its name."""
    with translation.override(settings.LANGUAGE_CODE):
        return _sync(using)


def _sync(using: str) -> list[str]:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = []
    for job in default_schedules():
        if PeriodicTask.objects.using(using).filter(task=job.task).exists():
            continue
        fields = dict(zip(CRONTAB_FIELDS, job.crontab.split(), strict=True))
        schedule, _ = CrontabSchedule.objects.using(using).get_or_create(
            **fields, timezone=settings.TIME_ZONE
        )
        PeriodicTask.objects.using(using).create(
            name=str(job.name),
            task=job.task,
            crontab=schedule,
            description=job.created_description(),
            enabled=not job.unconfigured(),
        )
        created.append(str(job.name))
    return created
