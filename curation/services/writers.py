"""Writing a prepared batch: COPY on PostgreSQL, the ORM elsewhere (SQLite in `make run`).

A writer works in two steps. `prepare` runs in the importing thread and turns the batch into
what the database takes (COPY text, or model instances); `write` sends it, in one transaction
with the batch's places, organisers and new terms. On PostgreSQL `write` may run in a second
thread, so that Python reads the next batch while PostgreSQL stores this one.

PostgreSQL gets COPY because it is several times faster than INSERT ... ON CONFLICT for wide
rows with a JSON document: new events are copied straight into the table with ids reserved
from its sequence, changed ones into a temporary table and merged with one UPDATE. The import
holds an advisory lock, so no other import inserts the same id in between. Both writers must
leave the same rows behind; the tests run the import through each.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from django.db import connection, transaction

from curation.models import Event, Organizer, Place, Term

EVENT_COLUMNS = (
    "id",
    "udb_id",
    "source",
    "name",
    "name_text",
    "description",
    "description_text",
    "main_language",
    "event_type_id",
    "term_ids",
    "min_age",
    "max_age",
    "all_ages",
    "attendance_mode",
    "online_url",
    "location_id",
    "organizer_id",
    "calendar_type",
    "start",
    "end",
    "workflow_status",
    "status",
    "audience_type",
    "labels",
    "hidden_labels",
    "created",
    "modified",
    "document",
    "content_hash",
    "earlier_hashes",
    "imported_at",
)
_JSON_COLUMNS = {"name", "description", "term_ids", "labels", "hidden_labels", "earlier_hashes"}
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TEMP_TABLE = "curation_event_import"
_COLUMN_LIST = ", ".join(f'"{column}"' for column in EVENT_COLUMNS)
# bulk_update takes field names: the foreign keys by their name, not their column.
_ORM_FIELDS = [
    {"event_type_id": "event_type", "location_id": "location", "organizer_id": "organizer"}.get(
        column, column
    )
    for column in EVENT_COLUMNS
    if column not in ("id", "udb_id")
]


@dataclass
class EventRow:
    """One event to write: its values in EVENT_COLUMNS order (the document as JSON text), and
    the document as parsed data for the ORM writer."""

    values: tuple
    document: dict

    def as_fields(self) -> dict[str, Any]:
        return {**dict(zip(EVENT_COLUMNS, self.values, strict=True)), "document": self.document}


@dataclass
class Batch:
    """Everything one batch writes, in one transaction."""

    places: list[Place] = field(default_factory=list)
    place_references: list[Place] = field(default_factory=list)
    organizers: list[Organizer] = field(default_factory=list)
    organizer_references: list[Organizer] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    new: Any = None  # what the writer's prepare made of the new events
    changed: Any = None


def writer_for_connection():
    return PostgresEventWriter() if connection.vendor == "postgresql" else OrmEventWriter()


def reserve_ids(count: int) -> list[int]:
    """Ids for new events, taken before they are written (so a batch can refer to them)."""
    if not count:
        return []
    if connection.vendor != "postgresql":
        return [None] * count  # bulk_create fills them in
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('curation_event', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def write_related(batch: Batch) -> None:
    """Places, organisers and terms first: the events refer to them."""
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


class OrmEventWriter:
    def prepare(self, new: list[EventRow], changed: list[EventRow]) -> tuple[list, list]:
        return (
            [Event(**row.as_fields()) for row in new],
            [Event(**row.as_fields()) for row in changed],
        )

    def write(self, batch: Batch, after) -> list[int]:
        with transaction.atomic():
            write_related(batch)
            created = Event.objects.bulk_create(batch.new, batch_size=500)
            batch.created_ids = [event.pk for event in created]
            if batch.changed:
                Event.objects.bulk_update(batch.changed, _ORM_FIELDS, batch_size=200)
            after(batch)
        return batch.created_ids


class PostgresEventWriter:
    def prepare(self, new: list[EventRow], changed: list[EventRow]) -> tuple[bytes, bytes]:
        return copy_rows(new), copy_rows(changed)

    def write(self, batch: Batch, after) -> list[int]:
        with transaction.atomic(), connection.cursor() as cursor:
            write_related(batch)
            if batch.new:
                _copy(cursor, f"curation_event ({_COLUMN_LIST})", batch.new)
            if batch.changed:
                self._update(cursor, batch.changed)
            after(batch)
        return batch.created_ids

    def _update(self, cursor, rows: bytes) -> None:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP_TABLE} "
            "(LIKE curation_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {_TEMP_TABLE}")
        _copy(cursor, f"{_TEMP_TABLE} ({_COLUMN_LIST})", rows)
        assignments = ", ".join(f'"{column}" = t."{column}"' for column in EVENT_COLUMNS[2:])
        cursor.execute(
            f"UPDATE curation_event AS e SET {assignments} "
            f"FROM {_TEMP_TABLE} AS t WHERE e.id = t.id"
        )


PLACE_FIELDS = [
    "name",
    "name_text",
    "street",
    "postal_code",
    "city",
    "country",
    "latitude",
    "longitude",
    "labels",
    "hidden_labels",
    "document",
    "content_hash",
    "updated_at",
]
ORGANIZER_FIELDS = [
    "name",
    "name_text",
    "url",
    "street",
    "postal_code",
    "city",
    "country",
    "latitude",
    "longitude",
    "labels",
    "hidden_labels",
    "document",
    "content_hash",
    "updated_at",
]


def _copy(cursor, target: str, data: bytes) -> None:
    # The driver's own cursor: Django's debug wrapper does not pass the buffer size on. All of
    # it in one read: each read needs the GIL, which the importing thread holds for up to
    # the switch interval, while PostgreSQL waits for the data.
    cursor.cursor.copy_expert(f"COPY {target} FROM STDIN", io.BytesIO(data), size=1 << 20)


def copy_rows(rows: list[EventRow]) -> bytes:
    """COPY text format: tab-separated, \\N for NULL, backslash escapes."""
    if not rows:
        return b""
    formats = _COPY_FORMATS
    lines = [
        "\t".join([fmt(value) for fmt, value in zip(formats, row.values, strict=True)])
        for row in rows
    ]
    lines.append("")
    return "\n".join(lines).encode()


def _copy_text(value: str) -> str:
    # Compact JSON has no raw tabs or newlines inside strings, but JSON Lines as received may
    # have them between tokens, and text columns may hold them anywhere.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_optional_text(value: str | None) -> str:
    return "\\N" if value is None else _copy_text(value)


def _copy_number(value: int | None) -> str:
    return "\\N" if value is None else str(value)


def _copy_moment(value: datetime | None) -> str:
    return "\\N" if value is None else value.isoformat()


def _copy_json(value) -> str:
    return _copy_text(orjson.dumps(value).decode())


def _copy_document(value: bytes) -> str:
    return _copy_text(value.decode())


def _copy_boolean(value: bool) -> str:
    return "t" if value else "f"


def _copy_format(column: str):
    if column in _JSON_COLUMNS:
        return _copy_json
    if column == "document":
        return _copy_document
    if column in ("id", "min_age", "max_age"):
        return _copy_number
    if column in ("start", "end", "created", "modified", "imported_at"):
        return _copy_moment
    if column == "all_ages":
        return _copy_boolean
    return _copy_optional_text


_COPY_FORMATS = tuple(_copy_format(column) for column in EVENT_COLUMNS)
