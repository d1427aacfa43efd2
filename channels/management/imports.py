"""What the three import commands share: bad lines on stderr with file, line and reason, a
progress line, the summary, and the exit status of `import_events` (0 nothing rejected, 1 some
lines rejected, 2 an input could not be read)."""

import sys
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from channels.services.inputs import BadLine, ImportSummary
from core.progress import ProgressLine
from events.services.sources import InputError, expand_paths

SHOWN = 50


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files (optionally gzipped) or directories")

    def paths(self, options) -> list:
        try:
            return expand_paths(options["paths"], suffixes=None)
        except InputError as error:
            raise CommandError(f"{error}; nothing was imported.", returncode=2) from None

    def bad(self, line: BadLine) -> None:
        self._bad = getattr(self, "_bad", 0) + 1
        if self._bad <= SHOWN:
            self.stderr.write(f"bad {line}")

    def unreadable(self, message: str) -> None:
        self.stderr.write(f"cannot read {message}")

    def progress(self, summary_of) -> Callable[[], None]:
        printer = self.printer = ProgressLine(self.stderr)

        def show():
            elapsed = printer.due()
            if elapsed is not None:
                summary = summary_of()
                printer.show(f"{summary.read / elapsed:,.0f} lines/s; {summary.line()}")

        return show

    def finish(self, summary: ImportSummary) -> None:
        if getattr(self, "printer", None):
            self.printer.finish()
        if summary.bad > SHOWN:
            self.stderr.write(f"... and {summary.bad - SHOWN} more bad lines")
        for note in summary.notes:
            self.stdout.write(note)
        self.stdout.write(summary.line())
        if summary.unreadable:
            sys.exit(2)
        if summary.bad:
            sys.exit(1)
