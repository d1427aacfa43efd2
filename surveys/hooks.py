"""Hook points for derived data (issue 7's summary tables); see museumpas.hooks."""

from museumpas.hooks import Hook

# responses_stored(response_ids: list[int]): these responses were committed.
responses_stored = Hook("responses_stored")
