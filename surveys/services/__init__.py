"""Writes of the surveys app, by sub-domain: dispatch (who is invited), sending (the ledger and
SMTP), responses (the public form), opt_outs, privacy (erasing a holder)."""
