"""UiTdatabank JSON-LD documents turned into rows: validation and extraction, no database.

Two outcomes. A document that is not an event the catalogue can hold (no @id or not a
UiTdatabank URL, no name in any language, dates that cannot be read) raises DocumentError with
a reason a person can act on ("startDate is not a date: '500 BC'"). Any other defect is worked
around and recorded as a Finding on the record (kind, field, value as received), which the
import stores as a data finding for curators. Everything of the document is kept as it came
(Event.document); only what we query becomes a column.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

import orjson
import xxhash
from django.utils import timezone

from events.models import DataFinding, Event

EVENT, PLACE, ORGANIZER = "event", "place", "organizer"
# A UiTdatabank URL names the kind in the singular or the plural: /event/<id>, /events/<id>.
_KIND_BY_SEGMENT = {name: kind for kind in (EVENT, PLACE, ORGANIZER) for name in (kind, kind + "s")}
# UUIDs, and the legacy ids of older systems (such as A871DB85-01DB-DBD3-DAF62CDB2DD7B871).
_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{7,63}$")
_AGE_RANGE = re.compile(r"^\s*(\d{0,3})\s*-\s*(\d{0,3})\s*$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_TAG = re.compile(r"<[^>]*>")
_LINE_BREAK_TAG = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6])\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

_ATTENDANCE_MODES = set(Event.AttendanceMode.values)
_CALENDAR_TYPES = set(Event.CalendarType.values)
_WORKFLOW_STATUSES = set(Event.WorkflowStatus.values)
_STATUSES = set(Event.Status.values)
_AUDIENCE_TYPES = set(Event.AudienceType.values)


class DocumentError(ValueError):
    """The document cannot be imported; the message says why."""


Kind = DataFinding.Kind


@dataclass(frozen=True)
class Finding:
    """A defect met and worked around; `field` is where in the document, `value` as received."""

    kind: str
    field: str
    value: Any = None


# Term domains the taxonomy covers: an unknown id in another (legacy) domain, such as
# flandersregion or publicscope, is no defect.
TAXONOMY_DOMAINS = frozenset(("eventtype", "theme", "facility", ""))


PLACE_HASHED = (
    "name",
    "street",
    "postal_code",
    "city",
    "country",
    "latitude",
    "longitude",
    "labels",
    "hidden_labels",
)
# In this order, so that the hashes stored before stay valid.
ORGANIZER_HASHED = ("name", "url", *PLACE_HASHED[1:])


@dataclass
class PlaceRecord:
    hashed: ClassVar[tuple[str, ...]] = PLACE_HASHED
    id: str
    full: bool  # False when the event only refers to the place by its @id
    name: dict[str, str] = field(default_factory=dict)
    name_text: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    labels: list[str] = field(default_factory=list)
    hidden_labels: list[str] = field(default_factory=list)
    document: dict | None = None

    @cached_property
    def hash(self) -> str:
        """Changes when what we keep of the place changes, not with every embedding of it.
        BLAKE2b: a handful a batch, and the hashes stored before stay valid."""
        return _blake2b_hash(orjson.dumps([getattr(self, name) for name in self.hashed]))


@dataclass
class OrganizerRecord(PlaceRecord):
    hashed: ClassVar[tuple[str, ...]] = ORGANIZER_HASHED
    url: str = ""


def content_hash(text: bytes) -> str:
    """Tells the versions of one event apart: xxh3, 64 bits as 16 hex digits. A tenth of the
    time of BLAKE2b (0.35 against 3.7 µs a document); no one gains by forging a collision of
    the documents of one event. Hashes of 32 digits were stored before, by BLAKE2b."""
    return xxhash.xxh3_64_hexdigest(text)


def _blake2b_hash(text: bytes) -> str:
    return hashlib.blake2b(text, digest_size=16).hexdigest()


_BLAKE2B_LENGTH = 32


def is_version_of(text: bytes, digest: str, hashes: Iterable[str]) -> bool:
    """Whether the document (its text and content_hash) has one of the stored `hashes`, those
    stored by BLAKE2b included (compared by hashing the text with it as well)."""
    hashes = tuple(hashes)
    if digest in hashes:
        return True
    return any(len(stored) == _BLAKE2B_LENGTH for stored in hashes) and (
        _blake2b_hash(text) in hashes
    )


@dataclass
class TermRef:
    id: str
    domain: str
    label: str


@dataclass
class EventRecord:
    udb_id: str
    name: dict[str, str]
    name_text: str
    description: dict[str, str]
    description_text: str
    main_language: str
    event_type_id: str | None
    terms: list[TermRef]
    min_age: int | None
    max_age: int | None
    all_ages: bool
    attendance_mode: str
    online_url: str
    location: PlaceRecord | None
    organizer: OrganizerRecord | None
    calendar_type: str
    start: datetime | None
    end: datetime | None
    workflow_status: str
    status: str
    audience_type: str
    labels: list[str]
    hidden_labels: list[str]
    created: datetime | None
    modified: datetime | None
    findings: list[Finding]


def identify(document: Any) -> tuple[str, str]:
    """(kind, id) of a document from its @id: ('event', '85b04295-...')."""
    if not isinstance(document, dict):
        raise DocumentError(f"not a JSON object but {_json_type(document)}")
    if "@id" not in document:
        if isinstance(document.get("terms"), list) and "name" not in document:
            raise DocumentError("a term taxonomy, not an event (load it with load_terms)")
        raise DocumentError("no @id")
    return parse_reference(document["@id"], "@id")


_URL = re.compile(
    r"^https?://[^/?#]+/(?:[^?#]*/)?(events|event|places|place|organizers|organizer)"
    r"/([0-9A-Za-z][0-9A-Za-z_-]{7,63})/?$",
    re.IGNORECASE,
)


def parse_reference(value: Any, field_name: str, bare_kind: str = EVENT) -> tuple[str, str]:
    """(kind, id) from a UiTdatabank URL; a bare id is taken to be of `bare_kind`."""
    match = _URL.match(value) if isinstance(value, str) else None
    if match:  # the usual case, without the cost of urlsplit
        return _KIND_BY_SEGMENT[match.group(1).lower()], match.group(2).lower()
    if not isinstance(value, str) or not value.strip():
        raise DocumentError(f"{field_name} is not text")
    value = value.strip()
    parts = urlsplit(value)
    if not parts.scheme:
        if _ID.match(value):
            return bare_kind, value.lower()
        raise DocumentError(f"{field_name} {value!r} is not a UiTdatabank URL or id")
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[-2].lower() not in _KIND_BY_SEGMENT:
        raise DocumentError(f"{field_name} {value!r} is not an event, place or organiser URL")
    if not _ID.match(segments[-1]):
        raise DocumentError(f"{field_name} {value!r} does not end in an id")
    return _KIND_BY_SEGMENT[segments[-2].lower()], segments[-1].lower()


def event_record(
    document: dict, udb_id: str, embedded: dict | None = None, taxonomy: dict | None = None
) -> EventRecord:
    """The columns of an event, with the findings met on the way. `embedded` caches places and
    organisers across calls: most events embed a place or organiser already read, identical,
    in an earlier one. `taxonomy` maps term ids to their domain (default: the taxonomy files)."""
    get = document.get
    found: list[Finding] = []
    # First: the import compares it with the stored version's before anything else.
    modified = _lenient_date(get("modified"), "modified", found)
    main_language = _main_language(get("mainLanguage"), found)
    name = _language_map(get("name"), "name", main_language, found)
    name_text = _name_text(name, main_language, found)
    description = _language_map(get("description"), "description", main_language, found)
    terms, event_type_id = _terms(
        get("terms"), default_taxonomy() if taxonomy is None else taxonomy, found
    )
    min_age, max_age, all_ages = _ages(get("typicalAgeRange"), found)
    start, end = _dates(get("startDate"), get("endDate"), get("subEvent"))
    # Positional, in the order of EventRecord's fields: as keywords they cost 2 µs an event.
    return EventRecord(
        udb_id,
        name,
        name_text,
        description,
        plain_text(_main_text(description, main_language)),  # description_text
        main_language,
        event_type_id,
        terms,
        min_age,
        max_age,
        all_ages,
        _choice(get("attendanceMode"), "attendanceMode", _ATTENDANCE_MODES, "offline", found),
        _text(get("onlineUrl"), "onlineUrl", found).strip(),  # online_url
        _embedded(get("location"), PLACE, embedded, found),  # location
        _embedded(get("organizer"), ORGANIZER, embedded, found),  # organizer
        _choice(get("calendarType"), "calendarType", _CALENDAR_TYPES, "", found),
        start,
        end,
        _choice(get("workflowStatus"), "workflowStatus", _WORKFLOW_STATUSES, "", found),
        _status(get("status"), found),
        _audience(get("audience"), found),  # audience_type
        _text_list(get("labels"), "labels", found),
        _text_list(get("hiddenLabels"), "hiddenLabels", found),
        _lenient_date(get("created"), "created", found),
        modified,
        found,
    )


@functools.cache
def default_taxonomy() -> dict[str, str]:
    """Term id -> domain from the taxonomy files, for reading documents without a database."""
    from events.services.taxonomy import taxonomy_rows

    return {row["id"]: row["domain"] for row in taxonomy_rows()}


def modified_of(document: dict) -> datetime | None:
    """The document's `modified`, or None when it cannot be read (a finding of event_record)."""
    return _lenient_date(document.get("modified"), "modified", [])


