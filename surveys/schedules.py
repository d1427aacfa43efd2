from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Dispatch surveys"),
        task="surveys.dispatch_surveys",
        crontab="*/5 * * * *",
        description=_(
            "Same as `python manage.py dispatch_surveys`: creates the due invitations "
            "and queues them for sending."
        ),
    ),
    ScheduledJob(
        name=_("Send survey reminders"),
        task="surveys.queue_reminders",
        crontab="15 * * * *",
        description=_("Same as `python manage.py send_survey_reminders`."),
    ),
    ScheduledJob(
        name=_("Sweep survey invitations"),
        task="surveys.sweep_invitations",
        crontab="*/5 * * * *",
        description=_(
            "Same as `python manage.py sweep_invitations`: queues again what a dead "
            "worker left in pending or sending, and marks expired links."
        ),
    ),
]
