from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import print_logins

# Each app's demo module has seed(*, out) and may be run any number of times.
DEMO_STEPS = (
    "core.demo",
    "events.demo",
    "curation.demo",
    "family.demo",
    "museumpas.demo",
    "surveys.demo",
    "dashboards.demo",
)


class Command(BaseCommand):
    help = "Load the demo data (users, events, museums, surveys). Safe to run again."

    def handle(self, *args, **options):
        for module_name in DEMO_STEPS:
            module = import_module(module_name)
            with transaction.atomic():
                module.seed(out=self.stdout)
        print_logins(out=self.stdout)
