import sys

import orjson
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.progress import ProgressLine
from curation.services.event_import import (
    BATCH_SIZE,
    ImportAlreadyRunning,
    ImportSummary,
    Rejection,
    events_import,
)
from curation.services.parallel_import import ParallelImportFailed, events_import_parallel
from curation.services.search_api import SearchApiClient, public_url, read_search_api
from curation.services.sources import (
    InputError,
    ReadProgress,
    expand_paths,
    guarded,
    read_files,
    total_size,
)

REJECTIONS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import UiTdatabank JSON-LD events from files, directories (JSON document, array, "
        "Search API page or JSON Lines, optionally gzipped) or a Search API v3 URL. "
        "Exit status: 0 all imported, 1 some documents rejected, 2 an input could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or directories to import")
        parser.add_argument(
            "--url",
            help="a Search API v3 query to follow page by page (key from UITDATABANK_API_KEY "
            "or UITDATABANK_CLIENT_ID)",
        )
        parser.add_argument("--report", help="write the rejected documents here, as JSON Lines")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="import processes (PostgreSQL, files only): 2 or more for large files on a "
            "machine with as many cores",
        )
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
        parser.add_argument("--retries", type=int, default=3, help="retries per request")

    def handle(self, *args, **options):
        if not options["paths"] and not options["url"]:
            raise CommandError("Give files or directories to import, or --url.", returncode=2)
        jobs = self._jobs(options)
        progress = ReadProgress()
        summary = ImportSummary()
        report = self._open_report(options["report"])
        printer = _ProgressPrinter(self.stderr, progress)
        common = {
            "description": self._description(options),
            "batch_size": max(1, options["batch_size"]),
            "on_rejected": lambda rejection: self._rejected(rejection, report, options),
            "on_index_build": printer.note,
        }
        try:
            if jobs > 1:
                files = self._files(options)
                progress.total_bytes = total_size(files)
                summary = events_import_parallel(
                    read_items=lambda progress, on_unreadable: read_files(
                        files, progress, on_unreadable
                    ),
                    jobs=jobs,
                    on_progress=printer.update_parallel,
                    **common,
                )
                for message in summary.unreadable:
                    self.stderr.write(f"cannot read {message}")
            else:
                items = self._items(options, progress, summary)
                summary = events_import(
                    items=items, on_batch=printer.update, summary=summary, **common
                )
        except ImportAlreadyRunning as error:
            raise CommandError(str(error), returncode=2) from None
        except ParallelImportFailed as error:
            raise CommandError(f"{error}; the batches written before stay.", returncode=2) from None
        finally:
            printer.finish()
            if report:
                report.close()
        self._finish(summary, options)

    def _jobs(self, options) -> int:
        jobs = options["jobs"]
        if jobs < 1:
            raise CommandError("--jobs must be 1 or more.", returncode=2)
        if jobs > 1 and options["url"]:
            raise CommandError("--jobs reads files; import a --url with one job.", returncode=2)
        if jobs > 1 and connection.vendor != "postgresql":
            raise CommandError("--jobs needs PostgreSQL.", returncode=2)
        return jobs

    def _files(self, options):
        try:
            return expand_paths(options["paths"])
        except InputError as error:
            raise CommandError(f"{error}; nothing was imported.", returncode=2) from None

    def _items(self, options, progress: ReadProgress, summary: ImportSummary):
        def unreadable(message: str) -> None:
            summary.unreadable.append(message)
            self.stderr.write(f"cannot read {message}")

        files = self._files(options)
        if options["url"]:
            client = SearchApiClient(
                api_key=settings.UITDATABANK_API_KEY,
                client_id=settings.UITDATABANK_CLIENT_ID,
                timeout=options["timeout"],
                retries=max(0, options["retries"]),
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

    def _finish(self, summary: ImportSummary, options) -> None:
        hidden = summary.rejected - REJECTIONS_SHOWN
        if hidden > 0:
            where = f"all are in {options['report']}" if options["report"] else "use --report"
            self.stderr.write(f"... and {hidden} more rejected ({where})")
        if summary.older:
            self.stdout.write(
                f"{summary.older} of the unchanged were older than the version already imported"
            )
        self.stdout.write(summary.line())
        if summary.unreadable:
            sys.exit(2)
        if summary.rejected:
            sys.exit(1)

    def _description(self, options) -> str:
        sources = [*options["paths"]]
        if options["url"]:
            sources.insert(0, public_url(options["url"]))
        return "import_events " + " ".join(sources)


class _ProgressPrinter(ProgressLine):
    def __init__(self, stream, progress: ReadProgress):
        super().__init__(stream)
        self.progress = progress

    def update(self, summary: ImportSummary) -> None:
        elapsed = self.due()
        if elapsed is None:
            return
        done = summary.documents
        line = f"{done:,} documents, {done / elapsed:,.0f}/s; {summary.line()}"
        if self.progress.total_bytes:
            share = min(self.progress.read_bytes / self.progress.total_bytes, 1)
            line = f"{share:6.1%} " + line
        self.show(line)

    def update_parallel(self, summary: ImportSummary, read_bytes: int) -> None:
        """The processes' counts together; the bytes read by the slowest."""
        self.progress.done_bytes, self.progress.current_bytes = read_bytes, 0
        self.update(summary)
