"""What else happens when the import writes events: the one place later features plug in.

`events_imported` runs inside the transaction of each import batch, right after its events and
their terms are written, with the ids (Event.pk) of the events created and updated by that
batch. Derived rows that must never disagree with the events (the family-offer classification)
are written here, in the same transaction; work that can wait (rebuilding review queues, URL
checks) is queued with `transaction.on_commit`, so it never runs for a batch that rolled back.
"""


def events_imported(*, created_ids: list[int], updated_ids: list[int]) -> None:
    """Nothing yet: review queues and the family-offer rule will hook in here."""