def _name_text(name: dict[str, str], main_language: str, found: list[Finding]) -> str:
    """No name in any language: not an event. HTML in it: a finding, the tags removed."""
    name_text = _main_text(name, main_language).strip()
    if not name_text:
        unreadable = any(finding.field.startswith("name") for finding in found)
        raise DocumentError("name is not text" if unreadable else "no name")
    if "<" in name_text and _TAG.search(name_text):
        found.append(Finding(Kind.HTML_IN_TEXT, "name", name_text))
        name_text = plain_text(name_text)
    return name_text


def _ages(value: Any, found: list[Finding]) -> tuple[int | None, int | None, bool]:
    try:
        return _age_range_of(value) if type(value) is str else _age_range(value)
    except DocumentError:
        found.append(Finding(Kind.AGE_RANGE, "typicalAgeRange", value))
        return None, None, False


def located_record(
    kind: str,
    document: dict,
    record_id: str,
    field_name: str = "",
    found: list[Finding] | None = None,
):
    """A place's or an organiser's record: name, address, geo and labels; an organiser's url.
    Its defects go to `found` (a place or organiser document alone has no event to hold them:
    they are worked around all the same)."""
    found = [] if found is None else found
    prefix = f"{field_name}." if field_name else ""
    main_language = _main_language(document.get("mainLanguage"), found, prefix)
    name = _language_map(document.get("name"), f"{prefix}name", main_language, found)
    address = _address(document.get("address"), f"{prefix}address", main_language, found)
    latitude, longitude = _geo(document.get("geo"), f"{prefix}geo", found)
    fields = {
        "id": record_id,
        "full": True,
        "name": name,
        "name_text": _main_text(name, main_language).strip()[:500],
        "street": address.get("streetAddress", "")[:300],
        "postal_code": address.get("postalCode", "")[:20],
        "city": address.get("addressLocality", "")[:200],
        "country": address.get("addressCountry", "")[:2],
        "latitude": latitude,
        "longitude": longitude,
        "labels": _text_list(document.get("labels"), f"{prefix}labels", found),
        "hidden_labels": _text_list(document.get("hiddenLabels"), f"{prefix}hiddenLabels", found),
        "document": document,
    }
    if kind == PLACE:
        return PlaceRecord(**fields)
    url = document.get("url")
    return OrganizerRecord(url=url.strip() if isinstance(url, str) else "", **fields)


