"""The first version of the family-offer rule (curation/family_defaults.py), active."""

from django.db import migrations


def create_rule(apps, schema_editor):
    from curation.family_defaults import create_default_rule

    create_default_rule(apps.get_model("curation", "FamilyRule"), apps.get_model("curation", "Term"))


class Migration(migrations.Migration):
    dependencies = [("curation", "0006_family")]

    operations = [migrations.RunPython(create_rule, migrations.RunPython.noop)]
