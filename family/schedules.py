from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Classify family offer"),
        task="family.classify",
        crontab="0 4 * * *",
        description=_(
            "Same as `python manage.py classify_family`: every event by the active family-offer "
            "rule (only changed results are written), then the family queue. Imports classify "
            "their events as they go."
        ),
    ),
]
