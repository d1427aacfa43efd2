"""Import of UiTdatabank JSON-LD into the catalogue, in batches.

For each batch of documents:

1. The stored version of every event in the batch is read with one query (by the id in @id,
   which for JSON Lines is found without parsing the line). A JSON Lines document whose bytes
   hash to the stored hash is unchanged and is never parsed: that makes a re-import fast.
2. In input order, each other document is compared with the current version of its event
   (stored, or written earlier in this import): it is applied when its event is new, or when it
   is not older (`modified`) than the current version and is not a version already imported
   (the current hash and the last few replaced ones). So re-importing earlier files changes
   nothing, in whatever order, and an older export never overwrites a newer one.
3. Each event is classified by the active family-offer rule from the values just read (on
   PostgreSQL the writer stores the result with the event; elsewhere the hook below does).
4. Places, organisers and unknown terms are upserted (each at most once per run unless it
   changed), then the events, all in one transaction, and `events_imported` is called with the
   ids written, in that transaction (the hook for classification and queues).

A document that cannot be imported is rejected with its place in the input and the reason; the
others go on. Nothing of a rejected document is written.

On PostgreSQL, outside a surrounding transaction, batches are written by a second thread while
the next ones are read: Python and PostgreSQL each keep one core busy. Events of the batches
being written are looked up in memory (`in_flight`), as the database does not show them yet.
"""

from __future__ import annotations

import gc
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

import orjson
from django.db import connection, transaction
from django.utils import timezone

from core.services import audit_record
from events.models import Event, Organizer, Place, Term
from events.selectors import forget_terms
from events.services import documents
from events.services.deferred_indexes import indexes_deferred_if_empty
from events.services.documents import DocumentError, EventRecord, content_hash
from events.services.sources import Item
from events.services.writers import (
    ORGANIZER_FIELDS,
    PLACE_FIELDS,
    Batch,
    EventRow,
    reserve_ids,
    writer_for_connection,
)
from events.services.written_ids import WrittenIds
from events.signals import events_imported
from family.services.classify import family_classifier

BATCH_SIZE = 2000
# How many replaced versions of an event are remembered, so that re-importing an old file does
# not bring an old version back.
EARLIER_VERSIONS_KEPT = 8
# Places and organisers seen in this run; bounded so that memory stays flat whatever the input.
SEEN_CACHE_LIMIT = 100_000
_LOCK_ID = 0x6375726174696F6E  # "curation": one import at a time
# The event's "@id" in a JSON Lines document, found without parsing it: the first event URL
# (UiTdatabank writes the event's own first; an event embeds no other event), else the first
# "@id" (a place or organiser document). If it is another one, the lookup simply finds no
# stored event and the line is parsed.
_RAW_EVENT_ID = re.compile(rb'"@id"\s*:\s*"[^"]*/events?/([^"]{8,300})"', re.IGNORECASE)
_RAW_ID = re.compile(rb'"@id"\s*:\s*"([^"]{8,300})"')


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
    sequence: int = 0  # the item's place in the whole input (Item.sequence)

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
    on_index_build: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import documents; `summary` may be passed in so a caller sees unreadable inputs land.
    Into an empty catalogue, the events' indexes are built at the end (deferred_indexes)."""
    with import_lock(), indexes_deferred_if_empty(on_build=on_index_build) as started_empty:
        summary = events_import_unlocked(
            items=items,
            batch_size=batch_size,
            on_rejected=on_rejected,
            on_batch=on_batch,
            summary=summary,
            started_empty=started_empty,
        )
    audit_import(summary, actor=actor, description=description)
    return summary


def events_import_unlocked(
    *,
    items: Iterable[Item],
    batch_size: int = BATCH_SIZE,
    on_rejected: Callable[[Rejection], None] | None = None,
    on_batch: Callable[[ImportSummary], None] | None = None,
    summary: ImportSummary | None = None,
    owned: Callable[[str], bool] | None = None,
    on_stray: Callable[[Item], None] | None = None,
    started_empty: bool = False,
) -> ImportSummary:
    """The import itself, for a caller that holds `import_lock` and writes the audit row (the
    parallel import: each of its processes imports a share of the documents). With `owned`,
    a document whose id it refuses is handed to `on_stray` instead, uncounted.

    `started_empty`: the catalogue had no event when the caller took the lock, and only this
    run writes the ids it imports (a parallel process: the ids it owns). Stored versions are
    then asked for only for ids this run has written (written_ids.py)."""
    run = _Run(
        summary or ImportSummary(),
        on_rejected or (lambda rejection: None),
        owned,
        on_stray,
        WrittenIds() if started_empty else None,
    )
    with _quiet_garbage_collector(), _Pipeline(run.writer) as pipeline:
        for items_of_batch in _batches(iter(items), batch_size):
            batch, versions = _prepare_batch(items_of_batch, run, pipeline.in_flight)
            pipeline.submit(batch, versions)
            run.report_rejections()
            if on_batch:
                on_batch(run.summary)
    return run.summary


