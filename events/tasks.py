from celery import shared_task
from django.conf import settings

from events.services.search_api import events_import_from_search_api


@shared_task(name="events.import_from_search_api")
def import_events_from_search_api() -> str:
    """The scheduled pull from UITDATABANK_SEARCH_URL; idle when unset."""
    if not settings.UITDATABANK_SEARCH_URL:
        return "UITDATABANK_SEARCH_URL is not set: nothing to import"
    summary = events_import_from_search_api(url=settings.UITDATABANK_SEARCH_URL)
    return "\n".join([*(f"cannot read {line}" for line in summary.unreadable), summary.line()])
