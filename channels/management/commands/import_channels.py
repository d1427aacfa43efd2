import datetime

import orjson
from django.core.management.base import CommandError
from django.utils import timezone

from channels.management.imports import ImportCommand
from channels.services.inputs import BadLine, ImportSummary
from channels.services.integrations import (
    InvalidIntegration,
    integration_read,
    integrations_import,
)
from events.services.sources import ReadProgress, read_files


class Command(ImportCommand):
    help = (
        "Import publiq platform Integrations (JSON array or JSON Lines, optionally gzipped), "
        "upserted by id; a new status is recorded with its date. Secrets are never stored. "
        "Exit status: 0 all kept, 1 some documents rejected, 2 an input could not be read."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="the day status changes are recorded on (default: today)",
        )

    def handle(self, *args, **options):
        summary = ImportSummary()
        integrations = []
        for item in read_files(self.paths(options), ReadProgress(), self._unreadable(summary)):
            summary.read += 1
            try:
                if item.error:
                    raise InvalidIntegration(item.error)
                document = item.data if item.raw is None else orjson.loads(item.raw)
                integrations.append(integration_read(document))
            except orjson.JSONDecodeError as error:
                reason = f"malformed JSON at column {error.colno}: {error.msg}"
                summary.bad += 1
                self.bad(BadLine(item.origin, item.position, reason))
            except InvalidIntegration as error:
                summary.bad += 1
                self.bad(BadLine(item.origin, item.position, str(error)))
        if not integrations and not summary.read and not summary.unreadable:
            raise CommandError("no integrations found in the files given", returncode=2)
        day = options["date"] or timezone.localdate()
        counts = integrations_import(
            integrations=integrations, day=day, description="import_channels"
        )
        summary.kept = counts["integrations"]
        summary.notes.append(f"{counts['status_changes']} status changes recorded on {day}")
        self.finish(summary)

    def _unreadable(self, summary: ImportSummary):
        def unreadable(message: str) -> None:
            summary.unreadable.append(message)
            self.unreadable(message)

        return unreadable
