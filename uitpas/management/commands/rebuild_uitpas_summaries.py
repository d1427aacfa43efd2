from django.core.management.base import BaseCommand

from uitpas.services.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Rebuild the UiTPAS summary tables from the raw records (nightly in beat)."

    def handle(self, *args, **options):
        result = summaries_rebuild()
        self.stdout.write(f"{result['periods']} periods rebuilt in {result['seconds']} s")
