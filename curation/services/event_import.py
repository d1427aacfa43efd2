"""Import of UiTdatabank JSON-LD into the catalogue, in batches.

For each batch of documents:

1. JSON Lines documents whose bytes hash to a stored event's hash are unchanged: they are
   counted without being parsed, which is what makes a re-import fast.
2. The others are parsed and identified by their @id; the stored state of their events is read
   with one query.
3. In input order, each document is compared with the current version of its event (stored, or
   written earlier in this batch): a document is applied when its event is new, or when it is
   not older (`modified`) than the current version and is not a version already imported (the
   current hash and the last few replaced ones). So re-importing any earlier files changes
   nothing, in whatever order, and an older export never overwrites a newer one.
4. Places, organisers and unknown terms are upserted (each at most once per run unless it
   changed), then the events and their terms are written, all in one transaction, and
   `events_imported` is called with the ids written (the hook for classification and queues).

A document that cannot be imported is rejected with its place in the input and the reason; the
others go on. Nothing of a rejected document is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

import orjson
from django.db import connection, transaction
from django.utils import timezone

from core.services import audit_record
from curation.models import Event, Organizer, Place, Term
from curation.services import documents
from curation.services.documents import DocumentError, EventRecord
from curation.services.import_hooks import events_imported
from curation.services.sources import Item
from curation.services.writers import EventRow, writer_for_connection

BATCH_SIZE = 2000
# How many replaced versions of an event are remembered, so that re-importing an old file does
# not bring an old version back.
EARLIER_VERSIONS_KEPT = 8
# Places and organisers written in this run, by hash, so each is written once unless it changed;
# bounded so that memory stays flat whatever the input.
SEEN_CACHE_LIMIT = 200_000
_LOCK_ID = 0x6375726174696F6E  # "curation": one import at a time


class ImportAlreadyRunning(Exception):
    pass


@dataclass
class Rejection:
    origin: str
    position: str
    reason: str
    udb_id: str | None = None
    document: object = None
    text: str | None = None

    def as_json(self) -> dict:
        entry = {"source": self.origin, "position": self.position, "reason": self.reason}
        if self.udb_id:
            entry["id"] = self.udb_id
        if self.document is not None:
            entry["document"] = self.document
        elif self.text is not None:
            entry["text"] = self.text
        return entry


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0  # of the unchanged: older than the stored version
    rejected: int = 0
    unreadable: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "older": self.older,
            "rejected": self.rejected,
            "unreadable": self.unreadable,
        }


def events_import(
    *,
    items: Iterable[Item],
    actor=None,
    description: str = "",
    batch_size: int = BATCH_SIZE,
    on_rejected: Callable[[Rejection], None] | None = None,
    on_batch: Callable[[ImportSummary], None] | None = None,
    summary: ImportSummary | None = None,
) -> ImportSummary:
    """Import documents; `summary` may be passed in so a caller sees unreadable inputs land."""
    run = _Run(summary or ImportSummary(), on_rejected or (lambda rejection: None))
    with _import_lock():
        for batch in _batches(iter(items), batch_size):
            _import_batch(batch, run)
            if on_batch:
                on_batch(run.summary)
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="events.imported",
                object_type="curation.event",
                new_values=run.summary.as_json(),
                note=description[:1000],
            )
    return run.summary


def content_hash(text: bytes) -> str:
    return hashlib.blake2b(text, digest_size=16).hexdigest()


@dataclass
class _Document:
    item: Item
    data: dict
    kind: str
    udb_id: str
    hash: str
    text: bytes


@dataclass
class _Version:
    """The current version of an event: stored, or written earlier in this batch."""

    pk: int | None
    hash: str
    modified: datetime | None
    earlier: list[str]


@dataclass
class _Pending:
    document: _Document
    record: EventRecord
    version: _Version


class _Run:
    def __init__(self, summary: ImportSummary, on_rejected: Callable[[Rejection], None]):
        self.summary = summary
        self.on_rejected = on_rejected
        self.writer = writer_for_connection()
        self.known_terms: set[str] = set(Term.objects.values_list("id", flat=True))
        self.places_written: dict[str, str] = {}
        self.organizers_written: dict[str, str] = {}
        self.batch_order: dict[int, int] = {}
        self.batch_rejections: list[tuple[int, Rejection]] = []

    def start_batch(self, items: list[Item]) -> None:
        self.batch_order = {id(item): index for index, item in enumerate(items)}
        self.batch_rejections = []

    def reject(self, item: Item, reason: str, document=None, udb_id=None) -> None:
        self.summary.rejected += 1
        text = None
        if document is None and item.raw is not None:
            text = item.raw[:10_000].decode(errors="replace")
        rejection = Rejection(item.origin, item.position, reason, udb_id, document, text)
        self.batch_rejections.append((self.batch_order.get(id(item), 0), rejection))

    def report_rejections(self) -> None:
        """In input order, whichever step of the batch refused them."""
        for _index, rejection in sorted(self.batch_rejections, key=lambda entry: entry[0]):
            self.on_rejected(rejection)
        self.batch_rejections = []


def _import_batch(items: list[Item], run: _Run) -> None:
    run.start_batch(items)
    parsed = list(_parsed(items, run))
    events = [document for document in parsed if document.kind == documents.EVENT]
    pending = _changed_events(events, _stored_versions(events), run)
    others = [document for document in parsed if document.kind != documents.EVENT]
    places, organizers = _standalone_records(others, run)
    for entry in pending.values():
        if entry.record.location:
            places.append(entry.record.location)
        if entry.record.organizer:
            organizers.append(entry.record.organizer)
    imported_at = timezone.now()
    with transaction.atomic():
        _write_places(places, run)
        _write_organizers(organizers, run)
        _write_unknown_terms(pending.values(), run)
        new = [_event_row(entry, imported_at) for entry in pending.values() if not entry.version.pk]
        changed = [_event_row(entry, imported_at) for entry in pending.values() if entry.version.pk]
        run.writer.write(new, changed)
        if new or changed:
            events_imported(
                created_ids=[row.pk for row in new], updated_ids=[row.pk for row in changed]
            )
    run.report_rejections()


def _parsed(items: list[Item], run: _Run) -> Iterator[_Document]:
    raw_hashes = {id(item): content_hash(item.raw) for item in items if item.raw is not None}
    known = _stored_hashes(list(raw_hashes.values()))
    for item in items:
        if item.error:
            run.reject(item, item.error)
            continue
        if raw_hashes.get(id(item)) in known:
            run.summary.unchanged += 1
            continue
        document = _parse(item, raw_hashes.get(id(item)), run)
        if document:
            yield document


def _parse(item: Item, raw_hash: str | None, run: _Run) -> _Document | None:
    if item.raw is not None:
        try:
            data = orjson.loads(item.raw)
        except orjson.JSONDecodeError as error:
            run.reject(
                item, f"malformed JSON at {item.position}, column {error.colno}: {error.msg}"
            )
            return None
        text, digest = item.raw, raw_hash
    else:
        data = item.data
        text = orjson.dumps(data)
        digest = content_hash(text)
    try:
        kind, udb_id = documents.identify(data)
        if b"\\u0000" in text and _contains_nul(data):
            raise DocumentError("contains the character U+0000, which cannot be stored")
    except DocumentError as error:
        run.reject(item, str(error), data if isinstance(data, dict) else None)
        return None
    return _Document(item, data, kind, udb_id, digest, text)


def _changed_events(
    events: list[_Document], versions: dict[str, _Version], run: _Run
) -> dict[str, _Pending]:
    pending: dict[str, _Pending] = {}
    summary = run.summary
    for document in events:
        current = versions.get(document.udb_id)
        try:
            modified = documents.parse_date(document.data.get("modified"), "modified")
            if current and (document.hash == current.hash or document.hash in current.earlier):
                summary.unchanged += 1
                continue
            if current and current.modified and (modified is None or modified < current.modified):
                summary.unchanged += 1
                summary.older += 1
                continue
            record = documents.event_record(document.data, document.udb_id)
        except DocumentError as error:
            run.reject(document.item, str(error), document.data, document.udb_id)
            continue
        if current:
            summary.updated += 1
            earlier = [*current.earlier, current.hash][-EARLIER_VERSIONS_KEPT:]
            version = _Version(current.pk, document.hash, modified, earlier)
        else:
            summary.created += 1
            version = _Version(None, document.hash, modified, [])
        versions[document.udb_id] = version
        pending[document.udb_id] = _Pending(document, record, version)
    return pending


def _contains_nul(value) -> bool:
    """PostgreSQL stores no U+0000 in text or JSON; the quick byte check can be a false alarm."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _stored_hashes(hashes: list[str]) -> set[str]:
    if not hashes:
        return set()
    return set(Event.objects.filter(content_hash__in=hashes).values_list("content_hash", flat=True))


