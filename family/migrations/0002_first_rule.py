"""The first version of the family-offer rule (family/defaults.py), active."""

from django.db import migrations


def create_rule(apps, schema_editor):
    from family.defaults import create_default_rule

    create_default_rule(apps.get_model("family", "FamilyRule"), apps.get_model("events", "Term"))


class Migration(migrations.Migration):
    dependencies = [("family", "0001_initial"), ("events", "0003_load_terms")]

    operations = [migrations.RunPython(create_rule, migrations.RunPython.noop)]
