from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Users and audit")

    def ready(self):
        # Roles and beat schedules live in the database so administrators can change them. After
        # every migrate, missing ones are created; an administrator's edits are never undone.
        post_migrate.connect(_sync_after_migrate, sender=self)


def _sync_after_migrate(sender, using="default", **kwargs):
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from core.roles import sync_roles
    from core.schedules import sync_default_schedules

    # Apps after core in INSTALLED_APPS get their permissions later in this same signal;
    # roles need them now. create_permissions is idempotent.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles(using=using)
    sync_default_schedules(using=using)