def _stored_versions(events: list[_Document]) -> dict[str, _Version]:
    if not events:
        return {}
    rows = Event.objects.filter(udb_id__in={document.udb_id for document in events}).values_list(
        "udb_id", "pk", "content_hash", "modified", "earlier_hashes"
    )
    return {
        udb_id: _Version(pk, digest, modified, earlier or [])
        for udb_id, pk, digest, modified, earlier in rows
    }


def _standalone_records(others: list[_Document], run: _Run) -> tuple[list, list]:
    """Place and organiser documents: counted like events against their stored hash."""
    places, organizers = [], []
    stored = _stored_place_hashes(others)
    for document in others:
        try:
            if document.kind == documents.PLACE:
                record = documents.place_record(document.data, document.udb_id)
            else:
                record = documents.organizer_record(document.data, document.udb_id)
        except DocumentError as error:
            run.reject(document.item, str(error), document.data, document.udb_id)
            continue
        key, digest = (document.kind, document.udb_id), record_hash(record)
        if stored.get(key) == digest:
            run.summary.unchanged += 1
            continue
        run.summary.created += key not in stored
        run.summary.updated += key in stored
        stored[key] = digest
        (places if document.kind == documents.PLACE else organizers).append(record)
    return places, organizers


def record_hash(record: documents.PlaceRecord | documents.OrganizerRecord) -> str:
    """A place or organiser changes when what we keep of it changes, not with every embedding."""
    fields = _PLACE_FIELDS if isinstance(record, documents.PlaceRecord) else _ORGANIZER_FIELDS
    return content_hash(orjson.dumps([getattr(record, name) for name in fields[:-3]]))


