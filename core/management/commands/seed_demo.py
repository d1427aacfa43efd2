from django.core.management.base import BaseCommand
from django.db import transaction

from core.app_modules import app_modules
from core.demo import print_logins


class Command(BaseCommand):
    help = "Load the demo data (users, events, museums, surveys). Safe to run again."

    def handle(self, *args, **options):
        # Each app's demo module has seed(*, out), safe to run any number of times; apps come
        # in INSTALLED_APPS order, so a demo finds what the apps below it made.
        for module in app_modules("demo"):
            with transaction.atomic():
                module.seed(out=self.stdout)
        print_logins(out=self.stdout)
