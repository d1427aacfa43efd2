"""CSV imports of museums, holders, passes and visits, upserting by id.

Each bad row is reported with its line number and reason and left out; the good rows are stored
in batches (one transaction per batch), so a bad row never costs a good one. Rows are checked
before they are stored (lengths, control characters, plausible dates, finite prices); a batch
the database still refuses is stored again row by row, so only the row it refuses is left out.
The import announces its visits' or sales' museum days once, at its end (see `import_csv`).
"""

import csv
import datetime
import decimal
import functools
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from core.hooks import Hook
from museumpas.hooks import passes_stored, visits_stored
from museumpas.models import Holder, Language, Museum, Pass, Region, SalesChannel, SizeClass, Visit
from museumpas.services import local_date, region_for_postcode
from museumpas.validators import (
    PASS_FUTURE_MARGIN,
    ImplausibleDate,
    has_control_characters,
    plausible_day,
    visit_moment,
)

BATCH_SIZE = 2000


class RowError(Exception):
    pass


@dataclass
class ImportReport:
    kind: str
    stored: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.stored + len(self.errors)


def _text(row: dict, column: str, *, max_length: int, required: bool = False) -> str:
    value = (row.get(column) or "").strip()
    if not value and required:
        raise RowError(f"{column} is empty")
    if has_control_characters(value):
        raise RowError(f"{column} {value!r} holds a control character (such as a line break)")
    if len(value) > max_length:
        raise RowError(f"{column} is longer than {max_length} characters")
    return value


def _required(row: dict, column: str) -> str:
    return _text(row, column, max_length=64, required=True)


def _choice(row: dict, column: str, choices: type[models.TextChoices]) -> str:
    value = _required(row, column).lower()
    if value not in choices.values:
        raise RowError(f"{column} {value!r} is not one of {', '.join(choices.values)}")
    return value