def audit_import(summary: ImportSummary, *, actor=None, description: str = "") -> None:
    """One audit row per import run, with its counts."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="events.imported",
            object_type="events.event",
            new_values=summary.as_json(),
            note=description[:1000],
        )


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
    """The current version of an event: stored, or written earlier in this import."""

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
    def __init__(
        self,
        summary: ImportSummary,
        on_rejected: Callable[[Rejection], None],
        owned: Callable[[str], bool] | None = None,
        on_stray: Callable[[Item], None] | None = None,
        written: WrittenIds | None = None,
    ):
        self.summary = summary
        self.on_rejected = on_rejected
        self.owned = owned
        self.on_stray = on_stray
        self.writer = writer_for_connection()
        self.known_terms: set[str] = set(Term.objects.values_list("id", flat=True))
        self.places_written: dict[str, str] = {}
        self.organizers_written: dict[str, str] = {}
        self.embedded: dict = {}
        self.batch_order: dict[int, int] = {}
        self.batch_rejections: list[tuple[int, Rejection]] = []
        self.written = written

    def start_batch(self, items: list[Item]) -> None:
        self.batch_order = {id(item): index for index, item in enumerate(items)}
        self.batch_rejections = []
        for cache_ in (self.places_written, self.organizers_written, self.embedded):
            if len(cache_) > SEEN_CACHE_LIMIT:
                cache_.clear()

    def reject(self, item: Item, reason: str, document=None, udb_id=None) -> None:
        self.summary.rejected += 1
        text = None
        if document is None and item.raw is not None:
            text = item.raw[:10_000].decode(errors="replace")
        rejection = Rejection(
            item.origin, item.position, reason, udb_id, document, text, item.sequence
        )
        self.batch_rejections.append((self.batch_order.get(id(item), 0), rejection))

    def report_rejections(self) -> None:
        """In input order, whichever step of the batch refused them."""
        for _index, rejection in sorted(self.batch_rejections, key=lambda entry: entry[0]):
            self.on_rejected(rejection)
        self.batch_rejections = []


def _prepare_batch(
    items: list[Item], run: _Run, in_flight: dict[str, _Version]
) -> tuple[Batch, dict[str, _Version]]:
    run.start_batch(items)
    lookup = _Lookup(in_flight, run.written)
    candidates = {id(item): raw_id_of(item) for item in items if item.raw is not None}
    lookup.fetch(candidates.values())
    pending, others = _read_batch(items, candidates, lookup, run)
    places, organizers = _standalone_records(others, run)
    for entry in pending.values():
        if entry.record.location:
            places.append(entry.record.location)
        if entry.record.organizer:
            organizers.append(entry.record.organizer)
    if run.written is not None:
        run.written.add(pending)
    batch = Batch(terms=_unknown_terms(pending.values(), run))
    batch.places, batch.place_references = _places(places, run.places_written)
    batch.organizers, batch.organizer_references = _organizers(organizers, run.organizers_written)
    new = [entry for entry in pending.values() if entry.version.pk is None]
    changed = [entry for entry in pending.values() if entry.version.pk is not None]
    for entry, pk in zip(new, reserve_ids(len(new)), strict=True):
        entry.version.pk = pk  # None with the ORM writer: bulk_create sets it
    imported_at = timezone.now()
    batch.created_ids = [entry.version.pk for entry in new]
    batch.updated_ids = [entry.version.pk for entry in changed]
    classify = family_classifier() if run.writer.stores_classifications else None
    run.writer.prepare(
        batch,
        [_event_row(entry, imported_at, classify) for entry in new],
        [_event_row(entry, imported_at, classify) for entry in changed],
    )
    return batch, {udb_id: entry.version for udb_id, entry in pending.items()}


class _Lookup:
    """Stored versions of events, read once per id per batch; batches in flight win. With
    `written`, only ids written earlier in this run can be stored (see events_import_unlocked)."""

    def __init__(self, in_flight: dict[str, _Version], written: WrittenIds | None = None):
        self.in_flight = in_flight
        self.written = written
        self.versions: dict[str, _Version] = {}
        self.asked: set[str] = set()

    def fetch(self, udb_ids: Iterable[str | None]) -> None:
        wanted = {udb_id for udb_id in udb_ids if udb_id and udb_id not in self.asked}
        if not wanted:
            return
        self.asked |= wanted
        from_database = wanted - self.in_flight.keys()
        if from_database and self.written is not None:
            from_database = self.written.to_look_up(from_database)
        if from_database:
            for udb_id, pk, digest, modified, earlier in _stored_versions(from_database):
                self.versions[udb_id] = _Version(pk, digest, modified, earlier or [])
        for udb_id in wanted & self.in_flight.keys():
            version = self.in_flight[udb_id]
            self.versions[udb_id] = _Version(
                version.pk, version.hash, version.modified, list(version.earlier)
            )


def _stored_versions(udb_ids: set[str]) -> Iterable[tuple]:
    """(udb_id, pk, hash, modified, earlier hashes) of the stored events among `udb_ids`."""
    if connection.vendor != "postgresql":
        return Event.objects.filter(udb_id__in=udb_ids).values_list(
            "udb_id", "pk", "content_hash", "modified", "earlier_hashes"
        )
    # One array parameter rather than Django's IN list of thousands: half the time, most of it
    # spent by the importing thread waiting.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT udb_id, id, content_hash, modified, earlier_hashes FROM events_event "
            "WHERE udb_id = ANY(%s::varchar[])",
            [list(udb_ids)],
        )
        return [(*row[:4], orjson.loads(row[4])) for row in cursor.fetchall()]


def raw_id_of(item: Item) -> str | None:
    """raw_event_id of a JSON Lines item, looked for once (a parallel import's share asks first)."""
    if item.raw_id is None:
        item.raw_id = raw_event_id(item.raw) or ""
    return item.raw_id or None


def raw_event_id(raw: bytes) -> str | None:
    """The id of a JSON Lines document's own @id, most likely (see _RAW_EVENT_ID)."""
    match = _RAW_EVENT_ID.search(raw) or _RAW_ID.search(raw)
    if not match:
        return None
    return match.group(1).rstrip(b"/").rsplit(b"/", 1)[-1].decode(errors="replace").lower()


def _parsed(
    items: list[Item], candidates: dict[int, str | None], stored: dict[str, _Version], run: _Run
) -> Iterator[_Document]:
    for item in items:
        if item.error:
            run.reject(item, item.error)
            continue
        raw_hash = None
        if item.raw is not None:
            raw_hash = content_hash(item.raw)
            version = stored.get(candidates.get(id(item)))
            if version is not None and documents.is_version_of(item.raw, raw_hash, [version.hash]):
                run.summary.unchanged += 1
                continue
        document = _parse(item, raw_hash, run)
        if document and run.owned and not run.owned(document.udb_id):
            run.on_stray(item)
        elif document:
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


def _contains_nul(value) -> bool:
    """PostgreSQL stores no U+0000 in text or JSON; the quick byte check can be a false alarm."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _read_batch(
    items: list[Item], candidates: dict[int, str | None], lookup: _Lookup, run: _Run
) -> tuple[dict[str, _Pending], list[_Document]]:
    """The batch's changed events, and its place and organiser documents. Each event is
    parsed, turned into its record and its parsed document let go before the next one is
    parsed: the memory of one is reused by the next instead of a batch's worth of fresh
    memory (page faults) for documents alive at once."""
    pending: dict[str, _Pending] = {}
    others, unlooked = [], []
    # The quick check of a line's bytes compares with the versions from before this batch, as
    # when the batch was parsed whole first (the loop adds this batch's versions).
    versions_before = dict(lookup.versions)
    for document in _parsed(items, candidates, versions_before, run):
        if document.kind != documents.EVENT:
            others.append(document)
        elif document.udb_id in lookup.asked:
            _add_if_changed(document, lookup.versions, run, pending)
        else:  # its id was not where raw_event_id looked: asked for in one query below
            unlooked.append(document)
    if unlooked:
        lookup.fetch(document.udb_id for document in unlooked)
        for document in unlooked:
            _add_if_changed(document, lookup.versions, run, pending)
        # Back in input order (ids of new events, the last of differing embedded places).
        order = run.batch_order
        pending = dict(sorted(pending.items(), key=lambda entry: order[id(entry[1].document.item)]))
    return pending, others


def _add_if_changed(
    document: _Document, versions: dict[str, _Version], run: _Run, pending: dict[str, _Pending]
) -> None:
    summary = run.summary
    current = versions.get(document.udb_id)
    try:
        if current and _is_current_or_older(document, current, summary):
            return
        record = documents.event_record(document.data, document.udb_id, run.embedded)
    except DocumentError as error:
        run.reject(document.item, str(error), document.data, document.udb_id)
        return
    finally:
        document.data = None
    if current:  # stored, or created earlier in this batch
        summary.updated += 1
        earlier = [*current.earlier, current.hash][-EARLIER_VERSIONS_KEPT:]
        version = _Version(current.pk, document.hash, record.modified, earlier)
    else:
        summary.created += 1
        version = _Version(None, document.hash, record.modified, [])
    versions[document.udb_id] = version
    pending.pop(document.udb_id, None)  # keeps the input order of the last version
    pending[document.udb_id] = _Pending(document, record, version)


def _is_current_or_older(document: _Document, current: _Version, summary) -> bool:
    """Counted as unchanged: a version imported before, or one older than the current."""
    # Checked first, as event_record does: a document without a valid `modified` is rejected.
    modified = documents.parse_date(document.data.get("modified"), "modified")
    if documents.is_version_of(document.text, document.hash, [current.hash, *current.earlier]):
        summary.unchanged += 1
        return True
    if current.modified and (modified is None or modified < current.modified):
        summary.unchanged += 1
        summary.older += 1
        return True
    return False


def _standalone_records(others: list[_Document], run: _Run) -> tuple[list, list]:
    """Place and organiser documents: counted like events, against what we keep of them."""
    places, organizers = [], []
    stored = _stored_record_hashes(others)
    for document in others:
        try:
            if document.kind == documents.PLACE:
                record = documents.place_record(document.data, document.udb_id)
            else:
                record = documents.organizer_record(document.data, document.udb_id)
        except DocumentError as error:
            run.reject(document.item, str(error), document.data, document.udb_id)
            continue
        key = (document.kind, document.udb_id)
        if stored.get(key) == record.hash:
            run.summary.unchanged += 1
            continue
        run.summary.created += key not in stored
        run.summary.updated += key in stored
        stored[key] = record.hash
        (places if document.kind == documents.PLACE else organizers).append(record)
    return places, organizers


def _stored_record_hashes(others: list[_Document]) -> dict[tuple[str, str], str]:
    stored = {}
    for kind, model in ((documents.PLACE, Place), (documents.ORGANIZER, Organizer)):
        ids = [document.udb_id for document in others if document.kind == kind]
        if ids:
            for pk, digest in model.objects.filter(pk__in=ids).values_list("pk", "content_hash"):
                stored[(kind, pk)] = digest
    return stored


def _places(records: list, written: dict[str, str]) -> tuple[list[Place], list[Place]]:
    full, references = _split_records(records, written)
    return (
        [_model(Place, record, PLACE_FIELDS) for record in full],
        [Place(id=record_id) for record_id in references],
    )


def _organizers(records: list, written: dict[str, str]) -> tuple[list, list]:
    full, references = _split_records(records, written)
    return (
        [_model(Organizer, record, ORGANIZER_FIELDS) for record in full],
        [Organizer(id=record_id) for record_id in references],
    )


def _model(model, record, fields: list[str]):
    values = {name: getattr(record, name) for name in fields[:-2]}
    return model(id=record.id, content_hash=record.hash, **values)


def _split_records(records: list, written: dict[str, str]) -> tuple[list, list[str]]:
    """Full records that changed since written in this run, and references never seen."""
    full: dict[str, object] = {}
    references: set[str] = set()
    for record in records:
        if record.full:
            if written.get(record.id) != record.hash:
                full[record.id] = record
        elif record.id not in written:
            references.add(record.id)
    for record_id, record in full.items():
        written[record_id] = record.hash
    references -= full.keys()
    for record_id in references:
        written[record_id] = ""
    # Sorted by id: two import processes then take the rows' locks in the same order.
    return sorted(full.values(), key=_record_id), sorted(references)


def _record_id(record) -> str:
    return record.id


def _unknown_terms(pending: Iterable[_Pending], run: _Run) -> list[Term]:
    """A term id that the taxonomy does not know is kept, flagged, with the event's label."""
    unknown: dict[str, Term] = {}
    for entry in pending:
        for term in entry.record.terms:
            if term.id not in run.known_terms and term.id not in unknown:
                unknown[term.id] = Term(
                    id=term.id, domain=term.domain, label_nl=term.label, unknown=True
                )
    run.known_terms.update(unknown)
    return [unknown[term_id] for term_id in sorted(unknown)]


def _event_row(entry: _Pending, imported_at: datetime, classify) -> EventRow:
    """The event's values in EVENT_COLUMNS order (writers.py), and its classification."""
    record, version = entry.record, entry.version
    location, organizer = record.location, record.organizer
    term_ids = [term.id for term in record.terms]
    values = (
        version.pk,
        record.udb_id,
        Event.Source.UITDATABANK.value,
        record.name,
        record.name_text,
        record.description,
        record.description_text,
        record.main_language,
        record.event_type_id,
        term_ids,
        record.min_age,
        record.max_age,
        record.all_ages,
        record.attendance_mode,
        record.online_url,
        location.id if location else None,
        organizer.id if organizer else None,
        record.calendar_type,
        record.start,
        record.end,
        record.workflow_status,
        record.status,
        record.audience_type,
        record.labels,
        record.hidden_labels,
        record.created,
        record.modified,
        entry.document.text,
        version.hash,
        version.earlier,
        imported_at,
    )
    family = None
    if classify:
        family = classify(
            (
                record.name_text,
                record.description_text,
                record.event_type_id,
                term_ids,
                record.min_age,
                record.max_age,
            )
        )
    return EventRow(values=values, family=family)


def _after_write(batch: Batch) -> None:
    """Inside the batch's transaction, once its rows are in."""
    if batch.terms:
        transaction.on_commit(forget_terms)
    if batch.created_ids or batch.updated_ids:
        events_imported.send(
            sender=Event,
            created_ids=batch.created_ids,
            updated_ids=batch.updated_ids,
            classified=batch.classified,
        )


class _Pipeline:
    """Writes batches in order: in a second thread on PostgreSQL, else right away.

    Up to two batches wait for or are in the writing thread, so that neither side waits for
    the other when one batch takes a little longer to read or to write. If one fails, the
    batches after it are not written (they may update events it would have created) and the
    import stops with its error.
    """

    DEPTH = 2

    def __init__(self, writer):
        self.writer = writer
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.executor = ThreadPoolExecutor(1, "event-import") if threaded else None
        self.pending: deque[tuple[Future, dict[str, _Version]]] = deque()
        self.failed = False
        # Versions of the events of the batches not yet written, the latest batch's winning.
        self.in_flight: dict[str, _Version] = {}

    def __enter__(self):
        return self

    def submit(self, batch: Batch, versions: dict[str, _Version]) -> None:
        if not self.executor:
            self.writer.write(batch, _after_write)
            return
        while len(self.pending) >= self.DEPTH:
            self._finish_oldest()
        self.pending.append((self.executor.submit(self._write, batch), versions))
        self.in_flight = {**self.in_flight, **versions}

    def _write(self, batch: Batch) -> None:
        """In the writing thread, one batch after the other."""
        if self.failed:
            raise RuntimeError("not written: an earlier batch failed")
        try:
            self.writer.write(batch, _after_write)
        except BaseException:
            self.failed = True
            raise

    def _finish_oldest(self) -> None:
        future, _versions = self.pending.popleft()
        future.result()
        self.in_flight = {}  # written now: the database has them
        for _future, versions in self.pending:
            self.in_flight.update(versions)

    def wait(self) -> None:
        while self.pending:
            self._finish_oldest()

    def __exit__(self, exc_type, exc, traceback):
        try:
            if exc_type is None:
                self.wait()
            else:  # the batches in the thread end as they may; the error on its way is the one
                for future, _versions in self.pending:
                    with suppress(BaseException):
                        future.result()
        finally:
            if self.executor:
                # A lambda: `connection` must resolve in the writing thread, to its own.
                self.executor.submit(lambda: connection.close()).result()
                self.executor.shutdown()
        return False


@contextmanager
def _quiet_garbage_collector():
    """Batches are tens of thousands of young dicts; Python's cyclic collector would walk them
    again and again (a third of the import's time). Nothing here builds cycles worth waiting
    for: collect the young generations once per import instead."""
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()
        gc.collect(1)


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while batch := list(islice(items, size)):
        yield batch


class import_lock:
    """One import at a time on PostgreSQL: two would race to insert the same new event. The
    lock belongs to the session of `using` (the default connection unless given)."""

    def __init__(self, using=None):
        self.connection = using or connection

    def __enter__(self):
        if self.connection.vendor != "postgresql":
            return self
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_ID])
            if not cursor.fetchone()[0]:
                raise ImportAlreadyRunning("another import of events is running; try again later")
        return self

    def __exit__(self, *exc_info):
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])
        return False
