"""A PostgreSQL function that counts a filtered event list in one query (EstimatedCountPaginator).

It asks the planner for its estimate first and trusts it when it is far above the exact limit;
otherwise it counts, stopping past the limit. One round trip instead of a count and an EXPLAIN,
and no count at all where it could only confirm the estimate. SQLite (make run) skips it.
"""

from django.db import migrations

from core.migration_operations import run_on_postgresql

FORWARD = """
CREATE OR REPLACE FUNCTION curation_bounded_count(query text, exact_limit bigint, trust_from bigint)
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
"""
BACKWARD = "DROP FUNCTION IF EXISTS curation_bounded_count(text, bigint, bigint)"


class Migration(migrations.Migration):
    dependencies = [("curation", "0008_merge_family_and_document_json")]

    operations = [run_on_postgresql([FORWARD], [BACKWARD])]
