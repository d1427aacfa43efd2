from django.core.management.base import BaseCommand

from curation.services.checks import URL_RECHECK_DAYS, urls_to_check
from curation.services.url_check import HostRateLimited, event_url_check
from curation.tasks import check_urls
from events.models import Event


class Command(BaseCommand):
    help = (
        "Check the online URLs of events with a live virtual-offer task that were not checked "
        "lately: queued as Celery tasks, or here with --now. Also nightly in Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=URL_RECHECK_DAYS,
            help=("check URLs not checked in this many days (default %(default)s)"),
        )
        parser.add_argument("--now", action="store_true", help="check here, one after another")

    def handle(self, *args, days, now, **options):
        if not now:
            self.stdout.write(check_urls(days=days))
            return
        event_ids = urls_to_check(days=days)
        limited = 0
        for number, event in enumerate(Event.objects.filter(pk__in=event_ids), start=1):
            try:
                check = event_url_check(event=event)
            except HostRateLimited:
                limited += 1
                continue
            self.stderr.write(
                f"[{number}/{len(event_ids)}] {check.url}: "
                f"{check.status_code or ''} {check.error}".rstrip()
            )
        self.stdout.write(f"checked {len(event_ids) - limited}, left for later {limited}")
