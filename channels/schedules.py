from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Rebuild channel summaries"),
        task="channels.rebuild_summaries",
        crontab="50 2 * * *",
        description=_(
            "Same as `python manage.py rebuild_channel_summaries`: rewrites every "
            "channel's month figures from the daily widget counts, API usage and status history."
        ),
    ),
]
