"""One API record to one row of ours, or a reason why not. Only the fields the figures need
are read: a holder's name, INSZ number, e-mail, phone and street never leave this module."""

import datetime
import uuid
import zoneinfo
from decimal import Decimal, InvalidOperation

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


class Rejected(Exception):
    """A record that cannot be imported; the message says why."""


def field(record: dict, path: str):
    value = record
    for name in path.split("."):
        if not isinstance(value, dict) or value.get(name) in (None, ""):
            raise Rejected(f"{path} is missing")
        value = value[name]
    return value


def day(record: dict, path: str) -> datetime.date:
    """A moment's Europe/Brussels day; a moment without an offset is taken as UTC."""
    text = field(record, path)
    try:
        moment = datetime.datetime.fromisoformat(str(text))
    except ValueError:
        raise Rejected(f"{path} is not a date-time: {str(text)[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(BRUSSELS).date()


def holder_id(record: dict, path: str) -> str:
    try:
        return str(uuid.UUID(str(field(record, path))))
    except ValueError:
        raise Rejected(f"{path} is not a UUID") from None


def integer(record: dict, path: str) -> int:
    value = field(record, path)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rejected(f"{path} is not a whole number")
    return value


def amount(record: dict, path: str) -> Decimal:
    value = field(record, path)
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value))
    except InvalidOperation:
        raise Rejected(f"{path} is not a number") from None
    if not number.is_finite() or number < 0 or number >= 10_000_000:
        raise Rejected(f"{path} is out of range")
    return number


def record_id(record) -> str:
    if not isinstance(record, dict):
        raise Rejected("not a JSON object")
    value = record.get("id")
    if value in (None, "") or isinstance(value, dict | list | bool):
        raise Rejected("id is missing")
    text = str(value)
    if len(text) > 64:
        raise Rejected("id is longer than 64 characters")
    return text


def is_deletion(record: dict) -> bool:
    return record.get("deleted") is True


def checkin_row(record: dict) -> dict:
    return {
        "id": record_id(record),
        "passholder_id": holder_id(record, "passholder.id"),
        "day": day(record, "creationDate"),
        "points": integer(record, "points"),
    }


def redemption_row(record: dict) -> dict:
    return {
        "id": record_id(record),
        "passholder_id": holder_id(record, "passholderId"),
        "day": day(record, "redeemDate"),
        "points": integer(record, "reward.points"),
    }


def ticket_sale_row(record: dict) -> dict:
    holder = record.get("passholder")
    tariff_type = field(record, "tariff.type")
    if tariff_type not in ("SOCIALTARIFF", "COUPON", "REWARD"):
        raise Rejected(f"tariff.type is not SOCIALTARIFF or COUPON: {str(tariff_type)[:20]!r}")
    return {
        "id": record_id(record),
        # Group passes come without a holder: the sale is kept, counted for nobody.
        "passholder_id": holder_id(record, "passholder.id") if holder else None,
        "day": day(record, "creationDate"),
        "tariff_type": tariff_type,
        "price": amount(record, "tariff.price"),
        "regular_price": amount(record, "regularPrice"),
    }


def passholder_rows(record: dict) -> tuple[dict, list[dict]]:
    """The holder and their memberships, minimised."""
    identifier = holder_id(record, "id")
    birth = record.get("dateOfBirth")
    birth_year = None
    if birth:
        try:
            birth_year = datetime.date.fromisoformat(str(birth)[:10]).year
        except ValueError:
            raise Rejected("dateOfBirth is not a date") from None
    address = record.get("address") if isinstance(record.get("address"), dict) else {}
    postal_code = str(address.get("postalCode") or record.get("postalCode") or "")[:10]
    memberships = []
    for index, membership in enumerate(record.get("cardSystemMemberships") or []):
        where = f"cardSystemMemberships[{index}]"
        if not isinstance(membership, dict):
            raise Rejected(f"{where} is not an object")
        try:
            card_system = integer(membership, "cardSystem.id")
            tariff = membership.get("socialTariff") or {}
            end = day(tariff, "endDate") if tariff.get("endDate") else None
        except Rejected as error:
            raise Rejected(f"{where}.{error}") from None
        memberships.append(
            {
                "passholder_id": identifier,
                "card_system_id": card_system,
                "social_tariff_status": str(tariff.get("status") or "")[:10],
                "social_tariff_end": end,
            }
        )
    holder = {
        "id": identifier,
        "birth_year": birth_year,
        "postal_code": postal_code,
        "created_on": day(record, "creationDate"),
        "social_active": any(m["social_tariff_status"] == "ACTIVE" for m in memberships),
        "social_end": max(
            (m["social_tariff_end"] for m in memberships if m["social_tariff_end"]), default=None
        ),
    }
    return holder, memberships
