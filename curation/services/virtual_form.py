"""The CSV export of the form used while UiTdatabank could not take virtual offer.

Columns: title, description, url, kind, start, end, organiser, contact_email. Each valid row
becomes an online event (`source = "form"`) with an id derived from its title, URL and start,
so importing an export again changes nothing; invalid rows are reported with their line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from curation.models import OfferKind
from events.models import NIL_PLACE_ID, Event, Organizer, Place
from events.signals import events_imported

COLUMNS = ("title", "description", "url", "kind", "start", "end", "organiser", "contact_email")
REQUIRED = ("title", "url", "kind", "start")
# The form's own wording of the kinds of offer, besides our codes.
KIND_WORDS = {
    "live aanbod cultuurhuizen": OfferKind.LIVE,
    "live aanbod van cultuurhuizen": OfferKind.LIVE,
    "tijdelijk evenementenaanbod": OfferKind.TEMPORARY,
    "tijdelijk aanbod": OfferKind.TEMPORARY,
    "virtuele tour": OfferKind.VIRTUAL_TOUR,
    "virtuele rondleiding": OfferKind.VIRTUAL_TOUR,
    "vormingsaanbod": OfferKind.LEARNING,
    "afhaalaanbod": OfferKind.TAKE_AWAY,
    "ander": OfferKind.OTHER,
    "andere": OfferKind.OTHER,
}
_NAMESPACE = uuid.UUID("5b0e8a52-3f0c-4c1e-9d7e-6a1f2c3b4d5e")
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y")


class FormFileError(Exception):
    """The file cannot be read at all (missing columns, not CSV, not UTF-8)."""


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class FormImportResult:
    created: list[int] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "unchanged": self.unchanged,
            "rejected": len(self.errors),
        }

    def line(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in self.counts().items())


def virtual_form_import(*, path: Path, actor=None) -> FormImportResult:
    result = FormImportResult()
    parsed = []
    for line, row in _read_rows(path):
        try:
            parsed.append(_parse_row(row))
        except ValueError as error:
            result.errors.append(RowError(line, str(error)))
    with transaction.atomic():
        ids = [values["udb_id"] for values in parsed]
        existing = set(Event.objects.filter(udb_id__in=ids).values_list("udb_id", flat=True))
        nil_place, _created = Place.objects.get_or_create(
            id=NIL_PLACE_ID,
            defaults={"name": {"nl": "Online"}, "name_text": "Online", "street": "___"},
        )
        for values in parsed:
            if values["udb_id"] in existing:
                result.unchanged += 1
                continue
            existing.add(values["udb_id"])
            result.created.append(_create_event(values, nil_place).pk)
        if result.created:
            events_imported.send(sender=Event, created_ids=result.created, updated_ids=[])
        audit_record(
            actor=actor,
            action="events.imported_from_form",
            object_type="events.event",
            new_values={"file": path.name, **result.counts()},
        )
    return result


def _read_rows(path: Path) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormFileError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise FormFileError(f"{path}: {error.strerror}") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise FormFileError(f"{path}: the header lacks the column(s) {', '.join(missing)}")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if any((value or "").strip() for key, value in row.items() if key):
                rows.append((reader.line_num, row))
    except csv.Error as error:
        raise FormFileError(f"{path}, line {reader.line_num}: {error}") from None
    return rows


def _parse_row(row: dict) -> dict:
    value = {column: (row.get(column) or "").strip() for column in COLUMNS}
    for column in REQUIRED:
        if not value[column]:
            raise ValueError(f"{column} is empty")
    _check(URLValidator(schemes=["http", "https"]), value["url"], "url", "an http(s) address")
    kind = _kind(value["kind"])
    start = _moment(value["start"], "start")
    end = _moment(value["end"], "end") if value["end"] else None
    if end and end < start:
        raise ValueError(f"end {value['end']!r} is before start {value['start']!r}")
    if value["contact_email"]:
        _check(EmailValidator(), value["contact_email"], "contact_email", "an e-mail")
    key = "\n".join((value["title"], value["url"], start.isoformat()))
    return {
        **value,
        "row": dict(value),  # as received, for the event's document
        "kind": kind,
        "start_at": start,
        "end_at": end,
        "udb_id": str(uuid.uuid5(_NAMESPACE, key)),
    }


def _check(validator, text: str, column: str, what: str) -> None:
    try:
        validator(text)
    except ValidationError:
        raise ValueError(f"{column} {text!r} is not {what}") from None


def _kind(text: str) -> str:
    lowered = text.strip().lower()
    if lowered in OfferKind.values or lowered in KIND_WORDS:
        return KIND_WORDS.get(lowered, lowered)
    known = ", ".join([*OfferKind.values, *KIND_WORDS])
    raise ValueError(f"kind {text!r} is not a kind of offer (one of: {known})")


def _moment(text: str, column: str) -> datetime:
    for pattern in _DATE_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(text, pattern))
        except ValueError:
            continue
    raise ValueError(f"{column} {text!r} is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)")


def _organizer(name: str) -> Organizer | None:
    if not name:
        return None
    found = Organizer.objects.filter(name_text__iexact=name).order_by("id").first()
    organizer_id = str(uuid.uuid5(_NAMESPACE, f"organiser\n{name.lower()}"))
    defaults = {"name": {"nl": name}, "name_text": name}
    return found or Organizer.objects.get_or_create(id=organizer_id, defaults=defaults)[0]


def _create_event(values: dict, nil_place: Place) -> Event:
    row = values["row"]
    document = {"source": "virtual offer form", "row": row, "offer_kind": values["kind"]}
    same_day = values["end_at"] is None or values["end_at"].date() == values["start_at"].date()
    now = timezone.now()
    return Event.objects.create(
        udb_id=values["udb_id"],
        source=Event.Source.FORM,
        name={"nl": values["title"]},
        name_text=values["title"],
        description={"nl": values["description"]} if values["description"] else {},
        description_text=values["description"],
        attendance_mode=Event.AttendanceMode.ONLINE,
        online_url=values["url"],
        location=nil_place,
        organizer=_organizer(values["organiser"]),
        calendar_type=Event.CalendarType.SINGLE if same_day else Event.CalendarType.PERIODIC,
        start=values["start_at"],
        end=values["end_at"],
        document=document,
        content_hash=hashlib.blake2b(repr(row).encode(), digest_size=16).hexdigest(),
        created=now,
        modified=now,
        imported_at=now,
    )
