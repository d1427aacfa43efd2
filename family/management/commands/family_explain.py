import sys

import orjson
from django.core.management.base import BaseCommand, CommandError

from curation.models import EventCuration
from events.models import Event
from events.selectors import event_id_in
from family.services.classify import active_rule
from family.services.explain import family_explanation
from family.services.features import MODEL_FIELDS
from family.services.model import active_model


class Command(BaseCommand):
    help = (
        "Explain events' family-offer labels: one JSON object a line, "
        '{"id", "label", "points", "matched_keywords", "excluded_by", "source", "score", '
        '"threshold", "version", "rule_version", "top_features"}. `source` is curator, model '
        "or rule; `score` the model's log-odds, the sum of its intercept and every feature's "
        "contribution. IDs are UiTdatabank ids or event URLs; exit status 1 when one is unknown."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="+", metavar="ID")

    def handle(self, *args, ids, **options):
        rule = active_rule()
        if rule is None:
            raise CommandError("there is no active family-offer rule")
        model = active_model()
        wanted = [(raw, event_id_in(raw) or raw.strip().lower()) for raw in ids]
        events = Event.objects.only("udb_id", *MODEL_FIELDS).in_bulk(
            [udb_id for _raw, udb_id in wanted], field_name="udb_id"
        )
        curated = dict(
            EventCuration.objects.filter(
                event__in=[event.pk for event in events.values()], family__isnull=False
            ).values_list("event_id", "family")
        )
        missing = 0
        for raw, udb_id in wanted:
            event = events.get(udb_id)
            if event is None:
                self.stderr.write(f"{raw}: no such event")
                missing += 1
                continue
            explanation = family_explanation(event, rule, model, curated.get(event.pk))
            self.stdout.write(orjson.dumps(explanation).decode())
        if missing:
            sys.exit(1)
