import sys

import orjson
from django.core.management.base import BaseCommand, CommandError

from core.progress import ProgressLine
from events.services.event_import import (
    BATCH_SIZE,
    FindingReport,
    ImportAlreadyRunning,
    ImportSummary,
    Rejection,
    events_import,
)
from events.services.search_api import SearchApiClient, public_url, read_search_api
from events.services.sources import (
    InputError,
    ReadProgress,
    expand_paths,
    guarded,
    read_files,
)

REJECTIONS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import UiTdatabank JSON-LD events from files, directories (JSON document, array, "
        "Search API page or JSON Lines, optionally gzipped) or a Search API v3 URL. "
        "Defects worked around become data findings of the events, counted in the summary. "
        "Exit status: 0 nothing rejected (findings alone do not fail an import), 1 some "
        "documents rejected, 2 an input could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or directories to import")
        parser.add_argument(
            "--url",
            help="a Search API v3 query to follow page by page (key from UITDATABANK_API_KEY "
            "or UITDATABANK_CLIENT_ID)",
        )
        parser.add_argument(
            "--report",
            help="write the rejected documents and the findings here, as JSON Lines",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
        parser.add_argument("--retries", type=int, default=3, help="retries per request")

    def handle(self, *args, **options):
        if not options["paths"] and not options["url"]:
            raise CommandError("Give files or directories to import, or --url.", returncode=2)
        progress = ReadProgress()
        summary = ImportSummary()
        report = self._open_report(options["report"])
        printer = ProgressLine(self.stderr)
        try:
            summary = events_import(
                items=self._items(options, progress, summary),
                description=self._description(options),
                batch_size=max(1, options["batch_size"]),
                on_rejected=lambda rejection: self._rejected(rejection, report, options),
                on_batch=lambda summary: self._progress(printer, progress, summary),
                summary=summary,
                on_finding=(lambda found: self._finding(found, report)) if report else None,
            )
        except ImportAlreadyRunning as error:
            raise CommandError(str(error), returncode=2) from None
        finally:
            printer.finish()
            if report:
                report.close()
        self._finish(summary, options)

    def _items(self, options, progress: ReadProgress, summary: ImportSummary):
        def unreadable(message: str) -> None:
            summary.unreadable.append(message)
            self.stderr.write(f"cannot read {message}")

        try:
            files = expand_paths(options["paths"])
        except InputError as error:
            raise CommandError(f"{error}; nothing was imported.", returncode=2) from None
        if options["url"]:
            client = SearchApiClient.from_settings(
                timeout=options["timeout"], retries=options["retries"]
            )
            yield from guarded(read_search_api(options["url"], client, progress), unreadable)
        yield from read_files(files, progress, unreadable)

    def _open_report(self, path):
        if not path:
            return None
        try:
            return open(path, "wb")
        except OSError as error:
            raise CommandError(
                f"cannot write the report {path}: {error.strerror}", returncode=2
            ) from None

    def _rejected(self, rejection: Rejection, report, options) -> None:
        if report:
            report.write(orjson.dumps(rejection.as_json()) + b"\n")
        self._rejected_count = getattr(self, "_rejected_count", 0) + 1
        if self._rejected_count <= REJECTIONS_SHOWN:
            self.stderr.write(
                f"rejected {rejection.origin} {rejection.position}: {rejection.reason}"
            )

    def _finding(self, found: FindingReport, report) -> None:
        report.write(orjson.dumps(found.as_json()) + b"\n")

    def _finish(self, summary: ImportSummary, options) -> None:
        hidden = summary.rejected - REJECTIONS_SHOWN
        if hidden > 0:
            where = f"all are in {options['report']}" if options["report"] else "use --report"
            self.stderr.write(f"... and {hidden} more rejected ({where})")
        if summary.older:
            self.stdout.write(
                f"{summary.older} of the unchanged were older than the version already imported"
            )
        if summary.findings:
            self.stdout.write(f"findings per kind: {summary.findings_line()}")
        if summary.findings_closed:
            self.stdout.write(
                f"{summary.findings_closed} findings closed: newer versions no longer have them"
            )
        self.stdout.write(summary.line())
        if summary.unreadable:
            sys.exit(2)
        if summary.rejected:
            sys.exit(1)

    def _description(self, options) -> str:
        url = [public_url(options["url"])] if options["url"] else []
        return "import_events " + " ".join([*url, *options["paths"]])

    def _progress(self, printer: ProgressLine, progress: ReadProgress, summary: ImportSummary):
        elapsed = printer.due()
        if elapsed is None:
            return
        done = summary.documents
        line = f"{done:,} documents, {done / elapsed:,.0f}/s; {summary.line()}"
        if progress.total_bytes:
            line = f"{min(progress.read_bytes / progress.total_bytes, 1):6.1%} " + line
        printer.show(line)