def _stored_place_hashes(others: list[_Document]) -> dict[tuple[str, str], str]:
    stored = {}
    for kind, model in ((documents.PLACE, Place), (documents.ORGANIZER, Organizer)):
        ids = [document.udb_id for document in others if document.kind == kind]
        if ids:
            for pk, digest in model.objects.filter(pk__in=ids).values_list("pk", "content_hash"):
                stored[(kind, pk)] = digest
    return stored


def _write_places(records: list[documents.PlaceRecord], run: _Run) -> None:
    full, references = _split_records(records, run.places_written)
    if references:
        Place.objects.bulk_create(
            [Place(id=record.id) for record in references], ignore_conflicts=True
        )
    if full:
        Place.objects.bulk_create(
            [_place(record, digest) for record, digest in full],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=_PLACE_FIELDS,
        )


def _write_organizers(records: list[documents.OrganizerRecord], run: _Run) -> None:
    full, references = _split_records(records, run.organizers_written)
    if references:
        Organizer.objects.bulk_create(
            [Organizer(id=record.id) for record in references], ignore_conflicts=True
        )
    if full:
        Organizer.objects.bulk_create(
            [_organizer(record, digest) for record, digest in full],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=_ORGANIZER_FIELDS,
        )


def _split_records(records: list, written: dict[str, str]) -> tuple[list, list]:
    """Full records that changed since written in this run, and references never seen."""
    full: dict[str, tuple] = {}
    references: dict[str, object] = {}
    for record in records:
        if record.full:
            digest = record_hash(record)
            if written.get(record.id) != digest:
                full[record.id] = (record, digest)
        elif record.id not in written and record.id not in full:
            references[record.id] = record
    if len(written) > SEEN_CACHE_LIMIT:
        written.clear()
    for record_id, (_record, digest) in full.items():
        written[record_id] = digest
        references.pop(record_id, None)
    for record_id in references:
        written[record_id] = ""
    return list(full.values()), list(references.values())


