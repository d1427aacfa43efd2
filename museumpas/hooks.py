"""What the Museumpas data announces to apps that keep derived data (core.hooks)."""

from core.hooks import Hook

# visits_stored(museum_days: set[tuple[int, datetime.date]]): visits were added or changed for
# these (museum id, local visit date) pairs.
visits_stored = Hook("visits_stored")

# passes_stored(museum_days: set[tuple[int, datetime.date]]): passes sold by these museums
# (`sold_by`) were added or changed, for these (museum id, valid_from) pairs.
passes_stored = Hook("passes_stored")
