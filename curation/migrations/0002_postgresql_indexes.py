"""Indexes only PostgreSQL has: trigram search, JSON containment, NULLS LAST order. SQLite (make run) skips them.

They are not in the models' Meta because the same migrations must run on SQLite.
"""

from django.db import migrations

from core.migration_operations import run_on_postgresql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The default order of the admin list: newest `modified` first, events without it last.
    'CREATE INDEX curation_event_modified ON curation_event ("modified" DESC NULLS LAST, "id" DESC)',
    # Admin and API search: UPPER(name_text) LIKE UPPER('%word%'), as Django writes icontains,
    # and the organisers' names and places' cities the search looks up (selectors.py).
    "CREATE INDEX curation_event_name_search ON curation_event "
    "USING gin (upper(name_text) gin_trgm_ops)",
    "CREATE INDEX curation_organizer_name_search ON curation_organizer "
    "USING gin (upper(name_text) gin_trgm_ops)",
    "CREATE INDEX curation_place_city_search ON curation_place USING gin (upper(city) gin_trgm_ops)",
    # Theme filters: term_ids @> '["1.8.2.0.0"]'.
    "CREATE INDEX curation_event_terms ON curation_event USING gin (term_ids jsonb_path_ops)",
    # Queues filter on labels: labels @> '["museumPASSmusees"]'.
    "CREATE INDEX curation_event_labels ON curation_event USING gin (labels jsonb_path_ops)",
    "CREATE INDEX curation_place_labels ON curation_place USING gin (labels jsonb_path_ops)",
    # An event row is about 4 kB, its document included. Kept whole in the table instead of
    # compressed and moved to TOAST past 2 kB, it is written a third faster (docs/benchmarks.md)
    # and read without detoasting, for a larger table. Larger documents still go to TOAST,
    # compressed with lz4, several times faster than the default pglz.
    "ALTER TABLE curation_event SET (toast_tuple_target = 8160)",
    "ALTER TABLE curation_event ALTER COLUMN document SET COMPRESSION lz4",
]
BACKWARD = [
    "ALTER TABLE curation_event ALTER COLUMN document SET COMPRESSION default",
    "ALTER TABLE curation_event RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS curation_place_labels",
    "DROP INDEX IF EXISTS curation_event_labels",
    "DROP INDEX IF EXISTS curation_event_terms",
    "DROP INDEX IF EXISTS curation_place_city_search",
    "DROP INDEX IF EXISTS curation_organizer_name_search",
    "DROP INDEX IF EXISTS curation_event_name_search",
    "DROP INDEX IF EXISTS curation_event_modified",
]


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_initial")]

    operations = [run_on_postgresql(FORWARD, BACKWARD)]
