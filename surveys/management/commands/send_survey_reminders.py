from django.core.management.base import BaseCommand
from django.db import transaction

from surveys.services.sending import reminders_queue_due


class Command(BaseCommand):
    help = "Queue the reminders that are due (one per invitation at most, never after a response)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = reminders_queue_due()
        self.stdout.write(f"{count} reminders queued")