def plain_text(text: str) -> str:
    """Text without HTML tags and entities (legacy descriptions hold HTML)."""
    if "<" not in text and "&" not in text:
        return text.strip()
    text = _LINE_BREAK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def parse_date(value: Any, field_name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DocumentError(f"{field_name} is not a date")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise DocumentError(f"{field_name} is not a date: {value[:40]!r}") from None
    if moment.tzinfo is None:  # fromisoformat gives a fixed offset or none
        moment = timezone.make_aware(moment)
    return moment


def _lenient_date(value: Any, field_name: str, found: list[Finding]) -> datetime | None:
    """`created` and `modified`: a date that cannot be read is left out, with a finding."""
    try:
        return parse_date(value, field_name)
    except DocumentError:
        found.append(Finding(Kind.INVALID_VALUE, field_name, value))
        return None


def _main_language(value: Any, found: list[Finding], prefix: str = "") -> str:
    if value is None:
        return "nl"
    if not isinstance(value, str) or not _LANGUAGE.match(value):
        found.append(Finding(Kind.INVALID_VALUE, f"{prefix}mainLanguage", value))
        return "nl"
    return value


def _language_map(
    value: Any, field_name: str, main_language: str, found: list[Finding]
) -> dict[str, str]:
    """A language map; legacy plain strings count as text in the main language. A language
    whose text is not text is left out, with a finding."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {main_language: value} if value.strip() else {}
    if isinstance(value, dict):
        for text in value.values():
            if type(text) is not str:
                return _text_only(value, field_name, found)
        return value
    found.append(Finding(Kind.INVALID_VALUE, field_name, value))
    return {}


def _text_only(value: dict, field_name: str, found: list[Finding]) -> dict[str, str]:
    kept = {}
    for language, text in value.items():
        if type(text) is str:
            kept[language] = text
        else:
            found.append(Finding(Kind.INVALID_VALUE, f"{field_name}.{language}", text))
    return kept


def _main_text(texts: dict[str, str], main_language: str) -> str:
    text = texts.get(main_language)
    if text:
        return text
    return next((text for text in texts.values() if text), "")


def _text(value: Any, field_name: str, found: list[Finding]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        found.append(Finding(Kind.INVALID_VALUE, field_name, value))
        return ""
    return value


def _text_list(value: Any, field_name: str, found: list[Finding]) -> list[str]:
    """A list of text; what is not text is left out, with a finding."""
    if value is None:
        return []
    if type(value) is list:
        for item in value:
            if type(item) is not str:
                break
        else:
            return value
    found.append(Finding(Kind.INVALID_VALUE, field_name, value))
    return [item for item in value if type(item) is str] if type(value) is list else []


def _choice(
    value: Any, field_name: str, allowed: set[str], default: str, found: list[Finding]
) -> str:
    """One of `allowed`; anything else is read as the default, with a finding."""
    if value is None:
        return default
    if type(value) is not str or value not in allowed:  # a list or object is unhashable
        found.append(Finding(Kind.INVALID_VALUE, field_name, value))
        return default
    return value


def _status(value: Any, found: list[Finding]) -> str:
    if isinstance(value, dict):
        value = value.get("type")
    return _choice(value, "status.type", _STATUSES, Event.Status.AVAILABLE, found)


def _audience(value: Any, found: list[Finding]) -> str:
    if value is not None and not isinstance(value, dict):
        found.append(Finding(Kind.INVALID_VALUE, "audience", value))
        value = None
    audience_type = (value or {}).get("audienceType")
    return _choice(audience_type, "audience.audienceType", _AUDIENCE_TYPES, "everyone", found)


# The same few hundred (id, domain, label) come back in every batch.
_TERM_REFS: dict[tuple, TermRef] = {}


def _terms(
    value: Any, taxonomy: dict[str, str], found: list[Finding]
) -> tuple[list[TermRef], str | None]:
    """The event's terms (each id once, in the document's order) and its event type.

    The taxonomy gives a term its domain, whatever domain the document files it under; a term
    the taxonomy does not know keeps the document's. The event type is the first term whose
    domain is eventtype, one the taxonomy knows before one it does not; any other is a finding.
    """
    if value is None:
        return [], None
    if not isinstance(value, list):
        found.append(Finding(Kind.INVALID_VALUE, "terms", value))
        return [], None
    terms, seen, event_types = [], set(), []
    for index, term in enumerate(value):
        known = None
        if type(term) is dict:  # the cache inline: a call per term costs, in every event
            key = (term.get("id"), term.get("domain"), term.get("label"))
            if type(key[0]) is str and type(key[1]) is str and type(key[2]) is str:
                known = _TERM_REFS.get(key)
        if known is None:
            known = _term_ref(term, index, found)
        if known is None or known.id in seen:
            continue
        seen.add(known.id)
        terms.append(known)
        domain = taxonomy.get(known.id)
        if domain is None:
            if known.domain in TAXONOMY_DOMAINS:
                found.append(Finding(Kind.UNKNOWN_TERM, f"terms[{index}]", term))
            domain = known.domain
        elif domain != known.domain and known.domain:
            found.append(Finding(Kind.WRONG_DOMAIN, f"terms[{index}]", term))
        if domain == "eventtype":
            event_types.append((known.id not in taxonomy, index, known.id))
    if len(event_types) < 2:
        return terms, event_types[0][2] if event_types else None
    event_types.sort(key=lambda entry: entry[:2])  # known first, then in the document's order
    for _unknown, index, _id in sorted(event_types[1:], key=lambda entry: entry[1]):
        found.append(Finding(Kind.EXTRA_EVENT_TYPE, f"terms[{index}]", value[index]))
    return terms, event_types[0][2]


def _term_ref(term: Any, index: int, found: list[Finding]) -> TermRef | None:
    """The term as a new TermRef (cached for the next event), or None and a finding when it
    has no id."""
    if not isinstance(term, dict):
        found.append(Finding(Kind.INVALID_VALUE, f"terms[{index}]", term))
        return None
    key = (term.get("id"), term.get("domain"), term.get("label"))
    term_id, domain, label = key
    if not isinstance(term_id, str) or not term_id.strip() or len(term_id) > 64:
        found.append(Finding(Kind.INVALID_VALUE, f"terms[{index}]", term))
        return None
    known = TermRef(
        id=term_id,
        domain=domain[:40] if isinstance(domain, str) else "",
        label=label[:200] if isinstance(label, str) else "",
    )
    if type(domain) is str and type(label) is str:
        if len(_TERM_REFS) > 10_000:
            _TERM_REFS.clear()
        _TERM_REFS[key] = known
    return known


@functools.lru_cache(maxsize=1024)  # a few dozen ranges in practice
def _age_range_of(value: str) -> tuple[int | None, int | None, bool]:
    return _age_range(value)


def _age_range(value: Any) -> tuple[int | None, int | None, bool]:
    """'6-12' -> (6, 12); '-12' -> (None, 12); '6-' -> (6, None); '-' and '0-' mean all ages."""
    if value is None or value == "":
        return None, None, False
    match = _AGE_RANGE.match(value) if isinstance(value, str) else None
    if not match:
        raise DocumentError(f"typicalAgeRange {value!r} is not like '6-12'")
    low, high = (int(part) if part else None for part in match.groups())
    if low is not None and high is not None and low > high:
        raise DocumentError(f"typicalAgeRange {value!r} has its minimum above its maximum")
    return low, high, (low is None or low == 0) and high is None


def _dates(start: Any, end: Any, sub_events: Any) -> tuple[datetime | None, datetime | None]:
    """The calendar's first start and last end. A date that cannot be read leaves no usable
    calendar: the document is rejected."""
    start = parse_date(start, "startDate")
    end = parse_date(end, "endDate")
    if sub_events is None or (start and end):
        return start, end
    if not isinstance(sub_events, list):
        raise DocumentError("subEvent is not a list")
    starts, ends = [], []
    for index, sub_event in enumerate(sub_events):
        if not isinstance(sub_event, dict):
            raise DocumentError(f"subEvent[{index}] is not an object")
        if moment := parse_date(sub_event.get("startDate"), f"subEvent[{index}].startDate"):
            starts.append(moment)
        if moment := parse_date(sub_event.get("endDate"), f"subEvent[{index}].endDate"):
            ends.append(moment)
    return start or min(starts, default=None), end or max(ends, default=None)


def _embedded(value: Any, kind: str, cache: dict | None, found: list[Finding]):
    """The event's place or organiser. Without a usable @id it is linked to no record: the
    document keeps its name and address, and a finding says so."""
    field_name = "location" if kind == PLACE else "organizer"
    if value is None:
        return None
    if not isinstance(value, dict):
        found.append(Finding(Kind.INVALID_VALUE, field_name, value))
        return None
    reference = value.get("@id")
    # Cached by the @id as written: most embeddings repeat one read before, identical.
    cached = cache.get((kind, reference)) if cache is not None and type(reference) is str else None
    if cached is not None and cached[0] == value:
        found.extend(cached[2])
        return cached[1]
    try:
        found_kind, record_id = parse_reference(reference, f"{field_name}.@id", kind)
    except DocumentError:
        found_kind = record_id = None
    if found_kind != kind:
        found.append(Finding(Kind.UNLINKED, field_name, value))
        return None
    own: list[Finding] = []
    if all(key.startswith("@") for key in value):  # a reference only
        record = (PlaceRecord if kind == PLACE else OrganizerRecord)(id=record_id, full=False)
    else:
        record = located_record(kind, value, record_id, field_name, own)
    found.extend(own)
    if cache is not None and type(reference) is str:
        cache[(kind, reference)] = (value, record, own)
    return record


def _address(
    value: Any, field_name: str, main_language: str, found: list[Finding]
) -> dict[str, str]:
    """The address in the main language (or the first given); legacy ones are not per language."""
    if value is None:
        return {}
    if isinstance(value, dict) and "addressLocality" not in value and "streetAddress" not in value:
        value = value.get(main_language) or next(iter(value.values()), {})
    if not isinstance(value, dict):
        found.append(Finding(Kind.INVALID_VALUE, field_name, value))
        return {}
    return {key: text.strip() for key, text in value.items() if isinstance(text, str)}


def _geo(value: Any, field_name: str, found: list[Finding]) -> tuple[float | None, float | None]:
    """Coordinates; numbers written as text are read as numbers, with a finding."""
    if value is None:
        return None, None
    latitude = value.get("latitude") if isinstance(value, dict) else None
    longitude = value.get("longitude") if isinstance(value, dict) else None
    if _is_coordinate(latitude, 90) and _is_coordinate(longitude, 180):
        return float(latitude), float(longitude)
    if type(latitude) is str and type(longitude) is str:
        numbers = _number(latitude), _number(longitude)
        if _is_coordinate(numbers[0], 90) and _is_coordinate(numbers[1], 180):
            found.append(Finding(Kind.NUMBER_AS_TEXT, field_name, value))
            return numbers
    found.append(Finding(Kind.INVALID_VALUE, field_name, value))
    return None, None


def _is_coordinate(value: Any, limit: int) -> bool:
    return type(value) in (int, float) and -limit <= value <= limit


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a number" if isinstance(value, int | float) else type(value).__name__
