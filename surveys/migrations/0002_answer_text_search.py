"""A trigram index on the answers' text, for the comment search of the museum dashboards.

Django writes `text__icontains` as UPPER(text) LIKE UPPER('%word%'); a GIN index of the
trigrams of UPPER(text) serves that condition, and ANALYZE keeps statistics on the indexed
expression, so PostgreSQL also knows how many comments a word matches. PostgreSQL only: SQLite
(make run) skips it, like the indexes of curation/migrations/0002_postgresql_indexes.py.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS surveys_answer_text_search ON surveys_answer "
    "USING gin (upper(text) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS surveys_answer_text_search"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
