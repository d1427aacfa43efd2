import sys
from contextlib import nullcontext

import orjson
from django.core.management.base import BaseCommand, CommandError
from rest_framework.exceptions import ValidationError

from curation.api_queues import DecisionSerializer, parse_since
from curation.selectors import decisions_since


class Command(BaseCommand):
    help = (
        "Write the curators' decisions (event id, queue kind, decision, values, curator, when) "
        "as JSON Lines, the same as GET /api/curation/decisions/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="ISO 8601 date and time; default: all decisions")
        parser.add_argument("--output", "-o", help="file to write; default: standard output")

    def handle(self, *args, since=None, output=None, **options):
        try:
            moment = parse_since(since) if since else None
        except ValidationError:
            raise CommandError(f"--since {since!r} is not an ISO 8601 date and time") from None
        count = 0
        with open(output, "wb") if output else nullcontext(sys.stdout.buffer) as target:
            for decision in decisions_since(moment).iterator(chunk_size=2000):
                # The API's fields, decided_at as stored (UTC) where the API writes local time.
                row = {**DecisionSerializer(decision).data, "decided_at": decision.decided_at}
                target.write(orjson.dumps(row) + b"\n")
                count += 1
        self.stderr.write(f"{count} decisions written")
