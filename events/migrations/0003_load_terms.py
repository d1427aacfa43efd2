"""The official UiTdatabank taxonomy (events/data/terms.json) with its legacy labels."""

from django.db import migrations


def load(apps, schema_editor):
    from events.services.taxonomy import taxonomy_apply, taxonomy_rows

    taxonomy_apply(apps.get_model("events", "Term"), taxonomy_rows())


class Migration(migrations.Migration):
    dependencies = [("events", "0002_postgresql")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