_PLACE_FIELDS = [
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
_ORGANIZER_FIELDS = [
    "name",
    "name_text",
    "url",
    "city",
    "labels",
    "hidden_labels",
    "document",
    "content_hash",
    "updated_at",
]


def _place(record: documents.PlaceRecord, digest: str) -> Place:
    return Place(
        id=record.id,
        content_hash=digest,
        **{name: getattr(record, name) for name in _PLACE_FIELDS[:-2]},
    )


def _organizer(record: documents.OrganizerRecord, digest: str) -> Organizer:
    return Organizer(
        id=record.id,
        content_hash=digest,
        **{name: getattr(record, name) for name in _ORGANIZER_FIELDS[:-2]},
    )


def _write_unknown_terms(pending: Iterable[_Pending], run: _Run) -> None:
    """A term id that the taxonomy does not know is kept, flagged, with the event's label."""
    unknown: dict[str, Term] = {}
    for entry in pending:
        for term in entry.record.terms:
            if term.id not in run.known_terms and term.id not in unknown:
                unknown[term.id] = Term(
                    id=term.id, domain=term.domain, label_nl=term.label, unknown=True
                )
    if unknown:
        Term.objects.bulk_create(unknown.values(), ignore_conflicts=True)
        run.known_terms.update(unknown)


def _event_row(entry: _Pending, imported_at: datetime) -> EventRow:
    record, version = entry.record, entry.version
    values = {
        "udb_id": record.udb_id,
        "source": Event.Source.UITDATABANK,
        "name": record.name,
        "name_text": record.name_text,
        "description": record.description,
        "description_text": record.description_text,
        "main_language": record.main_language,
        "event_type_id": record.event_type_id,
        "min_age": record.min_age,
        "max_age": record.max_age,
        "all_ages": record.all_ages,
        "attendance_mode": record.attendance_mode,
        "online_url": record.online_url,
        "location_id": record.location.id if record.location else None,
        "organizer_id": record.organizer.id if record.organizer else None,
        "calendar_type": record.calendar_type,
        "start": record.start,
        "end": record.end,
        "workflow_status": record.workflow_status,
        "status": record.status,
        "audience_type": record.audience_type,
        "labels": record.labels,
        "hidden_labels": record.hidden_labels,
        "created": record.created,
        "modified": record.modified,
        "document": entry.document.data,
        "content_hash": version.hash,
        "earlier_hashes": version.earlier,
        "search_text": record.search_text,
        "imported_at": imported_at,
    }
    return EventRow(
        values=values,
        document_json=entry.document.text,
        term_ids=[term.id for term in record.terms],
        pk=version.pk,
    )


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while batch := list(islice(items, size)):
        yield batch


class _import_lock:
    """One import at a time on PostgreSQL: two would race to insert the same new event."""

    def __enter__(self):
        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_ID])
            if not cursor.fetchone()[0]:
                raise ImportAlreadyRunning("another import of events is running; try again later")
        return self

    def __exit__(self, *exc_info):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])
        return False
