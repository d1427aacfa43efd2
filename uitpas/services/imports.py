"""`import_uitpas KIND FILE...`: upsert by id, `{"id": ..., "deleted": true}` removes, each bad
record reported with its place and reason while the good ones are kept.

JSON kinds are written in batches: COPY into a temporary table, then one INSERT ... ON CONFLICT
(about 20 times faster than saving rows one by one: bench/uitpas.py). The holders whose rows
changed are returned, so that their summaries can be refreshed.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import orjson
from django.db import connection, transaction

from core.services import audit_record
from events.services.sources import Item
from events.services.writers import copy_rows
from uitpas.models import (
    CardSystem,
    Checkin,
    Membership,
    Municipality,
    Passholder,
    Population,
    PostalCode,
    Redemption,
    TicketSale,
    size_class_for,
)
from uitpas.services import records
from uitpas.services.records import Rejected

BATCH_SIZE = 10_000
JSON_KINDS = {
    "checkins": (Checkin, records.checkin_row),
    "redemptions": (Redemption, records.redemption_row),
    "ticket-sales": (TicketSale, records.ticket_sale_row),
}
CSV_KINDS = ("municipalities", "population")
KINDS = ("card-systems", *CSV_KINDS, "passholders", *JSON_KINDS)


@dataclass
class Rejection:
    origin: str
    position: str
    reason: str


@dataclass
class Summary:
    imported: int = 0
    deleted: int = 0
    rejected: int = 0
    unreadable: list[str] = field(default_factory=list)
    holders: set[str] = field(default_factory=set)  # whose summaries are out of date
    everything: bool = False  # the holders' municipalities may have changed: rebuild all
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.imported:,} imported, {self.deleted:,} deleted, {self.rejected:,} rejected"


OnRejected = Callable[[Rejection], None]


def import_records(
    kind: str,
    items: Iterable[Item],
    on_rejected: OnRejected,
    *,
    actor=None,
    on_batch: Callable[[Summary], None] | None = None,
) -> Summary:
    """Import JSON items (from events.services.sources) of one kind."""
    summary = Summary()
    batch: dict[str, dict | None] = {}  # id -> row, or None to delete
    for item in items:
        try:
            record = item.data if item.raw is None else orjson.loads(item.raw)
            if item.error:
                raise Rejected(item.error)
            identifier = records.record_id(record)
            batch[identifier] = None if records.is_deletion(record) else _row(kind, record)
        except orjson.JSONDecodeError as error:
            _reject(summary, on_rejected, item, f"malformed JSON: {error.msg}")
        except Rejected as error:
            _reject(summary, on_rejected, item, str(error))
        if len(batch) >= BATCH_SIZE:
            _write(kind, batch, summary)
            batch = {}
            if on_batch:
                on_batch(summary)
    if batch:
        _write(kind, batch, summary)
    _audit(kind, summary, actor)
    return summary


def _reject(summary: Summary, on_rejected: OnRejected, item: Item, reason: str) -> None:
    summary.rejected += 1
    on_rejected(Rejection(item.origin, item.position, reason))


def _row(kind: str, record: dict):
    if kind == "passholders":
        return records.passholder_rows(record)
    if kind == "card-systems":
        return _card_system_row(record)
    return JSON_KINDS[kind][1](record)


def _card_system_row(record: dict) -> dict:
    codes = []
    for index, city in enumerate(records.field(record, "cities")):
        codes.append(str(records.field(city, "postalCode") if isinstance(city, dict) else ""))
        if not codes[-1]:
            raise Rejected(f"cities[{index}] has no postalCode")
    return {
        "id": records.integer(record, "id"),
        "name": records.field(record, "name"),
        "postal_codes": codes,
    }


def _write(kind: str, batch: dict, summary: Summary) -> None:
    rows = [row for row in batch.values() if row is not None]
    gone = [identifier for identifier, row in batch.items() if row is None]
    with transaction.atomic():
        if kind == "passholders":
            _write_holders(rows, gone, summary)
        elif kind == "card-systems":
            _write_card_systems(rows, gone, summary)
        else:
            _write_activity(JSON_KINDS[kind][0], rows, gone, summary)
    summary.imported += len(rows)


def _upsert(cursor, model, rows: list[dict]) -> None:
    table = model._meta.db_table
    columns = list(rows[0])
    cursor.execute(
        # With the defaults: a holder's record key is drawn by the database (uitpas.privacy).
        f"CREATE TEMP TABLE IF NOT EXISTS tmp_{table} (LIKE {table} INCLUDING DEFAULTS)"
        " ON COMMIT DROP"
    )
    copy_rows(cursor, f"tmp_{table}", rows)
    names = ", ".join(columns)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in columns if name != "id")
    cursor.execute(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM tmp_{table} "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    cursor.execute(f"DROP TABLE tmp_{table}")


def _write_activity(model, rows: list[dict], gone: list[str], summary: Summary) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if gone:
            cursor.execute(
                f"DELETE FROM {table} WHERE id = ANY(%s) RETURNING passholder_id", [gone]
            )
            deleted = cursor.fetchall()
            summary.deleted += len(deleted)
            summary.holders.update(str(holder) for (holder,) in deleted if holder)
        if rows:
            _upsert(cursor, model, rows)
    summary.holders.update(row["passholder_id"] for row in rows if row["passholder_id"])


def _write_holders(rows: list[tuple], gone: list[str], summary: Summary) -> None:
    holders = [holder for holder, _memberships in rows]
    ids = [holder["id"] for holder in holders]
    with connection.cursor() as cursor:
        if gone:
            valid = [identifier for identifier in gone if _is_uuid(identifier)]
            summary.deleted += (
                Passholder.objects.filter(id__in=valid).delete()[1].get(Passholder._meta.label, 0)
            )
            summary.holders.update(valid)
        if holders:
            _upsert(cursor, Passholder, [{**holder, "municipality_id": None} for holder in holders])
            cursor.execute(
                "UPDATE uitpas_passholder AS h SET municipality_id = p.municipality_id "
                "FROM uitpas_postalcode AS p "
                "WHERE p.code = h.postal_code AND h.id = ANY(%s::uuid[])",
                [ids],
            )
            Membership.objects.filter(passholder_id__in=ids).delete()
            memberships = [membership for _holder, found in rows for membership in found]
            if memberships:
                copy_rows(cursor, Membership._meta.db_table, memberships)
    summary.holders.update(ids)


def _is_uuid(text: str) -> bool:
    try:
        records.holder_id({"id": text}, "id")
    except Rejected:
        return False
    return True


def _write_card_systems(rows: list[dict], gone: list[str], summary: Summary) -> None:
    deleted = CardSystem.objects.filter(id__in=[g for g in gone if g.isdigit()]).delete()
    summary.deleted += deleted[1].get(CardSystem._meta.label, 0)
    for row in rows:
        system, _created = CardSystem.objects.update_or_create(
            id=row["id"], defaults={"name": row["name"][:200]}
        )
        found = dict(
            PostalCode.objects.filter(code__in=row["postal_codes"]).values_list(
                "code", "municipality_id"
            )
        )
        for code in row["postal_codes"]:
            if code not in found:
                summary.warnings.append(
                    f"card system {system.id}: postal code {code} belongs to no municipality"
                )
        Municipality.objects.filter(nis_code__in=set(found.values())).update(card_system=system)


def _audit(kind: str, summary: Summary, actor) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="uitpas.imported",
            object_type=f"uitpas.{kind}",
            new_values={
                "imported": summary.imported,
                "deleted": summary.deleted,
                "rejected": summary.rejected,
            },
        )


# CSV kinds: a few hundred rows each, written row by row.

CSV_COLUMNS = {
    "municipalities": [
        "nis_code",
        "name",
        "province",
        "postal_codes",
        "uitpas_since",
        "discount_share",
    ],
    "population": ["nis_code", "year", "inhabitants", "people_in_poverty"],
}


def csv_rows(kind: str, origin: str, text: str) -> Iterator[tuple[str, dict]]:
    """(place, row) of a CSV file; a header without the columns is an unreadable input."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = set(CSV_COLUMNS[kind]) - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"{origin}: the header lacks {', '.join(sorted(missing))}")
    for row in reader:
        yield f"line {reader.line_num}", row


