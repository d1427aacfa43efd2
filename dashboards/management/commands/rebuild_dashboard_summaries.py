from django.core.management.base import BaseCommand

from dashboards.services.summaries import summaries_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the dashboards' summary tables from the raw visits, passes, invitations and "
        "responses, a month per transaction (pages keep reading the old rows until then)."
    )

    def handle(self, *args, **options):
        result = summaries_rebuild(progress=self._progress)
        self.stderr.write("")
        self.stdout.write(f"{result.months} months rebuilt in {result.seconds:.1f} s")

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"  … month {done} of {total}", ending="\r")
