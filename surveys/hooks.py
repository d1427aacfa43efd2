"""Hook points for derived data (issue 7's summary tables); see core.hooks."""

from core.hooks import Hook

# responses_stored(response_ids: list[int]): these responses were committed.
responses_stored = Hook("responses_stored")

# invitations_sent(invitation_ids: list[int]): these invitations reached the SMTP server (the
# response rate's base changed).
invitations_sent = Hook("invitations_sent")
