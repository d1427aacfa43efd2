from django.core.management.base import BaseCommand, CommandError

from curation.models import Queue
from curation.services.queues import queues_build


class Command(BaseCommand):
    help = (
        "Build the review queues: a task for each event a queue should hold, open tasks "
        "withdrawn for events it no longer should. Also nightly in Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="append",
            dest="slugs",
            metavar="SLUG",
            help=("only this queue (repeatable); default: every active queue"),
        )

    def handle(self, *args, slugs=None, **options):
        queues = None
        if slugs:
            queues = list(Queue.objects.filter(slug__in=slugs))
            missing = set(slugs) - {queue.slug for queue in queues}
            if missing:
                raise CommandError(f"no queue with the slug {', '.join(sorted(missing))}")
        for result in queues_build(queues=queues):
            self.stdout.write(result.line())
