import time

from django.core.management.base import BaseCommand

from surveys.services.dispatch import surveys_dispatch


class Command(BaseCommand):
    help = "Create the due survey invitations of every active campaign and queue them."

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("selecting eligible visits …")
        result = surveys_dispatch()
        if result.skipped_locked:
            self.stdout.write("another dispatch is running; nothing done")
            return
        self.stdout.write(
            f"{result.created} invitations created, {result.queued} queued for sending "
            f"in {time.monotonic() - started:.1f} s"
        )
