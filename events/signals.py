from django.dispatch import Signal

# Sent inside each import batch's transaction once its events are written, with `created_ids`
# and `updated_ids` (Event.pk) and, from the JSON-LD import, `rows`: each event's values as
# written, keyed by column. Receivers that must agree with the events (the family-offer
# classification) write in this transaction; work that can wait goes out on commit.
events_imported = Signal()
