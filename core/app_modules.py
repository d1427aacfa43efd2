from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> Iterator[ModuleType]:
    """Each installed app's module `name` (roles, schedules, demo), in INSTALLED_APPS order:
    how core reads what higher apps declare without importing them by name."""
    for app_config in apps.get_app_configs():
        try:
            yield import_module(f"{app_config.name}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.{name}":
                raise
