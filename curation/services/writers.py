"""Writing a batch of imported events: COPY on PostgreSQL, the ORM elsewhere (SQLite in `make run`).

Both writers take the same EventRow values and must leave the same rows behind; the tests run
the import through each. PostgreSQL gets COPY because it is several times faster than
INSERT ... ON CONFLICT for wide rows with a JSON document (docs/benchmarks.md): new events are
copied straight into the table with ids reserved from its sequence, changed ones into a
temporary table and merged with one UPDATE. The import holds an advisory lock, so no other
import inserts the same id in between.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from django.db import connection

from curation.models import Event, EventTerm

EVENT_COLUMNS = (
    "udb_id",
    "source",
    "name",
    "name_text",
    "description",
    "description_text",
    "main_language",
    "event_type_id",
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
    "search_text",
    "imported_at",
)
_JSON_COLUMNS = {"name", "description", "labels", "hidden_labels", "earlier_hashes"}
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TEMP_TABLE = "curation_event_import"


@dataclass
class EventRow:
    """One event to write: its column values, its term ids and, when it exists, its id."""

    values: dict[str, Any]
    document_json: bytes  # the document as received, as JSON text
    term_ids: list[str]
    pk: int | None = None


def writer_for_connection():
    return PostgresEventWriter() if connection.vendor == "postgresql" else OrmEventWriter()


class OrmEventWriter:
    def write(self, new: list[EventRow], changed: list[EventRow]) -> None:
        created = Event.objects.bulk_create([Event(**row.values) for row in new], batch_size=500)
        for row, event in zip(new, created, strict=True):
            row.pk = event.pk
        if changed:
            events = [Event(pk=row.pk, **row.values) for row in changed]
            Event.objects.bulk_update(events, EVENT_COLUMNS_ORM, batch_size=200)
            EventTerm.objects.filter(event_id__in=[row.pk for row in changed]).delete()
        EventTerm.objects.bulk_create(
            [
                EventTerm(event_id=row.pk, term_id=term_id)
                for row in (*new, *changed)
                for term_id in row.term_ids
            ],
            batch_size=1000,
        )


class PostgresEventWriter:
    def write(self, new: list[EventRow], changed: list[EventRow]) -> None:
        with connection.cursor() as cursor:
            if new:
                self._insert(cursor, new)
            if changed:
                self._update(cursor, changed)
                cursor.execute(
                    "DELETE FROM curation_eventterm WHERE event_id = ANY(%s)",
                    [[row.pk for row in changed]],
                )
            links = [
                f"{row.pk}\t{_copy_text(term_id)}\n"
                for row in (*new, *changed)
                for term_id in row.term_ids
            ]
            if links:
                _copy(cursor, "curation_eventterm (event_id, term_id)", "".join(links).encode())

    def _insert(self, cursor, rows: list[EventRow]) -> None:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('curation_event', 'id')) "
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        _copy(cursor, f"curation_event ({_COLUMN_LIST})", _copy_rows(rows))

    def _update(self, cursor, rows: list[EventRow]) -> None:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP_TABLE} "
            "(LIKE curation_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {_TEMP_TABLE}")
        _copy(cursor, f"{_TEMP_TABLE} ({_COLUMN_LIST})", _copy_rows(rows))
        assignments = ", ".join(f'"{column}" = t."{column}"' for column in EVENT_COLUMNS[1:])
        cursor.execute(
            f"UPDATE curation_event AS e SET {assignments} "
            f"FROM {_TEMP_TABLE} AS t WHERE e.id = t.id"
        )


# bulk_update takes field names: the foreign keys by their name, not their column.
EVENT_COLUMNS_ORM = [
    {"event_type_id": "event_type", "location_id": "location", "organizer_id": "organizer"}.get(
        column, column
    )
    for column in EVENT_COLUMNS
    if column != "udb_id"
]
_COLUMN_LIST = ", ".join(f'"{column}"' for column in ("id", *EVENT_COLUMNS))


def _copy(cursor, target: str, data: bytes) -> None:
    # The driver's own cursor: Django's debug wrapper does not pass the buffer size on.
    cursor.cursor.copy_expert(f"COPY {target} FROM STDIN", io.BytesIO(data), size=1 << 20)


def _copy_rows(rows: list[EventRow]) -> bytes:
    lines = []
    for row in rows:
        values = row.values
        fields = [str(row.pk)]
        for column in EVENT_COLUMNS:
            if column == "document":
                fields.append(_copy_json(row.document_json))
            else:
                fields.append(_copy_value(column, values[column]))
        lines.append("\t".join(fields))
    lines.append("")
    return "\n".join(lines).encode()


def _copy_value(column: str, value: Any) -> str:
    if value is None:
        return "\\N"
    if column in _JSON_COLUMNS:
        return _copy_json(orjson.dumps(value))
    if isinstance(value, str):
        return _copy_text(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_json(value: bytes) -> str:
    # Compact JSON has no raw tabs or newlines inside strings, but JSON Lines as received may
    # have them as whitespace between tokens; backslashes are everywhere in escapes.
    text = value.decode()
    return _copy_text(text)
