"""Import of UiTdatabank JSON-LD into the catalogue, in batches.

Each batch reads the stored versions of its events in one query. A JSON Lines document whose
bytes hash to the stored hash is unchanged and never parsed: that keeps a re-import fast. Any
other document is applied when its event is new, or when it is neither older (`modified`) than
the current version nor a version imported before (the current hash and the last few), so an
earlier file imported again changes nothing. Places, organisers, unknown terms and events are
then written in one transaction, which also sends `events_imported` (family classifies there).
A document that is not an event the catalogue can hold is rejected with its place and reason;
the others go on. A defect worked around is a data finding of the event, written, and closed
when a later version no longer has it, in the same transaction (events.services.findings).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from itertools import islice

import orjson
from django.db import connection, transaction
from django.utils import timezone

from core.services import audit_record
from events.models import Event, Organizer, Place, Term
from events.selectors import forget_terms
from events.services import documents
from events.services.documents import DocumentError, EventRecord, Finding, content_hash
from events.services.findings import findings_apply
from events.services.sources import Item
from events.services.writers import (
    ORGANIZER_FIELDS,
    PLACE_FIELDS,
    Batch,
    batch_write,
    reserve_ids,
)
from events.signals import events_imported

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
class FindingReport:
    """A finding met in an imported document, with where the document was."""

    origin: str
    position: str
    udb_id: str
    finding: Finding

    def as_json(self) -> dict:
        from events.findings import finding_message

        finding = self.finding
        return {
            "source": self.origin,
            "position": self.position,
            "id": self.udb_id,
            "finding": finding.kind,
            "field": finding.field,
            "value": finding.value,
            "message": finding_message(finding.kind, finding.field, finding.value),
        }


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0  # of the unchanged: older than the stored version
    rejected: int = 0
    unreadable: list[str] = field(default_factory=list)
    # Findings met in the documents imported, per kind; and those closed by newer versions.
    findings: dict[str, int] = field(default_factory=dict)
    findings_closed: int = 0

    @property
    def documents(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}, "
            f"findings {sum(self.findings.values())}"
        )

    def findings_line(self) -> str:
        """Findings per kind, most frequent first: "wrong_domain 4, number_as_text 1"."""
        counts = sorted(self.findings.items(), key=lambda entry: (-entry[1], entry[0]))
        return ", ".join(f"{kind} {count}" for kind, count in counts)

    def as_json(self) -> dict:
        return asdict(self)


def events_import(
    *,
    items: Iterable[Item],
    actor=None,
    description: str = "",
    batch_size: int = BATCH_SIZE,
    on_rejected: Callable[[Rejection], None] | None = None,
    on_batch: Callable[[ImportSummary], None] | None = None,
    summary: ImportSummary | None = None,
    on_finding: Callable[[FindingReport], None] | None = None,
) -> ImportSummary:
    """Import documents, one transaction per batch, and leave one audit row with the counts.
    `summary` may be passed in so a caller sees unreadable inputs land."""
    run = _Run(summary or ImportSummary(), on_rejected or (lambda rejection: None))
    with _import_lock():
        for items_of_batch in _batches(iter(items), batch_size):
            batch = _prepare_batch(items_of_batch, run)
            run.summary.findings_closed += _write(batch)
            run.report_rejections()
            if on_finding:
                for report in batch.finding_reports:
                    on_finding(report)
            if on_batch:
                on_batch(run.summary)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="events.imported",
            object_type="events.event",
            new_values=run.summary.as_json(),
            note=description[:1000],
        )
    return run.summary


@contextmanager
def _import_lock() -> Iterator[None]:
    """One import at a time: two would race to insert the same new event."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_ID])
        if not cursor.fetchone()[0]:
            raise ImportAlreadyRunning("another import of events is running; try again later")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])


