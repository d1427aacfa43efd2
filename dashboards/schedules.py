from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Rebuild dashboard summaries"),
        task="dashboards.rebuild_summaries",
        crontab="40 2 * * *",
        description=_(
            "Same as `python manage.py rebuild_dashboard_summaries`: rewrites every "
            "summary table from the raw visits, passes, invitations and responses."
        ),
    ),
]
