import logging

from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.dispatch import receiver

from events.signals import events_imported

logger = logging.getLogger(__name__)


@receiver(events_imported)
def queue_build_after_import(sender, created_ids, updated_ids, **kwargs) -> None:
    event_ids = [*created_ids, *updated_ids]
    transaction.on_commit(lambda: _queue_build(event_ids))


def _queue_build(event_ids: list[int]) -> None:
    """The nightly build catches up if the broker is down: that must not fail the import."""
    from curation.tasks import build_queues_for_events

    try:
        build_queues_for_events.delay(event_ids)
    except Exception:
        logger.exception("could not queue the review-queue build of %d events", len(event_ids))


@receiver(user_logged_out)
def set_asides_clear_on_logout(sender, user, **kwargs) -> None:
    from curation.services.queues import set_asides_clear

    if user is not None:
        set_asides_clear(curator=user)