def _write(batch: Batch) -> int:
    """A batch is written whole or not at all, with its findings and what the signal's
    receivers write. Returns how many findings newer versions closed."""
    with transaction.atomic():
        batch_write(batch)
        closed = findings_apply(
            found=batch.findings, reread=[row["id"] for row in batch.changed], now=batch.now
        )
        if batch.terms:
            transaction.on_commit(forget_terms)
        if batch.new or batch.changed:
            events_imported.send(
                sender=Event,
                created_ids=[row["id"] for row in batch.new],
                updated_ids=[row["id"] for row in batch.changed],
                rows=[*batch.new, *batch.changed],
            )
    return closed


@dataclass
class _Document:
    item: Item
    data: dict
    kind: str
    udb_id: str
    hash: str
    text: bytes
    # Of an event to write: its columns and the version it becomes.
    record: EventRecord | None = None
    version: _Version | None = None


@dataclass
class _Version:
    """The current version of an event: stored, or read earlier in this batch."""

    pk: int | None
    hash: str
    modified: datetime | None
    earlier: list[str]


class _Run:
    def __init__(self, summary: ImportSummary, on_rejected: Callable[[Rejection], None]):
        self.summary = summary
        self.on_rejected = on_rejected
        self.known_terms: set[str] = set()
        self.taxonomy: dict[str, str] = {}  # id -> domain of the terms the taxonomy knows
        for term_id, domain, unknown in Term.objects.values_list("id", "domain", "unknown"):
            self.known_terms.add(term_id)
            if not unknown:
                self.taxonomy[term_id] = domain
        self.places_written: dict[str, str] = {}
        self.organizers_written: dict[str, str] = {}
        self.embedded: dict = {}
        self.batch_order: dict[int, int] = {}
        self.batch_rejections: list[tuple[int, Rejection]] = []

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
        rejection = Rejection(item.origin, item.position, reason, udb_id, document, text)
        self.batch_rejections.append((self.batch_order.get(id(item), 0), rejection))

    def report_rejections(self) -> None:
        """In input order, whichever step of the batch refused them."""
        for _index, rejection in sorted(self.batch_rejections, key=lambda entry: entry[0]):
            self.on_rejected(rejection)
        self.batch_rejections = []


def _prepare_batch(items: list[Item], run: _Run) -> Batch:
    run.start_batch(items)
    lookup = _Lookup()
    candidates = {id(item): raw_event_id(item.raw) for item in items if item.raw is not None}
    lookup.fetch(candidates.values())
    pending, others = _read_batch(items, candidates, lookup, run)
    places, organizers = _standalone_records(others, run)
    for entry in pending.values():
        if entry.record.location:
            places.append(entry.record.location)
        if entry.record.organizer:
            organizers.append(entry.record.organizer)
    batch = Batch(terms=_unknown_terms(pending.values(), run))
    batch.places, batch.place_references = _related(
        Place, places, run.places_written, PLACE_FIELDS[:-2]
    )
    batch.organizers, batch.organizer_references = _related(
        Organizer, organizers, run.organizers_written, ORGANIZER_FIELDS[:-2]
    )
    new = [entry for entry in pending.values() if entry.version.pk is None]
    changed = [entry for entry in pending.values() if entry.version.pk is not None]
    for entry, pk in zip(new, reserve_ids(len(new)) if new else [], strict=True):
        entry.version.pk = pk
    batch.now = timezone.now()
    batch.new = [_event_row(entry, batch.now) for entry in new]
    batch.changed = [_event_row(entry, batch.now) for entry in changed]
    _batch_findings(batch, pending.values(), run.summary)
    return batch


def _batch_findings(batch: Batch, pending: Iterable[_Document], summary: ImportSummary) -> None:
    """The findings of the versions the batch writes, by event id, and where each was met."""
    for entry in pending:
        if entry.record.findings:
            batch.findings[entry.version.pk] = entry.record.findings
            for finding in entry.record.findings:
                summary.findings[finding.kind] = summary.findings.get(finding.kind, 0) + 1
            item = entry.item
            batch.finding_reports.extend(
                FindingReport(item.origin, item.position, entry.udb_id, finding)
                for finding in entry.record.findings
            )


