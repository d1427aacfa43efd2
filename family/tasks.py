from celery import shared_task

from family.services.classify import family_recompute


@shared_task(name="family.classify")
def classify_family() -> str:
    """The nightly recomputation of the family-offer labels (also queued when a rule version
    is activated)."""
    result, builds = family_recompute()
    return "\n".join([result.line(), *(build.line() for build in builds)])
