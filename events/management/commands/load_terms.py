from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.services.taxonomy import LEGACY_FILE, TERMS_FILE, TaxonomyError, terms_load


class Command(BaseCommand):
    help = (
        "Load the UiTdatabank term taxonomy: a terms.json (by default the copy in "
        "curation/data/) plus the legacy Dutch labels of terms_flat.csv. Terms met only in "
        "events stay, flagged as unknown, until the taxonomy lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(TERMS_FILE), help="a terms.json")
        parser.add_argument(
            "--legacy", default=str(LEGACY_FILE), help="terms_flat.csv with legacy labels"
        )

    def handle(self, *args, **options):
        try:
            loaded = terms_load(
                terms_path=Path(options["file"]), legacy_path=Path(options["legacy"])
            )
        except TaxonomyError as error:
            raise CommandError(f"{error}; the taxonomy was left as it was.") from None
        self.stdout.write(loaded.line())
