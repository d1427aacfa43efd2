"""The events' UiTdatabank id is compared byte by byte (the "C" collation)."""

import pytest
from django.db import connection

from events.models import Event
from events.services import event_import
from tests.events.factories import EventDocumentFactory
from tests.events.test_command_import_events import jsonl, run

pytestmark = pytest.mark.django_db


def test_the_id_column_has_the_bytewise_collation():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'events_event' AND column_name = 'udb_id'"
        )
        assert cursor.fetchone() == ("C",)


def test_lookups_by_id_still_use_the_unique_index_and_find_any_case(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_bytes(jsonl(EventDocumentFactory.create_batch(3)))
    assert run(path)[0] == 0
    wanted = Event.objects.values_list("udb_id", flat=True).first()
    with connection.cursor() as cursor:
        # Fresh statistics: without them the planner may tie this index with another one
        # (it took events_event_modified after other tests had filled and emptied the table).
        cursor.execute("ANALYZE events_event")
        cursor.execute("SET LOCAL enable_seqscan = off")
        query = Event.objects.filter(udb_id=wanted).values("id").query
        sql, params = query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "EXPLAIN SELECT id FROM events_event WHERE udb_id = ANY(%s::varchar[])", [[wanted]]
        )
        any_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "events_event_udb_id" in plan
    assert "events_event_udb_id" in any_plan
    # The import's own lookup of stored versions (an array of ids) finds them.
    lookup = event_import._Lookup()
    lookup.fetch([wanted, "not-there"])
    assert set(lookup.versions) == {wanted}
    assert Event.objects.filter(udb_id__icontains=wanted.upper()[:8]).exists()
