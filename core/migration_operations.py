"""Operations that migrations share."""

from django.db import migrations


def run_on_postgresql(forward: list[str], backward: list[str]) -> migrations.RunSQL:
    """SQL that Django's schema operations do not write (indexes, statistics, functions), one
    statement per item."""
    return migrations.RunSQL(forward, backward)
