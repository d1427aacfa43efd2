import sys
from pathlib import Path

import orjson
from django.core.management.base import BaseCommand, CommandError, no_translations

from family.models import FamilyRule
from family.services.classify import active_rule
from family.services.rule import RuleDataError
from family.services.versions import family_rule_import, rule_as_json


class Command(BaseCommand):
    help = (
        "Export a family-offer rule version as JSON (the active one by default), or import "
        "one: the file is checked, then becomes a new version and is activated. A file with "
        "any problem is refused whole, with every problem and where it is; the active version "
        "stays. Use - for standard output or input."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--rule-version", type=int, dest="rule_version", help="export: this version"
        )
        parser.add_argument("--note", default="", help="import: what changed, and why")

    @no_translations
    def handle(self, *args, action, file, rule_version=None, note="", **options):
        if action == "import":
            return self._import(file, note)
        rule = (
            FamilyRule.objects.filter(version=rule_version).first()
            if rule_version
            else active_rule()
        )
        if rule is None:
            raise CommandError(
                f"no version {rule_version}" if rule_version else "no active version"
            )
        text = orjson.dumps(rule_as_json(rule), option=orjson.OPT_INDENT_2) + b"\n"
        if file == "-":
            self.stdout.write(text.decode(), ending="")
        else:
            try:
                Path(file).write_bytes(text)
            except OSError as error:
                raise CommandError(f"cannot write {file}: {error.strerror}") from None
            self.stdout.write(f"version {rule.version} written to {file}")

    def _import(self, file: str, note: str) -> None:
        refused = f"{file} was not imported; the active version stays:\n  "
        try:
            raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        try:
            rule = family_rule_import(
                data=orjson.loads(raw), note=note or f"family_rules import {file}"
            )
        except orjson.JSONDecodeError as error:
            raise CommandError(
                f"{refused}malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            ) from None
        except RuleDataError as error:
            raise CommandError(refused + "\n  ".join(map(str, error.problems))) from None
        self.stdout.write(
            f"version {rule.version} created and activated: imports classify by it from now "
            "on; the other events are classified again by a background job after this (or run "
            "classify_family)"
        )
