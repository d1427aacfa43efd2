"""The curation app migrates back to its first migration and forward again."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from curation.models import FamilyRule, Queue, Term


@pytest.mark.django_db(transaction=True)
def test_curation_migrates_back_to_0001_and_forward_again():
    out = io.StringIO()
    try:
        call_command("migrate", "curation", "0001", stdout=out, verbosity=1)
        tables = set(connection.introspection.table_names())
        assert Queue._meta.db_table not in tables
        assert Term._meta.db_table in tables
    finally:
        call_command("migrate", stdout=out, verbosity=1)
    assert "Unapplying curation.0002_postgresql_indexes... OK" in out.getvalue()
    assert Queue.objects.exists()  # the default queues, made again
    assert FamilyRule.objects.exists()
    assert Term.objects.filter(in_taxonomy=True).exists()
