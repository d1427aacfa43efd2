"""Classifying events by the active family-offer rule and storing the result.

The import's batches (`family_classify_rows`, from the values the import wrote, in the batch's
transaction), other new events (`family_classify_events`), and `classify_family` and the nightly
beat job (`family_classify_all`, every event or those imported since a moment, in chunks, each
read with its stored classification in one query). Only rows whose result changed are written,
so a second run writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone

from events.models import Event
from events.services.writers import copy_rows
from family.models import FamilyRule
from family.services.features import MODEL_FIELDS
from family.services.model import CompiledModel, active_version, model_version
from family.services.rule import EVENT_FIELDS, Classification, CompiledRule, compiled_rule
from family.services.rule import STORED_FIELDS as RULE_FIELDS

logger = logging.getLogger(__name__)

CHUNK_SIZE = 5000
_INPUT_FIELDS = ("pk", "imported_at", *MODEL_FIELDS)
_event_values = itemgetter(*MODEL_FIELDS)  # an imported row's values rule and model read
_RULE_END = 2 + len(EVENT_FIELDS)  # the input row's EVENT_FIELDS: what the rule reads
# The stored columns: the rule's result, then the model's (null when no model is active).
MODEL_COLUMNS = ("model_version", "score", "model_label")
STORED_FIELDS = (*RULE_FIELDS, *MODEL_COLUMNS)
# Scores are stored rounded: an event whose text did not change compares equal.
_SCORE_DIGITS = 4
_STAGE = "curation_family_stage"


@dataclass
class ClassifyResult:
    classified: int = 0
    written: int = 0
    family: int = 0
    rule_version: int | None = None

    @property
    def unchanged(self) -> int:
        return self.classified - self.written

    def add(self, other: ClassifyResult) -> None:
        self.classified += other.classified
        self.written += other.written
        self.family += other.family
        self.rule_version = other.rule_version or self.rule_version

    def line(self) -> str:
        return (
            f"classified {self.classified}, written {self.written}, "
            f"unchanged {self.unchanged}, family {self.family} "
            f"(rule version {self.rule_version})"
        )


def active_rule() -> FamilyRule | None:
    return FamilyRule.objects.filter(is_active=True).first()


def family_classify_events(*, event_ids: Iterable[int]) -> ClassifyResult:
    """Classify these events now (the import hook: inside the batch's transaction)."""
    rule = active_rule()
    ids = sorted(set(event_ids))
    if rule is None or not ids:
        return ClassifyResult(rule_version=rule and rule.version)
    rows = _inputs(Event.objects.filter(pk__in=ids))
    with transaction.atomic(savepoint=False):  # the import's own transaction, if any
        return _classify_rows(rows, compiled_rule(rule), _active_compiled_model())


def _active_compiled_model() -> CompiledModel | None:
    """The active model, its weights read and compiled once per version (not per chunk)."""
    active = active_version()
    return model_version(active[0]) if active else None


def family_classify_rows(*, rows: list[dict]) -> ClassifyResult:
    """Classify events from their values as the import wrote them (dicts keyed by column)."""
    rule = active_rule()
    if rule is None or not rows:
        return ClassifyResult(rule_version=rule and rule.version)
    # No stored values to compare with: every result is written.
    inputs = [(row["id"], row["imported_at"], *_event_values(row)) for row in rows]
    return _classify_rows(inputs, compiled_rule(rule), _active_compiled_model())


def family_classify_all(
    *,
    since: datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_progress: Callable[[ClassifyResult, int], None] | None = None,
) -> ClassifyResult:
    """Every event (or those imported since `since`), a chunk per transaction. The active rule
    is read again for each chunk: a version activated meanwhile takes over at the next one."""
    events = Event.objects.all() if since is None else Event.objects.filter(imported_at__gte=since)
    total = events.count() if on_progress else 0
    result = ClassifyResult()
    last = 0
    while True:
        rule = active_rule()
        if rule is None:
            logger.warning("no active family-offer rule: nothing classified")
            break
        rows = _inputs(events.filter(pk__gt=last).order_by("pk")[:chunk_size])
        if not rows:
            break
        last = rows[-1][0]
        with transaction.atomic():
            result.add(_classify_rows(rows, compiled_rule(rule), _active_compiled_model()))
        if on_progress:
            on_progress(result, total)
    return result


def _inputs(events) -> list[tuple]:
    stored = [f"family_classification__{name}" for name in STORED_FIELDS]
    return list(events.values_list(*_INPUT_FIELDS, *stored))


def _classify_rows(
    rows: list[tuple], rule: CompiledRule, model: CompiledModel | None
) -> ClassifyResult:
    result = ClassifyResult(classified=len(rows), rule_version=rule.version)
    classify = rule.classify_values
    stored_from = len(_INPUT_FIELDS)
    results = [classify(row[2:_RULE_END]) for row in rows]
    if model is None:
        verdicts = [(None, None, None)] * len(rows)
        result.family = sum(new.label for new in results)
    else:
        scores = model.scores(
            [(row[2:stored_from], new) for row, new in zip(rows, results, strict=True)]
        )
        scores = scores.round(_SCORE_DIGITS).tolist()
        verdicts = [(model.version, score, score >= model.threshold) for score in scores]
        result.family = sum(verdict[2] for verdict in verdicts)
    changed = []
    for row, new, verdict in zip(rows, results, verdicts, strict=True):
        stored = (*new, *verdict)
        if stored != row[stored_from:]:
            changed.append((row[0], row[1], stored))
    if changed:
        result.written = _write(changed)
    return result


def _write(changed: list[tuple[int, datetime, Classification]]) -> int:
    """Upsert (event pk, the event's imported_at when read, result), through a staging table:
    a row is written only where its event still has that imported_at (else an import wrote a
    newer version meanwhile and classified it itself) and the stored result differs."""
    rows = [
        {"event_id": pk, "imported_at": imported_at, **dict(zip(STORED_FIELDS, row, strict=True))}
        for pk, imported_at, row in changed
    ]
    updates = ", ".join(
        f"{column} = EXCLUDED.{column}" for column in (*STORED_FIELDS, "classified_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (event_id bigint, imported_at "
            "timestamptz, rule_id integer, label boolean, points smallint, matched_keywords "
            "jsonb, min_age_points smallint, max_age_points smallint, excluded_by text, "
            "model_version integer, score double precision, model_label boolean) "
            "ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {_STAGE}")
        copy_rows(cursor, _STAGE, rows)
        cursor.execute(
            f"INSERT INTO family_familyclassification (event_id, {_columns('')}, classified_at) "
            f"SELECT s.event_id, {_columns('s.')}, %s "
            f"FROM {_STAGE} s JOIN events_event e "
            "ON e.id = s.event_id AND e.imported_at = s.imported_at "
            f"ON CONFLICT (event_id) DO UPDATE SET {updates} "
            f"WHERE ({_stored_columns('family_familyclassification')}) "
            f"IS DISTINCT FROM ({_stored_columns('EXCLUDED')})",
            [timezone.now()],
        )
        return cursor.rowcount


def _columns(prefix: str) -> str:
    return ", ".join(f"{prefix}{column}" for column in STORED_FIELDS)


def _stored_columns(table: str) -> str:
    return ", ".join(f"{table}.{column}" for column in STORED_FIELDS)


def family_recompute(
    *,
    since: datetime | None = None,
    on_progress: Callable[[ClassifyResult, int], None] | None = None,
) -> tuple[ClassifyResult, list]:
    """`classify_family` and the nightly job: classify, then bring the active family queues in
    line when any label changed (a task for each event newly labelled, open tasks withdrawn
    for events no longer labelled)."""
    from curation.models import Queue, QueueKind
    from curation.services.queues import queues_build

    result = family_classify_all(since=since, on_progress=on_progress)
    queues = Queue.objects.filter(kind=QueueKind.FAMILY, is_active=True) if result.written else []
    return result, queues_build(queues=list(queues)) if queues else []
