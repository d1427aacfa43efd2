"""The official UiTdatabank taxonomy (curation/data/terms.json) with its legacy labels."""

from django.db import migrations


def load(apps, schema_editor):
    from curation.services.taxonomy import taxonomy_apply, taxonomy_rows

    taxonomy_apply(apps.get_model("curation", "Term"), taxonomy_rows())


class Migration(migrations.Migration):
    dependencies = [("curation", "0002_postgresql_indexes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
