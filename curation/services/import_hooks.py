"""What else happens when the import writes events: the one place later features plug in.

`events_imported` runs inside the transaction of each import batch, right after its events and
their terms are written, with the ids (Event.pk) of the events created and updated by that
batch. Derived rows that must never disagree with the events (the family-offer classification)
are written here, in the same transaction, unless the caller wrote them with the events
(`classified`: the import's COPY writer does); work that can wait (rebuilding review queues, URL
checks) is queued with `transaction.on_commit`, so it never runs for a batch that rolled back.

It may run in the import's writer thread: `transaction.on_commit` then belongs to that thread's
connection and fires when the batch commits there.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def events_imported(
    *, created_ids: list[int], updated_ids: list[int], classified: bool = False
) -> None:
    """`classified`: the caller stored the events' family-offer classification with them."""
    event_ids = [*created_ids, *updated_ids]
    if not classified:
        _classify_family(event_ids)
    transaction.on_commit(lambda: _queue_build(event_ids))


def _classify_family(event_ids: list[int]) -> None:
    """The family-offer label of the batch's events, in the batch's transaction: an event is
    never stored without it, and the queue build queued below reads it. One query reads the
    batch back and only changed rows are written (docs/benchmarks.md: its cost per event)."""
    from curation.services.family_classify import family_classify_events

    family_classify_events(event_ids=event_ids)


def _queue_build(event_ids: list[int]) -> None:
    """Review queues take the batch's events in a Celery task; the nightly build catches up
    if the broker is down, so a broker failure must not fail the import."""
    from curation.tasks import build_queues_for_events

    try:
        build_queues_for_events.delay(event_ids)
    except Exception:
        logger.exception("could not queue the review-queue build of %d events", len(event_ids))
