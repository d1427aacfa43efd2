from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name="Classify family offer",
        task="family.classify",
        crontab="0 4 * * *",
        description=(
            "Same as `python manage.py classify_family`: every event by the active family-offer "
            "rule (only changed results are written), then the family queue. Imports classify "
            "their events as they go."
        ),
    ),
]
