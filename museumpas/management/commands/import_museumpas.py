import sys

from django.core.management.base import BaseCommand, CommandError

from museumpas.importing import KINDS, import_csv


class Command(BaseCommand):
    help = (
        "Import museums, holders, passes or visits from a CSV file (columns in README.md), "
        "upserting by id. Bad rows are reported with their line and left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", help="CSV file (UTF-8, header row), or - for standard input")

    def handle(self, *args, kind, file, **options):
        try:
            handle = sys.stdin if file == "-" else open(file, encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        with handle:
            try:
                report = import_csv(kind, handle, progress=self._progress)
            except UnicodeDecodeError as error:
                raise CommandError(f"{file} is not UTF-8 text: {error}") from None
        for line, reason in report.errors:
            self.stderr.write(f"line {line}: {reason}")
        self.stdout.write(
            f"{kind}: {report.stored} rows stored, {len(report.errors)} bad rows left out"
        )
        if report.errors and not report.stored:
            raise CommandError("no row was stored")

    def _progress(self, report):
        self.stderr.write(f"  … {report.read} rows read, {report.stored} stored", ending="\r")