def import_csv(
    kind: str, origin: str, rows: Iterable[tuple[str, dict]], on_rejected: OnRejected, *, actor=None
) -> Summary:
    summary = Summary(everything=True)
    write = _municipality if kind == "municipalities" else _population
    for position, row in rows:
        try:
            with transaction.atomic():
                write(row)
            summary.imported += 1
        except Rejected as error:
            summary.rejected += 1
            on_rejected(Rejection(origin, position, str(error)))
    with transaction.atomic():
        if kind == "municipalities":
            _attribute_holders()
        else:
            _size_classes()
    _audit(kind, summary, actor)
    return summary


def _text(row: dict, name: str, limit: int) -> str:
    value = (row.get(name) or "").strip()
    if len(value) > limit:
        raise Rejected(f"{name} is longer than {limit} characters")
    return value


def _nis_code(row: dict) -> str:
    code = _text(row, "nis_code", 5)
    if not (code.isdigit() and len(code) == 5):
        raise Rejected("nis_code is not five digits")
    return code


def _number(row: dict, name: str, kind=int):
    try:
        value = kind((row.get(name) or "").strip())
    except (ValueError, InvalidOperation):
        raise Rejected(f"{name} is not a number: {(row.get(name) or '')[:20]!r}") from None
    if value < 0:
        raise Rejected(f"{name} is negative")
    return value


