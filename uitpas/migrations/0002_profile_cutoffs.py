from django.db import migrations

DEFAULTS = [
    ("dormant", "Dormant", 0),
    ("occasional", "Occasional", 1),
    ("regular", "Regular", 3),
    ("active", "Active", 6),
    ("very_active", "Very active", 12),
]


def add(apps, schema_editor):
    cutoff = apps.get_model("uitpas", "ProfileCutoff")
    for key, name, minimum in DEFAULTS:
        cutoff.objects.get_or_create(key=key, defaults={"name": name, "minimum": minimum})


class Migration(migrations.Migration):
    dependencies = [("uitpas", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
