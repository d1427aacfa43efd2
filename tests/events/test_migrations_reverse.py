"""The catalogue migrates back to nothing, taking curation and family with it, and forward."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from curation.models import Queue
from events.models import Term
from family.models import FamilyRule


@pytest.mark.django_db(transaction=True)
def test_events_migrate_back_to_zero_with_their_dependents_and_forward_again():
    out = io.StringIO()
    try:
        call_command("migrate", "events", "zero", stdout=out, verbosity=1)
        tables = set(connection.introspection.table_names())
        assert not {Term._meta.db_table, Queue._meta.db_table, FamilyRule._meta.db_table} & tables
    finally:
        call_command("migrate", stdout=out, verbosity=1)
    assert "Unapplying events.0002_postgresql... OK" in out.getvalue()
    assert "Unapplying curation.0001_initial... OK" in out.getvalue()
    assert Queue.objects.exists()  # the default queues, made again
    assert FamilyRule.objects.filter(is_active=True).exists()
    assert Term.objects.filter(in_taxonomy=True).exists()
