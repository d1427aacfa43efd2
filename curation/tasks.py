import io

from celery import shared_task
from django.conf import settings
from django.core.management import call_command


@shared_task(name="curation.import_events_from_search_api")
def import_events_from_search_api() -> str:
    """The scheduled pull: `import_events --url $UITDATABANK_SEARCH_URL`; idle when unset."""
    if not settings.UITDATABANK_SEARCH_URL:
        return "UITDATABANK_SEARCH_URL is not set: nothing to import"
    out = io.StringIO()
    try:
        call_command("import_events", url=settings.UITDATABANK_SEARCH_URL, stdout=out, stderr=out)
    except SystemExit as exit:
        return f"{out.getvalue().strip()}\nexit status {exit.code}"
    return out.getvalue().strip()
