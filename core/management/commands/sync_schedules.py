from django.core.management.base import BaseCommand

from core.schedules import default_schedules, sync_default_schedules


class Command(BaseCommand):
    help = "Create the default Celery beat schedules that do not exist yet (never edits others)."

    def handle(self, *args, **options):
        created = sync_default_schedules()
        for name in created:
            self.stdout.write(f"created: {name}")
        self.stdout.write(f"{len(created)} created, {len(default_schedules()) - len(created)} kept")
