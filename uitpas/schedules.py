from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Rebuild UiTPAS summaries"),
        task="uitpas.rebuild_summaries",
        crontab="10 3 * * *",
        description=_(
            "Same as `python manage.py rebuild_uitpas_summaries`: rewrites the UiTPAS "
            "summary tables from the raw holders, check-ins, redemptions and ticket sales."
        ),
    ),
]
