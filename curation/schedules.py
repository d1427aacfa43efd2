from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Build review queues"),
        task="curation.build_queues",
        crontab="30 4 * * *",
        description=_(
            "Same as `python manage.py build_queues`. Imports also add their events to the "
            "queues as they go."
        ),
    ),
    ScheduledJob(
        name=_("Check online URLs"),
        task="curation.check_urls",
        crontab="30 5 * * *",
        description=_("Same as `python manage.py check_urls`: URLs of live virtual-offer tasks."),
    ),
]
