"""Event.document as PostgreSQL `text`, name and description as `json` (see curation/fields.py).

Changing a type rewrites the table and forgets the document's compression: documents larger
than a row page go to TOAST compressed with lz4 again, as migration 0004 had it. Text becomes
`json` again only by an explicit cast, hence the SQL of its own (SQLite keeps JSON as text).
"""

from django.db import migrations

import curation.fields
from core.migration_operations import run_on_postgresql

_COMPRESS = "ALTER TABLE curation_event ALTER COLUMN document SET COMPRESSION lz4"


class Migration(migrations.Migration):
    dependencies = [("curation", "0010_deferred_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="document",
                    field=curation.fields.JSONDocumentField(verbose_name="document as received"),
                ),
            ],
            database_operations=[
                run_on_postgresql(
                    ["ALTER TABLE curation_event ALTER COLUMN document TYPE text", _COMPRESS],
                    [
                        "ALTER TABLE curation_event ALTER COLUMN document TYPE json "
                        "USING document::json",
                        _COMPRESS,
                    ],
                ),
            ],
        ),
        migrations.AlterField(
            model_name="event",
            name="name",
            field=curation.fields.JSONTextField(default=dict, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="event",
            name="description",
            field=curation.fields.JSONTextField(
                blank=True, default=dict, verbose_name="description"
            ),
        ),
    ]
