"""The queues the deck names (curation/default_queues.py); administrators change them later."""

from django.db import migrations


def create_queues(apps, schema_editor):
    from curation.default_queues import create_default_queues

    create_default_queues(apps.get_model("curation", "Queue"))


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_initial")]

    operations = [migrations.RunPython(create_queues, migrations.RunPython.noop)]
