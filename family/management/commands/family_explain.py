import sys

import orjson
from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from events.selectors import event_id_in
from family.services.classify import active_rule
from family.services.rule import EVENT_FIELDS, compiled_rule


class Command(BaseCommand):
    help = (
        "Explain the active family-offer rule's label of events: one JSON object a line, "
        '{"id", "label", "points", "matched_keywords", "excluded_by"}. IDs are UiTdatabank '
        "ids or event URLs; exit status 1 when one is unknown."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="+", metavar="ID")

    def handle(self, *args, ids, **options):
        rule = active_rule()
        if rule is None:
            raise CommandError("there is no active family-offer rule")
        wanted = [(raw, event_id_in(raw) or raw.strip().lower()) for raw in ids]
        events = Event.objects.only("udb_id", *EVENT_FIELDS).in_bulk(
            [udb_id for _raw, udb_id in wanted], field_name="udb_id"
        )
        compiled, missing = compiled_rule(rule), 0
        for raw, udb_id in wanted:
            event = events.get(udb_id)
            if event is None:
                self.stderr.write(f"{raw}: no such event")
                missing += 1
                continue
            result = compiled.classify_values([getattr(event, name) for name in EVENT_FIELDS])
            self.stdout.write(orjson.dumps({"id": event.udb_id, **result.as_json()}).decode())
        if missing:
            sys.exit(1)
