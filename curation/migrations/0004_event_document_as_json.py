"""Event.document as PostgreSQL `json` (the exact text) instead of `jsonb` (see curation/fields.py).

Changing the type rewrites the table and forgets the column's compression: documents larger
than a row page go to TOAST compressed with lz4 again, as migration 0002 had it.
"""

from django.db import migrations

import curation.fields


def compress_with_lz4(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE curation_event ALTER COLUMN document SET COMPRESSION lz4")


class Migration(migrations.Migration):
    dependencies = [("curation", "0003_load_terms")]

    # Compression is set again after the type changed, in either direction.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, compress_with_lz4),
        migrations.AlterField(
            model_name="event",
            name="document",
            field=curation.fields.JSONTextField(verbose_name="document as received"),
        ),
        migrations.RunPython(compress_with_lz4, migrations.RunPython.noop),
    ]
