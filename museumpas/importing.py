"""CSV imports of museums, holders, passes and visits, upserting by id.

Each bad row is reported with its line number and reason and left out; the good rows are stored
in batches (one transaction per batch), so a bad row never costs a good one. The import
announces its visits' or sales' museum days once, at its end (see `import_csv`).
"""

import csv
import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from museumpas.hooks import passes_stored, visits_stored
from museumpas.models import Holder, Language, Museum, Pass, Region, SalesChannel, SizeClass, Visit
from museumpas.services import local_date, region_for_postcode

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


def _required(row: dict, column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise RowError(f"{column} is empty")
    return value


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


def _date(row: dict, column: str, *, required: bool = True) -> datetime.date | None:
    value = (row.get(column) or "").strip()
    if not value and not required:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise RowError(f"{column} {value!r} is not a date like 2026-03-31")
    return parsed


def _datetime(row: dict, column: str) -> datetime.datetime:
    value = _required(row, column)
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise RowError(f"{column} {value!r} is not a date and time like 2026-03-31T14:05:00+02:00")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _museum_row(row: dict, refs: dict) -> dict:
    place_id = (row.get("uitdatabank_place_id") or "").strip()
    try:
        place_uuid = uuid.UUID(place_id) if place_id else None
    except ValueError:
        raise RowError(f"uitdatabank_place_id {place_id!r} is not a UUID") from None
    return {
        "external_id": _required(row, "id"),
        "name": _required(row, "name")[:200],
        "city": (row.get("city") or "").strip()[:100],
        "postcode": (row.get("postcode") or "").strip()[:10],
        "region": _choice(row, "region", Region),
        "size_class": _choice(row, "size", SizeClass),
        "uitdatabank_place_id": place_uuid,
        "active": _boolean(row, "active", True),
    }


def _holder_row(row: dict, refs: dict) -> dict:
    email = (row.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise RowError(f"email {email!r} is not an e-mail address") from None
    birth_year = (row.get("birth_year") or "").strip()
    if birth_year and not (birth_year.isdigit() and 1900 <= int(birth_year) <= 2100):
        raise RowError(f"birth_year {birth_year!r} is not a year")
    postcode = (row.get("postcode") or "").strip()[:10]
    return {
        "external_id": _required(row, "id"),
        "language": _choice(row, "language", Language),
        "postcode": postcode,
        "region": region_for_postcode(postcode),
        "birth_year": int(birth_year) if birth_year else None,
        "email": email,
        "created": _date(row, "created", required=False),
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
    valid_from = _date(row, "valid_from")
    valid_until = _date(row, "valid_until")
    if valid_until < valid_from:
        raise RowError("valid_until is before valid_from")
    price = (row.get("price") or "").strip()
    try:
        price_value = decimal.Decimal(price)
    except decimal.InvalidOperation:
        raise RowError(f"price {price!r} is not an amount like 65.00") from None
    if not (0 <= price_value < 100000):
        raise RowError(f"price {price!r} is out of range")
    return {
        "external_id": _required(row, "id"),
        "holder_id": _reference(refs, Holder, row, "holder_id"),
        "card_number": (row.get("card_number") or "").strip()[:32],
        "valid_from": valid_from,
        "valid_until": valid_until,
        "channel": _choice(row, "channel", SalesChannel),
        "sold_by_id": _reference(refs, Museum, row, "museum_id", required=False),
        "is_renewal": _boolean(row, "renewal", False),
        "price": price_value,
    }


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
        ((Holder, "holder_id"), (Museum, "museum_id")),
    ),
    "visits": ImportKind(
        Visit,
        ("id", "holder_id", "museum_id", "visited_at"),
        _visit_row,
        ((Holder, "holder_id"), (Museum, "museum_id")),
    ),
}


def _batches(reader: Iterable[dict]) -> Iterator[list[tuple[int, dict]]]:
    batch = []
    for row in reader:
        # DictReader.line_num counts physical lines; a quoted field may span several.
        batch.append((reader.line_num, row))
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


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
    kind.model.objects.bulk_create(
        [kind.model(**value) for value in values],
        update_conflicts=True,
        unique_fields=["external_id"],
        update_fields=fields,
    )


def _museum_days(kind: ImportKind, values: list[dict]) -> set[tuple[int, datetime.date]]:
    """What the import's hook announces of these rows: (museum, local day) of visits and of
    passes sold by a museum."""
    if kind.model is Visit:
        return {(value["museum_id"], local_date(value["visited_at"])) for value in values}
    if kind.model is Pass:
        return {
            (value["sold_by_id"], value["valid_from"]) for value in values if value["sold_by_id"]
        }
    return set()


def _announce(kind: ImportKind, museum_days: set[tuple[int, datetime.date]]) -> None:
    hook = {Visit: visits_stored, Pass: passes_stored}.get(kind.model)
    if hook is not None and museum_days:
        hook.fire_on_commit(museum_days=museum_days)


def import_csv(kind_name: str, lines: Iterable[str], *, progress=None) -> ImportReport:
    """Import rows of one kind from CSV text lines; `progress(report)` after each batch.

    The hook fires once, for the museum days of every batch together: fired per batch, one
    import queued a refresh of the same museums' months per batch. It fires also when a later
    batch raises, for the batches committed before it.
    """
    kind = KINDS[kind_name]
    report = ImportReport(kind=kind_name)
    reader = csv.DictReader(lines)
    missing = [column for column in kind.columns if column not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    stored_days: set[tuple[int, datetime.date]] = set()
    try:
        _import_batches(kind, reader, report, stored_days, progress=progress)
    finally:
        _announce(kind, stored_days)
    return report


def _import_batches(
    kind: ImportKind,
    reader: csv.DictReader,
    report: ImportReport,
    stored_days: set[tuple[int, datetime.date]],
    *,
    progress,
) -> None:
    """Store the good rows batch by batch, adding their museum days to `stored_days`."""
    first_line: dict[str, int] = {}
    for batch in _batches(reader):
        refs = _lookup_references(kind, batch)
        values = []
        for line, row in batch:
            try:
                value = kind.parse(row, refs)
            except RowError as error:
                report.errors.append((line, str(error)))
                continue
            if value["external_id"] in first_line:
                seen_on = first_line[value["external_id"]]
                report.errors.append((line, f"id already on line {seen_on}; this row is left out"))
                continue
            first_line[value["external_id"]] = line
            values.append(value)
        if values:
            with transaction.atomic():
                _store(kind, values)
            report.stored += len(values)
            stored_days |= _museum_days(kind, values)
        if progress:
            progress(report)
