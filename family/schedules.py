from django.utils.translation import gettext_lazy as _

from core.schedules import ScheduledJob

SCHEDULES = [
    ScheduledJob(
        name=_("Train the family-offer model"),
        task="family.train",
        crontab="30 3 * * *",
        description=_(
            "Same as `python manage.py family_model train`, from every curated family label; "
            "the new version is activated only when its cross-validated recall at the "
            "precision floor (FAMILY_MIN_PRECISION) is at least the active version's. Before "
            "the classification, which then uses it."
        ),
    ),
    ScheduledJob(
        name=_("Classify family offer"),
        task="family.classify",
        crontab="0 4 * * *",
        description=_(
            "Same as `python manage.py classify_family`: every event by the active family-offer "
            "rule and model (only changed results are written), then the family queue. Imports "
            "classify their events as they go."
        ),
    ),
]
