import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from family.services.labels import family_labels_import, import_user


class Command(BaseCommand):
    help = (
        "Import curators' family labels from a CSV file `uuid,family[,note]` (family 1 or 0): "
        "each row becomes a family decision of the curator (--curator, default a dedicated "
        "import user) with its audit row. Rows naming an unknown event, holding a bad value or "
        "repeating an earlier row are reported with their line and skipped; the good rows are "
        "kept; exit status 1 when any row was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--curator", metavar="USERNAME")

    def handle(self, *args, file, curator=None, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text") from None
        if curator:
            user = get_user_model().objects.filter(username=curator).first()
            if user is None:
                raise CommandError(f"--curator: no user {curator!r}")
        else:
            user = import_user()
        result = family_labels_import(text=text, curator=user)
        for problem in result.problems:
            self.stderr.write(f"{file}: {problem}")
        self.stdout.write(result.line())
        if result.problems:
            sys.exit(1)