def _municipality(row: dict) -> None:
    import datetime

    code, name = _nis_code(row), _text(row, "name", 200)
    if not name:
        raise Rejected("name is missing")
    since = None
    if _text(row, "uitpas_since", 10):
        try:
            since = datetime.date.fromisoformat(row["uitpas_since"].strip())
        except ValueError:
            raise Rejected("uitpas_since is not a date like 2019-01-01") from None
    share = _number(row, "discount_share", Decimal) if row.get("discount_share") else Decimal(0)
    if share > 1:
        raise Rejected("discount_share is more than 1")
    codes = (row.get("postal_codes") or "").split()
    if not codes or any(not c.isdigit() or len(c) > 10 for c in codes):
        raise Rejected("postal_codes are missing or not space-separated digits")
    taken = PostalCode.objects.filter(code__in=codes).exclude(municipality_id=code).first()
    if taken:
        raise Rejected(f"postal code {taken.code} already belongs to {taken.municipality_id}")
    Municipality.objects.update_or_create(
        nis_code=code,
        defaults={
            "name": name,
            "province": _text(row, "province", 100),
            "uitpas_since": since,
            "discount_share": share,
        },
    )
    PostalCode.objects.filter(municipality_id=code).exclude(code__in=codes).delete()
    PostalCode.objects.bulk_create(
        [PostalCode(code=c, municipality_id=code) for c in codes], ignore_conflicts=True
    )


def _population(row: dict) -> None:
    code = _nis_code(row)
    if not Municipality.objects.filter(nis_code=code).exists():
        raise Rejected(f"municipality {code} is unknown: import municipalities first")
    year = _number(row, "year")
    if not 1990 <= year <= 2100:
        raise Rejected("year is not a year from 1990 to 2100")
    inhabitants, poor = _number(row, "inhabitants"), _number(row, "people_in_poverty")
    if poor > inhabitants:
        raise Rejected("people_in_poverty is more than inhabitants")
    Population.objects.update_or_create(
        municipality_id=code,
        year=year,
        defaults={"inhabitants": inhabitants, "people_in_poverty": poor},
    )


def _attribute_holders() -> None:
    """Every holder's municipality again, from their postal code."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE uitpas_passholder AS h SET municipality_id = p.municipality_id "
            "FROM uitpas_passholder AS h2 LEFT JOIN uitpas_postalcode AS p "
            "ON p.code = h2.postal_code WHERE h2.id = h.id "
            "AND h.municipality_id IS DISTINCT FROM p.municipality_id"
        )


def _size_classes() -> None:
    for municipality in Municipality.objects.all():
        latest = municipality.population.order_by("-year").first()
        size = size_class_for(latest.inhabitants if latest else None)
        if size != municipality.size_class:
            municipality.size_class = size
            municipality.save(update_fields=["size_class"])
