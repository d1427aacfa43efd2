from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name="Import events from UiTdatabank",
        task="curation.import_events_from_search_api",
        crontab="15 2 * * *",
        description=(
            "Same as `python manage.py import_events --url $UITDATABANK_SEARCH_URL`; "
            "does nothing while UITDATABANK_SEARCH_URL is not set."
        ),
    ),
    ScheduledJob(
        name="Build review queues",
        task="curation.build_queues",
        crontab="30 4 * * *",
        description=(
            "Same as `python manage.py build_queues`. Imports also add their events to the "
            "queues as they go."
        ),
    ),
    ScheduledJob(
        name="Check online URLs",
        task="curation.check_urls",
        crontab="30 5 * * *",
        description="Same as `python manage.py check_urls`: URLs of live virtual-offer tasks.",
    ),
]
