"""The events' UiTdatabank id compared byte by byte (collation "C") on PostgreSQL.

An id has no language: ordered by the database's locale, each comparison in its unique index
went through the C library's collation, which no sort of ids needs. Byte-wise, the index takes
a million new ids in an import about a third faster (docs/benchmarks.md), and every lookup by
id is cheaper. Equality is the same in both. Only the column's indexes are rebuilt, not the
table. Django's model does not name the collation (SQLite has no "C" collation): a later
AlterField of `udb_id` must keep this one.
"""

from django.db import migrations

from core.migration_operations import run_on_postgresql

_COLUMN = "ALTER TABLE curation_event ALTER COLUMN udb_id TYPE varchar(64) COLLATE {}"


class Migration(migrations.Migration):
    dependencies = [("curation", "0011_event_json_columns_as_text")]

    operations = [run_on_postgresql([_COLUMN.format('"C"')], [_COLUMN.format('"default"')])]
