import sys

from django.core.management.base import BaseCommand, CommandError

from core.progress import ProgressLine
from events.services.sources import InputError, ReadProgress, expand_paths, read_files
from uitpas.services import imports
from uitpas.services.summaries import summaries_refresh

REJECTIONS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import UiTPAS records of one KIND: card-systems, passholders, checkins, redemptions, "
        "ticket-sales (API objects as JSON Lines, optionally gzipped, or a JSON array) or "
        'municipalities, population (CSV). Upserts by id; {"id": ..., "deleted": true} '
        "removes a record. Exit status: 0 all imported, 1 some records rejected, 2 an input "
        "could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=imports.KINDS)
        parser.add_argument("paths", nargs="+", help="files or directories to import")
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="leave the summaries to the nightly rebuild (a large first import)",
        )

    def handle(self, *args, **options):
        kind = options["kind"]
        self.shown = 0
        try:
            files = expand_paths(options["paths"])
        except InputError as error:
            raise CommandError(f"{error}; nothing was imported.", returncode=2) from None
        read = self._csv if kind in imports.CSV_KINDS else self._json
        summary = read(kind, files)
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        if self.shown < summary.rejected:
            self.stderr.write(f"... and {summary.rejected - self.shown} more rejected")
        self.stdout.write(summary.line())
        if not options["no_refresh"] and (summary.holders or summary.everything):
            refreshed = summaries_refresh(None if summary.everything else summary.holders)
            self.stdout.write(f"summaries refreshed for {refreshed:,} municipalities")
        if summary.unreadable:
            sys.exit(2)
        if summary.rejected:
            sys.exit(1)

    def _json(self, kind, files):
        progress, unreadable = ReadProgress(), []
        printer = ProgressLine(self.stderr)

        def on_unreadable(message):
            unreadable.append(message)
            self.stderr.write(f"cannot read {message}")

        def on_batch(summary):
            elapsed = printer.due()
            if elapsed is not None:
                done = summary.imported + summary.deleted + summary.rejected
                printer.show(f"{done:,} records, {done / elapsed:,.0f}/s; {summary.line()}")

        try:
            summary = imports.import_records(
                kind, read_files(files, progress, on_unreadable), self._rejected, on_batch=on_batch
            )
        finally:
            printer.finish()
        summary.unreadable = unreadable
        return summary

    def _csv(self, kind, files):
        total = imports.Summary()
        for path in files:
            try:
                text = path.read_bytes().decode("utf-8")
                rows = list(imports.csv_rows(kind, str(path), text))
            except (OSError, UnicodeDecodeError, ValueError) as error:
                total.unreadable.append(str(error))
                self.stderr.write(f"cannot read {path}: {error}")
                continue
            found = imports.import_csv(kind, str(path), rows, self._rejected)
            total.imported += found.imported
            total.rejected += found.rejected
            total.everything = True
        return total

    def _rejected(self, rejection):
        if self.shown < REJECTIONS_SHOWN:
            self.shown += 1
            self.stderr.write(
                f"rejected {rejection.origin} {rejection.position}: {rejection.reason}"
            )
