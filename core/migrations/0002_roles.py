from django.db import migrations

ROLES = ("curator", "survey manager", "museum")


def create_roles(apps, schema_editor):
    # The groups exist from the first migrate on; core.roles.sync_roles (run after every
    # migrate) gives them the permissions that each app declares in its roles.py.
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
