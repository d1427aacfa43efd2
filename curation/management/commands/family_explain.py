import sys

import orjson
from django.core.management.base import BaseCommand, CommandError

from curation.models import Event
from curation.selectors import event_id_in
from curation.services.family_classify import active_rule
from curation.services.family_rule import compiled_rule


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
        events = Event.objects.only(
            "udb_id",
            "name_text",
            "description_text",
            "event_type_id",
            "term_ids",
            "min_age",
            "max_age",
        ).in_bulk([udb_id for _raw, udb_id in wanted], field_name="udb_id")
        compiled, missing = compiled_rule(rule), 0
        for raw, udb_id in wanted:
            event = events.get(udb_id)
            if event is None:
                self.stderr.write(f"{raw}: no such event")
                missing += 1
                continue
            result = compiled.classify(
                name=event.name_text,
                description=event.description_text,
                event_type_id=event.event_type_id,
                term_ids=event.term_ids,
                min_age=event.min_age,
                max_age=event.max_age,
            )
            self.stdout.write(orjson.dumps({"id": event.udb_id, **result.as_json()}).decode())
        if missing:
            sys.exit(1)