def _boolean(row: dict, column: str, default: bool) -> bool:
    value = (row.get(column) or "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "ja", "oui"):
        return True
    if value in ("0", "false", "no", "nee", "non"):
        return False
    raise RowError(f"{column} {value!r} is not true or false")


def _parsed(value: str, column: str, parse: Callable, example: str, check: Callable):
    """`value` parsed, then checked (`check` raises ImplausibleDate with its reason)."""
    try:
        parsed = parse(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise RowError(f"{column} {value!r} is not a {example}")
    try:
        return check(parsed)
    except ImplausibleDate as error:
        raise RowError(f"{column} {value!r} {error}") from None


def _date(
    row: dict, column: str, *, margin: datetime.timedelta, required: bool = True
) -> datetime.date | None:
    value = (row.get(column) or "").strip()
    if not value and not required:
        return None
    check = functools.partial(plausible_day, margin=margin)
    return _parsed(value, column, parse_date, "date like 2026-03-31", check)


def _visit_moment(moment: datetime.datetime) -> datetime.datetime:
    try:
        return visit_moment(moment if timezone.is_aware(moment) else timezone.make_aware(moment))
    except OverflowError:
        raise ImplausibleDate("is out of range") from None


def _datetime(row: dict, column: str) -> datetime.datetime:
    example = "date and time like 2026-03-31T14:05:00+02:00"
    return _parsed(_required(row, column), column, parse_datetime, example, _visit_moment)


def _museum_row(row: dict, refs: dict) -> dict:
    place_id = (row.get("uitdatabank_place_id") or "").strip()
    try:
        place_uuid = uuid.UUID(place_id) if place_id else None
    except ValueError:
        raise RowError(f"uitdatabank_place_id {place_id!r} is not a UUID") from None
    return {
        "external_id": _required(row, "id"),
        "name": _text(row, "name", max_length=200, required=True),
        "city": _text(row, "city", max_length=100),
        "postcode": _text(row, "postcode", max_length=10),
        "region": _choice(row, "region", Region),
        "size_class": _choice(row, "size", SizeClass),
        "uitdatabank_place_id": place_uuid,
        "active": _boolean(row, "active", True),
    }


def _holder_row(row: dict, refs: dict) -> dict:
    email = _text(row, "email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise RowError(f"email {email!r} is not an e-mail address") from None
    birth_year = (row.get("birth_year") or "").strip()
    if birth_year and not (
        birth_year.isdigit() and 1900 <= int(birth_year) <= timezone.localdate().year
    ):
        raise RowError(f"birth_year {birth_year!r} is not a year")
    postcode = _text(row, "postcode", max_length=10)
    return {
        "external_id": _required(row, "id"),
        "language": _choice(row, "language", Language),
        "postcode": postcode,
        "region": region_for_postcode(postcode),
        "birth_year": int(birth_year) if birth_year else None,
        "email": email,
        "created": _date(row, "created", margin=datetime.timedelta(days=1), required=False),
    }


def _reference(refs: dict, model: type[models.Model], row: dict, column: str, required=True):
    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise RowError(f"{column} is empty")
        return None
    pk = refs[model].get(value)
    if pk is None:
        raise RowError(f"{column} {value!r} is not a known {model._meta.verbose_name}")
    return pk


def _pass_row(row: dict, refs: dict) -> dict:
    valid_from = _date(row, "valid_from", margin=PASS_FUTURE_MARGIN)
    valid_until = _date(row, "valid_until", margin=PASS_FUTURE_MARGIN)
    if valid_until < valid_from:
        raise RowError("valid_until is before valid_from")
    return {
        "external_id": _required(row, "id"),
        "holder_id": _reference(refs, Holder, row, "holder_id"),
        "card_number": _text(row, "card_number", max_length=32),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "channel": _choice(row, "channel", SalesChannel),
        "sold_by_id": _reference(refs, Museum, row, "museum_id", required=False),
        "is_renewal": _boolean(row, "renewal", False),
        "price": _price(row),
    }


def _price(row: dict) -> decimal.Decimal:
    price = (row.get("price") or "").strip()
    try:
        value = decimal.Decimal(price)
    except decimal.InvalidOperation:
        value = None
    # NaN and infinities are Decimals too; NaN even refuses to be compared.
    if value is None or not value.is_finite():
        raise RowError(f"price {price!r} is not an amount like 65.00")
    if not (0 <= value < 100000) or value != value.quantize(decimal.Decimal("0.01")):
        raise RowError(f"price {price!r} is out of range or has more than two decimals")
    return value


def _visit_row(row: dict, refs: dict) -> dict:
    return {
        "external_id": _required(row, "id"),
        "holder_id": _reference(refs, Holder, row, "holder_id"),
        "museum_id": _reference(refs, Museum, row, "museum_id"),
        "visited_at": _datetime(row, "visited_at"),
    }


@dataclass(frozen=True)
class ImportKind:
    model: type[models.Model]
    columns: tuple[str, ...]
    parse: Callable[[dict, dict], dict]
    # (model, column) pairs whose external ids are looked up per batch
    references: tuple[tuple[type[models.Model], str], ...] = ()
    # What the import announces once, at its end: (museum id, day) of each stored row, or None
    hook: Hook | None = None
    museum_day: Callable[[dict], tuple[int, datetime.date] | None] = lambda value: None


_HOLDER_AND_MUSEUM = ((Holder, "holder_id"), (Museum, "museum_id"))
KINDS = {
    "museums": ImportKind(
        Museum,
        ("id", "name", "city", "postcode", "region", "size", "uitdatabank_place_id", "active"),
        _museum_row,
    ),
    "holders": ImportKind(
        Holder, ("id", "language", "postcode", "birth_year", "email", "created"), _holder_row
    ),
    "passes": ImportKind(
        Pass,
        (
            "id",
            "holder_id",
            "card_number",
            "valid_from",
            "valid_until",
            "channel",
            "museum_id",
            "renewal",
            "price",
        ),
        _pass_row,
        _HOLDER_AND_MUSEUM,
        passes_stored,
        lambda value: (value["sold_by_id"], value["valid_from"]) if value["sold_by_id"] else None,
    ),
    "visits": ImportKind(
        Visit,
        ("id", "holder_id", "museum_id", "visited_at"),
        _visit_row,
        _HOLDER_AND_MUSEUM,
        visits_stored,
        lambda value: (value["museum_id"], local_date(value["visited_at"])),
    ),
}


def _rows(reader: csv.DictReader, report: ImportReport) -> Iterator[tuple[int, dict]]:
    """(line, row) of each row the CSV reader can split; the others are reported. The reader goes
    on after an error (a field past its size limit, ...): its next row starts on the next line.
    """
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            report.errors.append((reader.line_num, f"not CSV: {error}"))
            continue
        # DictReader.line_num counts physical lines; a quoted field may span several.
        yield reader.line_num, row


def _lookup_references(kind: ImportKind, batch: list[tuple[int, dict]]) -> dict:
    refs = {}
    for model, column in kind.references:
        ids = {(row.get(column) or "").strip() for _, row in batch} - {""}
        queryset = model.objects.filter(external_id__in=ids)
        if model is Holder:
            queryset = queryset.filter(erased_at=None)
        refs[model] = dict(queryset.values_list("external_id", "pk"))
    return refs


def _store(kind: ImportKind, values: list[dict]) -> None:
    fields = [name for name in values[0] if name != "external_id"]
    with transaction.atomic():
        kind.model.objects.bulk_create(
            [kind.model(**value) for value in values],
            update_conflicts=True,
            unique_fields=["external_id"],
            update_fields=fields,
        )


def _store_batch(kind: ImportKind, rows: list[tuple[int, dict]], report: ImportReport) -> list:
    """Store the batch in one transaction, or, if the database refuses it, row by row, so a row
    the checks above let through and the database refuses costs only itself. Returns the values
    stored."""
    values = [value for _line, value in rows]
    try:
        _store(kind, values)
        return values
    except (DataError, IntegrityError):
        pass
    stored = []
    for line, value in rows:
        try:
            _store(kind, [value])
        except (DataError, IntegrityError) as error:
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
            report.errors.append((line, f"not stored: {reason}"))
        else:
            stored.append(value)
    return stored


def import_csv(kind_name: str, lines: Iterable[str], *, progress=None) -> ImportReport:
    """Import rows of one kind from CSV text lines; `progress(report)` after each batch.

    The hook fires once, for the museum days of every batch together (not once per batch), also
    when a later batch raises, for the batches committed before it.
    """
    kind = KINDS[kind_name]
    report = ImportReport(kind=kind_name)
    reader = csv.DictReader(lines)
    missing = [column for column in kind.columns if column not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    museum_days: set[tuple[int, datetime.date]] = set()
    first_line: dict[str, int] = {}
    try:
        rows = _rows(reader, report)
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            refs = _lookup_references(kind, batch)
            parsed = []
            for line, row in batch:
                try:
                    value = kind.parse(row, refs)
                except RowError as error:
                    report.errors.append((line, str(error)))
                    continue
                seen_on = first_line.setdefault(value["external_id"], line)
                if seen_on != line:
                    report.errors.append(
                        (line, f"id already on line {seen_on}; this row is left out")
                    )
                    continue
                parsed.append((line, value))
            if parsed:
                values = _store_batch(kind, parsed, report)
                report.stored += len(values)
                museum_days |= {kind.museum_day(value) for value in values} - {None}
            if progress:
                progress(report)
    finally:
        if kind.hook is not None and museum_days:
            kind.hook.fire_on_commit(museum_days=museum_days)
    report.errors.sort()
    return report
