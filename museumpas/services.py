"""Writes of the museum pass data: visits, API tokens, holder attributes."""

import datetime
import hashlib
import secrets
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.services import audit_record
from museumpas.hooks import visits_stored
from museumpas.models import Holder, Museum, MuseumApiToken, Region, Visit

# Belgian postcodes by first digits (bpost): 1000-1299 Brussels, 1300-1499 Walloon Brabant,
# 1500-3999 Flanders, 4000-7999 Wallonia, 8000-9999 Flanders.
_POSTCODE_REGIONS = (
    (1000, 1299, Region.BRUSSELS),
    (1300, 1499, Region.WALLONIA),
    (1500, 3999, Region.FLANDERS),
    (4000, 7999, Region.WALLONIA),
    (8000, 9999, Region.FLANDERS),
)

# (key, lowest age, highest age); the label is the key. The dashboards filter on these keys.
AGE_GROUPS = (
    ("0-25", 0, 25),
    ("26-35", 26, 35),
    ("36-45", 36, 45),
    ("46-55", 46, 55),
    ("56-65", 56, 65),
    ("66+", 66, 200),
)
AGE_GROUP_UNKNOWN = "unknown"


def region_for_postcode(postcode: str) -> str:
    if not (postcode.isdigit() and len(postcode) == 4):
        return Region.OTHER
    number = int(postcode)
    for low, high, region in _POSTCODE_REGIONS:
        if low <= number <= high:
            return region
    return Region.OTHER


def age_group(*, birth_year: int | None, on: datetime.date) -> str:
    """The holder's age group in the year of `on` (age = that year minus the birth year)."""
    if not birth_year:
        return AGE_GROUP_UNKNOWN
    age = on.year - birth_year
    for key, low, high in AGE_GROUPS:
        if low <= age <= high:
            return key
    return AGE_GROUP_UNKNOWN


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The moment the local day starts: `visited_at >= local_midnight(day)` selects visits from
    that local day on, whatever its offset to UTC (one hour in winter, two in summer)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class VisitRefused(Exception):
    """The visit cannot be recorded; the message says why, for the API client."""


@transaction.atomic
def visit_record(
    *,
    museum: Museum,
    holder_external_id: str,
    visited_at: datetime.datetime | None = None,
    client_id: str = "",
) -> tuple[Visit, bool]:
    """Record one visit of a holder at a museum; a repeated client id returns the first one.

    The client's id is looked up among this museum's visits only (also as the external id of
    visits stored before client ids were kept apart, or imported): another museum's ids stay
    invisible, so the answer never says whether an id exists elsewhere.
    """
    if client_id:
        same_id = Q(client_id=client_id) | Q(external_id=client_id)
        existing = Visit.objects.filter(same_id, museum=museum).first()
        if existing is not None:
            return existing, False
    holder = Holder.objects.filter(external_id=holder_external_id, erased_at=None).first()
    if holder is None:
        raise VisitRefused("unknown passholderId")
    values = {
        "external_id": str(uuid.uuid4()),
        "holder": holder,
        "visited_at": visited_at or timezone.now(),
    }
    if not client_id:
        visit = Visit.objects.create(museum=museum, **values)
    else:
        visit, created = Visit.objects.get_or_create(
            museum=museum, client_id=client_id, defaults=values
        )
        if not created:  # a simultaneous request with the same id stored it first
            return visit, False
    visits_stored.fire_on_commit(museum_days={(museum.pk, local_date(visit.visited_at))})
    return visit, True


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def museum_api_token_issue(*, museum: Museum, actor) -> tuple[MuseumApiToken, str]:
    """A new API key for the museum; the key itself is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = MuseumApiToken.objects.create(museum=museum, key_hash=_hash_key(key), prefix=key[:8])
    audit_record(actor=actor, action="museumpas.api_token_issued", target=museum, note=token.prefix)
    return token, key


@transaction.atomic
def museum_api_token_revoke(*, token: MuseumApiToken, actor) -> None:
    MuseumApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    audit_record(
        actor=actor, action="museumpas.api_token_revoked", target=token.museum, note=token.prefix
    )


def museum_for_api_key(key: str) -> Museum | None:
    token = (
        MuseumApiToken.objects.select_related("museum")
        .filter(key_hash=_hash_key(key), revoked_at=None, museum__active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # One write a minute per token at most: the API takes many visits a second at peak.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        MuseumApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.museum


def holder_anonymise(*, holder: Holder) -> None:
    """Remove what identifies the holder; keep language, region and birth year for aggregates.

    Runs inside the caller's transaction (surveys.services.holder_erase, which also detaches
    the holder's survey answers).
    """
    Holder.objects.filter(pk=holder.pk).update(
        external_id=f"erased-{uuid.uuid4()}",
        email="",
        postcode="",
        created=None,
        erased_at=timezone.now(),
    )
    holder.passes.update(card_number="")
