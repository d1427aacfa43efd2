from django.dispatch import Signal

# Sent inside each import batch's transaction once its events are written, with
# `created_ids`, `updated_ids` (Event.pk) and `classified` (the import stored the events'
# family-offer classification with them). Receivers that must agree with the events write in
# this transaction; work that can wait goes out with transaction.on_commit.
events_imported = Signal()