class _Lookup:
    """Stored versions of events, read once per id per batch."""

    def __init__(self):
        self.versions: dict[str, _Version] = {}
        self.asked: set[str] = set()

    def fetch(self, udb_ids: Iterable[str | None]) -> None:
        wanted = {udb_id for udb_id in udb_ids if udb_id and udb_id not in self.asked}
        if not wanted:
            return
        self.asked |= wanted
        # One array parameter rather than Django's IN list of thousands of ids.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT udb_id, id, content_hash, modified, earlier_hashes FROM events_event "
                "WHERE udb_id = ANY(%s::varchar[])",
                [list(wanted)],
            )
            for udb_id, pk, digest, modified, earlier in cursor.fetchall():
                self.versions[udb_id] = _Version(pk, digest, modified, orjson.loads(earlier))


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
) -> tuple[dict[str, _Document], list[_Document]]:
    """The batch's changed events, and its place and organiser documents. Each event is
    parsed, turned into its record and its parsed document let go before the next one is
    parsed: the memory of one is reused by the next instead of a batch's worth of fresh
    memory (page faults) for documents alive at once."""
    pending: dict[str, _Document] = {}
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
        pending = dict(sorted(pending.items(), key=lambda entry: order[id(entry[1].item)]))
    return pending, others


def _add_if_changed(
    document: _Document, versions: dict[str, _Version], run: _Run, pending: dict[str, _Document]
) -> None:
    summary = run.summary
    current = versions.get(document.udb_id)
    try:
        if current and _is_current_or_older(document, current, summary):
            return
        record = documents.event_record(document.data, document.udb_id, run.embedded, run.taxonomy)
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
    document.record, document.version = record, version
    pending.pop(document.udb_id, None)  # keeps the input order of the last version
    pending[document.udb_id] = document


def _is_current_or_older(document: _Document, current: _Version, summary) -> bool:
    """Counted as unchanged: a version imported before, or one older than the current."""
    # A `modified` that cannot be read counts as none (a finding when the version is applied).
    modified = documents.modified_of(document.data)
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
    places, organizers, stored = [], [], {}
    for kind, model in ((documents.PLACE, Place), (documents.ORGANIZER, Organizer)):
        ids = [document.udb_id for document in others if document.kind == kind]
        for pk, digest in model.objects.filter(pk__in=ids).values_list("pk", "content_hash"):
            stored[(kind, pk)] = digest
    for document in others:
        try:
            record = documents.located_record(document.kind, document.data, document.udb_id)
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


def _related(model, records: list, written: dict[str, str], fields: list[str]) -> tuple:
    """Places or organisers: instances of the full records that changed since written in this
    run, and of the references never seen."""
    full: dict[str, object] = {}
    references: set[str] = set()
    for record in records:
        if record.full:
            if written.get(record.id) != record.hash:
                full[record.id] = record
        elif record.id not in written:
            references.add(record.id)
    references -= full.keys()
    written.update({record_id: record.hash for record_id, record in full.items()})
    written.update(dict.fromkeys(references, ""))
    return (
        [
            model(id=record.id, content_hash=record.hash, **{f: getattr(record, f) for f in fields})
            for record in full.values()
        ],
        [model(id=record_id) for record_id in references],
    )


def _unknown_terms(pending: Iterable[_Document], run: _Run) -> list[Term]:
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


def _event_row(entry: _Document, imported_at: datetime) -> dict:
    """The event's row, keyed by column: what writers.copy_rows writes and the signal sends.
    Written out field by field: a copy of the record's dict is slower, once per event."""
    record, version = entry.record, entry.version
    return {
        "id": version.pk,
        "udb_id": record.udb_id,
        "source": Event.Source.UITDATABANK.value,
        "name": record.name,
        "name_text": record.name_text,
        "description": record.description,
        "description_text": record.description_text,
        "main_language": record.main_language,
        "event_type_id": record.event_type_id,
        "term_ids": [term.id for term in record.terms],
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
        "document": entry.text,
        "content_hash": version.hash,
        "earlier_hashes": version.earlier,
        "imported_at": imported_at,
    }


def _batches(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while batch := list(islice(items, size)):
        yield batch
