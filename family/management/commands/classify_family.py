from datetime import datetime
from datetime import time as clock

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.progress import ProgressLine
from family.services.classify import ClassifyResult, family_recompute


class Command(BaseCommand):
    help = (
        "Classify events by the active family-offer rule: every event, or those imported since "
        "--since. Writes only results that changed, then updates the family queue. Also "
        "nightly in Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            help="only events imported since this ISO 8601 date or date and time (local time "
            "without an offset)",
        )

    def handle(self, *args, since=None, **options):
        moment = _moment(since) if since else None
        progress = _Progress(self.stderr)
        result, builds = family_recompute(since=moment, on_progress=progress.update)
        progress.finish()
        self.stdout.write(result.line())
        for build in builds:
            self.stdout.write(build.line())


def _moment(raw: str) -> datetime:
    try:  # a date alone is its midnight; neither: combine() refuses parse_date's None
        moment = parse_datetime(raw) or datetime.combine(parse_date(raw), clock.min)
    except (TypeError, ValueError):
        raise CommandError(f"--since {raw!r} is not an ISO 8601 date or date and time") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class _Progress(ProgressLine):
    def update(self, result: ClassifyResult, total: int) -> None:
        elapsed = self.due()
        if elapsed is None:
            return
        share = result.classified / total if total else 1
        self.show(
            f"{share:6.1%} {result.classified:,} of {total:,} events, "
            f"{result.classified / elapsed:,.0f}/s; "
            f"written {result.written:,}, family {result.family:,}"
        )
