"""What the museum dashboards' recent comments need from PostgreSQL (dashboards.selectors.comments).

- A trigram index on the answers' text, for the comment search: Django writes `text__icontains`
  as UPPER(text) LIKE UPPER('%word%'), which a GIN index of the trigrams of UPPER(text) serves;
  ANALYZE also keeps statistics on the indexed expression, so PostgreSQL knows how many
  comments a word matches and picks the plan accordingly.
- Statistics on the responses' museum and holder segment taken together: the holder's language
  and region go together (French speakers live in Wallonia), and without them PostgreSQL
  multiplies the two filters' shares, expects a tenth of the responses a filter on both leaves,
  and sorts them all instead of reading the most recent ones first (bench/dashboards.py).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS surveys_answer_text_search ON surveys_answer "
    "USING gin (upper(text) gin_trgm_ops)",
    "CREATE STATISTICS IF NOT EXISTS surveys_response_segment (dependencies, mcv) "
    "ON museum_id, age_group, language, region FROM surveys_response",
]
BACKWARD = [
    "DROP STATISTICS IF EXISTS surveys_response_segment",
    "DROP INDEX IF EXISTS surveys_answer_text_search",
]


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
