"""What the models cannot say: trigram and JSON-containment indexes, the admin's default
order, row storage of the events, and the bounded count of filtered lists."""

from django.db import migrations

FORWARD = [
    # The default order of the admin list: newest `modified` first, events without it last.
    'CREATE INDEX events_event_modified ON events_event ("modified" DESC NULLS LAST, "id" DESC)',
    # Admin and API search: UPPER(name_text) LIKE UPPER('%word%'), as Django writes icontains,
    # and the organisers' names and places' cities the search looks up (selectors.py).
    "CREATE INDEX events_event_name_search ON events_event "
    "USING gin (upper(name_text) gin_trgm_ops)",
    "CREATE INDEX events_organizer_name_search ON events_organizer "
    "USING gin (upper(name_text) gin_trgm_ops)",
    "CREATE INDEX events_place_city_search ON events_place USING gin (upper(city) gin_trgm_ops)",
    # Theme filters: term_ids @> '["1.8.2.0.0"]'; queues filter on labels.
    "CREATE INDEX events_event_terms ON events_event USING gin (term_ids jsonb_path_ops)",
    "CREATE INDEX events_event_labels ON events_event USING gin (labels jsonb_path_ops)",
    "CREATE INDEX events_place_labels ON events_place USING gin (labels jsonb_path_ops)",
    # Rows kept whole in the table up to a page instead of moved to TOAST past 2 kB: written
    # faster and read without detoasting; larger documents go to TOAST compressed with lz4.
    "ALTER TABLE events_event SET (toast_tuple_target = 8160)",
    "ALTER TABLE events_event ALTER COLUMN document SET COMPRESSION lz4",
    # A filtered list's count in one round trip: the planner's estimate when it is far above
    # the exact limit, otherwise a count that stops past the limit (EstimatedCountPaginator).
    """
CREATE FUNCTION events_bounded_count(query text, exact_limit bigint, trust_from bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan json;
    estimate bigint;
    counted bigint;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    estimate := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
    IF estimate >= trust_from THEN
        RETURN estimate;
    END IF;
    EXECUTE 'SELECT count(*) FROM (' || query || ' LIMIT ' || (exact_limit + 1) || ') AS bounded'
        INTO counted;
    IF counted <= exact_limit THEN
        RETURN counted;
    END IF;
    RETURN greatest(counted, estimate);
END
$$
""",
]
BACKWARD = [
    "DROP FUNCTION events_bounded_count(text, bigint, bigint)",
    "ALTER TABLE events_event ALTER COLUMN document SET COMPRESSION default",
    "ALTER TABLE events_event RESET (toast_tuple_target)",
    "DROP INDEX events_place_labels",
    "DROP INDEX events_event_labels",
    "DROP INDEX events_event_terms",
    "DROP INDEX events_place_city_search",
    "DROP INDEX events_organizer_name_search",
    "DROP INDEX events_event_name_search",
    "DROP INDEX events_event_modified",
]


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        # Other apps' indexes use it too: never dropped on the way back.
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
