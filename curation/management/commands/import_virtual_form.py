from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from curation.models import Queue, QueueKind
from curation.services.queues import queues_build
from curation.services.virtual_form import FormFileError, virtual_form_import


class Command(BaseCommand):
    help = (
        "Import the CSV export of the virtual-offer form (columns: title, description, url, "
        "kind, start, end, organiser, contact_email): valid rows become events from the form "
        "in the virtual-offer queue; each bad row is reported with its line and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            result = virtual_form_import(path=file)
        except FormFileError as error:
            raise CommandError(str(error)) from None
        for error in result.errors:
            self.stderr.write(f"{file}, line {error.line}: {error.reason}")
        if result.created:
            virtual = Queue.objects.filter(kind=QueueKind.VIRTUAL, is_active=True)
            for built in queues_build(queues=virtual, event_ids=result.created):
                self.stderr.write(built.line())
        self.stdout.write(result.line())
        if result.errors:
            raise SystemExit(1)
