"""Writing one import batch: places, organisers and new terms, then the events.

New events are copied into their table with COPY, changed ones copied into a temporary table
and applied with one UPDATE: several times faster than INSERT for wide rows with a whole JSON
document. COPY's text format (a few lines of escaping, below) rather than CSV from the csv
module: with CSV a first import of a million events missed 5,000 events/s (docs/benchmarks.md).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from django.db import connection

from events.models import Organizer, Place, Term

_TEMP_TABLE = "events_event_import"


@dataclass
class Batch:
    """Everything one batch writes; `new` and `changed` are event rows keyed by column."""

    places: list[Place] = field(default_factory=list)
    place_references: list[Place] = field(default_factory=list)
    organizers: list[Organizer] = field(default_factory=list)
    organizer_references: list[Organizer] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    new: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    # The findings of the events written, by event id (most events have none), where each
    # was met (for the report), and the moment the batch stamps on what it writes.
    findings: dict[int, list] = field(default_factory=dict)
    finding_reports: list = field(default_factory=list)
    now: datetime | None = None


def batch_write(batch: Batch) -> None:
    """In the caller's transaction. Places, organisers and terms first: events refer to them."""
    for model, references, full, fields in (
        (Place, batch.place_references, batch.places, PLACE_FIELDS),
        (Organizer, batch.organizer_references, batch.organizers, ORGANIZER_FIELDS),
    ):
        if references:
            model.objects.bulk_create(references, ignore_conflicts=True)
        if full:
            model.objects.bulk_create(
                full, update_conflicts=True, unique_fields=["id"], update_fields=fields
            )
    if batch.terms:
        Term.objects.bulk_create(batch.terms, ignore_conflicts=True)
    with connection.cursor() as cursor:
        if batch.new:
            copy_rows(cursor, "events_event", batch.new)
        if batch.changed:
            _update(cursor, batch.changed)


def reserve_ids(count: int) -> list[int]:
    """Ids for new events, taken before they are written (the batch's signal sends them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('events_event', 'id')::regclass"
            " AS id) SELECT nextval(s.id) FROM s, generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def _update(cursor, rows: list[dict]) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP_TABLE} "
        "(LIKE events_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {_TEMP_TABLE}")
    copy_rows(cursor, _TEMP_TABLE, rows)
    assignments = ", ".join(f'"{column}" = t."{column}"' for column in rows[0] if column != "id")
    cursor.execute(
        f"UPDATE events_event AS e SET {assignments} FROM {_TEMP_TABLE} AS t WHERE e.id = t.id"
    )


def copy_rows(cursor, table: str, rows: list[dict]) -> None:
    """COPY rows (dicts keyed by column, all with the same keys) into `table`."""
    columns = ", ".join(f'"{column}"' for column in rows[0])
    text = "".join(
        ["\t".join([_copy_text(value) for value in row.values()]) + "\n" for row in rows]
    )
    cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(text))


def _copy_text(value) -> str:
    """A value as COPY's text format reads it: \\N is NULL; backslash, tab and line ends escaped.
    Numbers, booleans and moments as str() writes them; lists and dicts as JSON."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        pass
    elif isinstance(value, bytes):  # a document's JSON text, kept as received
        value = value.decode()
    elif isinstance(value, dict | list):
        value = orjson.dumps(value).decode()
    else:
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        value = value.replace("\r", "\\r")
    return value


def _columns(model) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if not field.primary_key]


# What an upsert of a place or organiser writes: every column but the id.
PLACE_FIELDS = _columns(Place)
ORGANIZER_FIELDS = _columns(Organizer)
