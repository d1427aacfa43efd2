from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Import events from UiTdatabank"),
        task="events.import_from_search_api",
        crontab="15 2 * * *",
        description=_(
            "Same as `python manage.py import_events --url $UITDATABANK_SEARCH_URL`; "
            "does nothing while UITDATABANK_SEARCH_URL is not set."
        ),
        needs_setting="UITDATABANK_SEARCH_URL",
    ),
]
