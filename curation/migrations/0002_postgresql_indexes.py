"""Indexes only PostgreSQL has: trigram search, JSON containment, NULLS LAST order. SQLite (make run) skips them.

They are not in the models' Meta because the same migrations must run on SQLite.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The default order of the admin list: newest `modified` first, events without it last.
    'CREATE INDEX curation_event_modified ON curation_event ("modified" DESC NULLS LAST, "id" DESC)',
    # Admin and API search: UPPER(search_text) LIKE UPPER('%term%'), as Django writes icontains.
    "CREATE INDEX curation_event_search ON curation_event USING gin (upper(search_text) gin_trgm_ops)",
    # Queues filter on labels: labels @> '["museumPASSmusees"]'.
    "CREATE INDEX curation_event_labels ON curation_event USING gin (labels jsonb_path_ops)",
    "CREATE INDEX curation_place_labels ON curation_place USING gin (labels jsonb_path_ops)",
    # Documents are a few kB: lz4 compresses them several times faster than the default pglz.
    "ALTER TABLE curation_event ALTER COLUMN document SET COMPRESSION lz4",
]
BACKWARD = [
    "ALTER TABLE curation_event ALTER COLUMN document SET COMPRESSION default",
    "DROP INDEX IF EXISTS curation_place_labels",
    "DROP INDEX IF EXISTS curation_event_labels",
    "DROP INDEX IF EXISTS curation_event_search",
    "DROP INDEX IF EXISTS curation_event_modified",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
