from django.core.management.base import BaseCommand

from channels.services.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Rewrite every channel's month summaries from the daily counts and status history."

    def handle(self, *args, **options):
        result = summaries_rebuild()
        self.stdout.write(f"{result.rows} channel months written in {result.seconds:.1f} s")
