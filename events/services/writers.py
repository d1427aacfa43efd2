"""Writing a prepared batch: COPY on PostgreSQL, the ORM elsewhere (SQLite in `make run`).

A writer works in two steps. `prepare` runs in the importing thread and turns the batch into
what the database takes (COPY data, or model instances); `write` sends it, in one transaction
with the batch's places, organisers and new terms. On PostgreSQL `write` may run in a second
thread, so that Python reads the next batch while PostgreSQL stores this one.

PostgreSQL gets COPY because it is several times faster than INSERT ... ON CONFLICT for wide
rows with a JSON document: new events are copied straight into the table with ids reserved
from its sequence, changed ones into a temporary table and merged with one UPDATE. The import
holds an advisory lock, so no other import inserts the same id in between. Both writers must
leave the same rows behind; the tests run the import through each.
"""

from __future__ import annotations

import functools
import io
import logging
import operator
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg2
from django.db import DatabaseError, connection, transaction
from psycopg2.errors import DeadlockDetected

from events.fields import JSONTextField
from events.models import Event, Organizer, Place, Term
from family.models import FamilyClassification
from family.services.classify import (
    CLASSIFICATION_COLUMNS,
    merge_classifications_postgresql,
)
from family.services.rule import Classification

logger = logging.getLogger(__name__)
DEADLOCK_ATTEMPTS = 3
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
_TEMP_TABLE = "events_event_import"
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
    its family-offer classification (None without an active rule)."""

    values: tuple
    family: Classification | None = None

    def as_fields(self) -> dict[str, Any]:
        fields = dict(zip(EVENT_COLUMNS, self.values, strict=True))
        return {**fields, "document": orjson.loads(fields["document"])}


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
    family_new: bytes = b""  # the new events' classifications, as COPY data
    family_changed: list = field(default_factory=list)  # (pk, imported_at, Classification)
    classified: bool = False  # the writer stored the classifications with the events


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
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
            [_id_sequence(), count],
        )
        return [row[0] for row in cursor.fetchall()]


@functools.cache
def _id_sequence() -> str:
    # Looked up once: as an argument of nextval it would be looked up for every id, which
    # made reserving 2,000 ids ten times slower.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('events_event', 'id')")
        return cursor.fetchone()[0]


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
    """Leaves the classification to the import hook, which reads the events back."""

    stores_classifications = False

    def prepare(self, batch: Batch, new: list[EventRow], changed: list[EventRow]) -> None:
        batch.new = [Event(**row.as_fields()) for row in new]
        batch.changed = [Event(**row.as_fields()) for row in changed]

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
    """Writes the classifications with the events: copied straight into their table for new
    events (no row to conflict with), merged for changed ones (written only if different)."""

    stores_classifications = True

    def prepare(self, batch: Batch, new: list[EventRow], changed: list[EventRow]) -> None:
        batch.new, batch.changed = copy_rows(new), copy_rows(changed)
        classified = [row for row in new if row.family]
        batch.family_new = _copy_classifications(classified) if classified else b""
        batch.family_changed = [
            (row.values[0], row.values[-1], row.family) for row in changed if row.family
        ]
        batch.classified = all(row.family for row in (*new, *changed))

    def write(self, batch: Batch, after) -> list[int]:
        """Retried when PostgreSQL breaks a deadlock by aborting it: parallel import processes
        may wait on each other's new places, organisers or terms (the rest is theirs alone)."""
        attempt = 1
        while True:
            try:
                return self._write(batch, after)
            except (DatabaseError, psycopg2.DatabaseError) as error:
                cause = error.__cause__ if isinstance(error, DatabaseError) else error
                if not isinstance(cause, DeadlockDetected) or attempt == DEADLOCK_ATTEMPTS:
                    raise
                logger.warning("import batch deadlocked, attempt %d: written again", attempt)
                attempt += 1

    def _write(self, batch: Batch, after) -> list[int]:
        with transaction.atomic(), connection.cursor() as cursor:
            # The import is idempotent: a crash loses at most the last batches committed before
            # it (never a half-written one), and running the import again restores them. Not
            # waiting for each commit to reach the disk keeps PostgreSQL busy with rows instead.
            cursor.execute("SET LOCAL synchronous_commit = off")
            write_related(batch)
            if batch.new:
                _copy(cursor, f"events_event ({_COLUMN_LIST})", batch.new)
            if batch.changed:
                self._update(cursor, batch.changed)
            if batch.family_new:
                columns = ", ".join(CLASSIFICATION_COLUMNS)
                _copy(cursor, f"{_FAMILY_TABLE} ({columns})", batch.family_new)
            if batch.family_changed:
                merge_classifications_postgresql(batch.family_changed)
            after(batch)
        return batch.created_ids

    def _update(self, cursor, rows: bytes) -> None:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP_TABLE} "
            "(LIKE events_event INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        cursor.execute(f"TRUNCATE {_TEMP_TABLE}")
        _copy(cursor, f"{_TEMP_TABLE} ({_COLUMN_LIST})", rows)
        assignments = ", ".join(f'"{column}" = t."{column}"' for column in EVENT_COLUMNS[2:])
        cursor.execute(
            f"UPDATE events_event AS e SET {assignments} FROM {_TEMP_TABLE} AS t WHERE e.id = t.id"
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
    # it in one read: each read needs the GIL, which the importing thread holds for up to the
    # switch interval, while PostgreSQL waits for the data.
    cursor.cursor.copy_expert(
        f"COPY {target} FROM STDIN (FORMAT binary)", io.BytesIO(data), size=max(len(data), 1)
    )


# COPY's binary format: PostgreSQL reads each value as it is stored instead of parsing text
# (escapes, dates, numbers): a fifth of its time per row in the text format. Each column's
# encoder follows the column's type in the database, so a changed model changes the encoding
# with it. https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no header extension
COPY_TRAILER = b"\xff\xff"
_INT32 = struct.Struct(">i").pack
_INT64 = struct.Struct(">q").pack
_INT16 = struct.Struct(">h").pack
_LENGTH_AND_INT64 = struct.Struct(">iq").pack
_NULL = _INT32(-1)
_TIMESTAMP_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # PostgreSQL's: microseconds since


def copy_rows(rows: list[EventRow]) -> bytes:
    return _copy_data(_copy_encoders(), [row.values for row in rows])


def _copy_data(encoders: tuple, rows: list[tuple]) -> bytes:
    """A whole COPY in binary format: header, one tuple per row, trailer."""
    parts = [COPY_HEADER]
    _add_tuples(parts, encoders, rows)
    parts.append(COPY_TRAILER)
    return b"".join(parts)


def copy_tuples(rows: list[EventRow]) -> bytes:
    parts: list[bytes] = []
    _add_tuples(parts, _copy_encoders(), [row.values for row in rows])
    return b"".join(parts)


def _add_tuples(parts: list[bytes], encoders: tuple, rows: list[tuple]) -> None:
    """Every value's bytes added to `parts`, for one join of the whole COPY: joining each row,
    then the rows, then the header and trailer copied every byte three times (12 against 8.5
    µs a row of an event)."""
    tuple_header = _INT16(len(encoders))
    append, extend = parts.append, parts.extend
    for values in rows:
        append(tuple_header)
        extend(map(operator.call, encoders, values))


def _binary_text(value: str | None) -> bytes:
    if value is None:
        return _NULL
    data = value.encode()
    return _INT32(len(data)) + data


def _binary_json(value) -> bytes:
    """`json` and `text` take the text as is: a document as received stays byte for byte."""
    data = value if isinstance(value, bytes) else orjson.dumps(value)
    return _INT32(len(data)) + data


def _binary_jsonb(value) -> bytes:
    if value == []:  # labels, hidden labels, earlier versions: mostly none
        return _EMPTY_JSONB_LIST
    data = orjson.dumps(value)
    return _INT32(len(data) + 1) + b"\x01" + data  # the jsonb format's version


_EMPTY_JSONB_LIST = _INT32(3) + b"\x01[]"


def _binary_bigint(value: int | None) -> bytes:
    return _NULL if value is None else b"\x00\x00\x00\x08" + _INT64(value)


def _binary_integer(value: int | None) -> bytes:
    return _NULL if value is None else b"\x00\x00\x00\x04" + _INT32(value)


def _binary_smallint(value: int | None) -> bytes:
    return _NULL if value is None else b"\x00\x00\x00\x02" + _INT16(value)


def _binary_boolean(value: bool) -> bytes:
    return b"\x00\x00\x00\x01\x01" if value else b"\x00\x00\x00\x01\x00"


def _binary_moment(value: datetime | None) -> bytes:
    if value is None:
        return _NULL
    since = value - _TIMESTAMP_EPOCH
    # Whole numbers rather than dividing by a timedelta of one microsecond: a fifth faster.
    microseconds = (since.days * 86400 + since.seconds) * 1_000_000 + since.microseconds
    return _LENGTH_AND_INT64(8, microseconds)


_FEW_VALUES = {"source", "main_language"}
_ENCODER_BY_TYPE = {
    "bigint": _binary_bigint,
    "integer": _binary_integer,
    "smallint": _binary_smallint,
    "boolean": _binary_boolean,
    "timestamp with time zone": _binary_moment,
    "jsonb": _binary_jsonb,
    "json": _binary_json,
    "text": _binary_text,
}


@functools.cache
def _copy_encoders() -> tuple:
    return _encoders(Event, EVENT_COLUMNS)


def _encoders(model, columns: tuple[str, ...]) -> tuple:
    fields = {field.column: field for field in model._meta.concrete_fields}
    encoders = []
    for column in columns:
        field = fields[column]
        db_type = field.db_type(connection)
        if db_type.startswith("varchar"):
            db_type = "text"
        if isinstance(field, JSONTextField):  # `json` or `text`: the JSON text as received
            db_type = "json"
        encoder = _ENCODER_BY_TYPE[db_type]
        if db_type == "text" and (field.choices or column in _FEW_VALUES):
            # The same few values over and over. Not for values of thousands (places,
            # organisers, moments): a cache that large costs more than it saves, as measured
            # in an import (28 against 23 µs a row), its lookups missing the CPU's caches.
            encoder = functools.lru_cache(maxsize=256)(encoder)
        encoders.append(encoder)
    return tuple(encoders)


_FAMILY_TABLE = FamilyClassification._meta.db_table


def _copy_classifications(rows: list[EventRow]) -> bytes:
    """The classifications of new events, classified when the import read them."""
    tuples = [(row.values[0], *row.family.stored(), row.values[-1]) for row in rows]
    return _copy_data(_family_encoders(), tuples)


@functools.cache
def _family_encoders() -> tuple:
    return _encoders(FamilyClassification, CLASSIFICATION_COLUMNS)
