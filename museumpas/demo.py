"""Demo museums, holders, passes and visits (the last 60 days), enough for the survey demo."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from museumpas.models import Holder, Museum, Pass, Visit
from museumpas.services import region_for_postcode

# (id, name, city, postcode, region, size)
DEMO_MUSEUMS = (
    ("demo-mas", "MAS | Museum aan de Stroom", "Antwerpen", "2000", "flanders", "large"),
    ("demo-msk", "MSK Gent", "Gent", "9000", "flanders", "large"),
    ("demo-m-leuven", "M Leuven", "Leuven", "3000", "flanders", "medium"),
    ("demo-design-museum", "Design Museum Brussels", "Brussel", "1020", "brussels", "small"),
    ("demo-bam", "BAM Mons", "Mons", "7000", "wallonia", "medium"),
    ("demo-red-star-line", "Red Star Line Museum", "Antwerpen", "2000", "flanders", "small"),
)
POSTCODES = ("2000", "9000", "3000", "1000", "1050", "7000", "4000", "8000", "3500", "1300")
HOLDERS = 80
VISITS = 320


def _museums() -> list[Museum]:
    fields = ("name", "city", "postcode", "region", "size_class")
    for external_id, *values in DEMO_MUSEUMS:
        defaults = dict(zip(fields, values, strict=True))
        Museum.objects.get_or_create(external_id=external_id, defaults=defaults)
    return list(Museum.objects.filter(external_id__startswith="demo-").order_by("pk"))


def _holders(rng: random.Random) -> list[Holder]:
    holders = []
    for number in range(1, HOLDERS + 1):
        postcode = rng.choice(POSTCODES)
        region = region_for_postcode(postcode)
        french = region == "wallonia" or (region == "brussels" and rng.random() < 0.5)
        language = "en" if number % 10 == 0 else "fr" if french else "nl"
        holders.append(
            Holder(
                external_id=f"demo-holder-{number:03d}",
                language=language,
                postcode=postcode,
                region=region,
                birth_year=rng.randint(1945, 2004),
                email=f"holder{number:03d}@example.org",
                created=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 600)),
            )
        )
    Holder.objects.bulk_create(holders)
    return list(Holder.objects.filter(external_id__startswith="demo-holder-").order_by("pk"))


def _passes(rng: random.Random, holders: list[Holder], museums: list[Museum]) -> None:
    today = timezone.localdate()
    passes = []
    for holder in holders:
        start = today - datetime.timedelta(days=rng.randint(30, 300))
        passes.append(
            Pass(
                external_id=f"demo-pass-{holder.external_id[-3:]}",
                holder=holder,
                card_number=f"9999{holder.pk:08d}",
                valid_from=start,
                valid_until=start + datetime.timedelta(days=364),
                channel=rng.choice(("online", "online", "museum", "partner")),
                sold_by=rng.choice(museums) if rng.random() < 0.4 else None,
                is_renewal=rng.random() < 0.5,
                price=Decimal("65.00"),
            )
        )
    Pass.objects.bulk_create(passes)


def _visits(rng: random.Random, holders: list[Holder], museums: list[Museum]) -> None:
    now = timezone.now()
    visits = []
    for number in range(1, VISITS + 1):
        # The first twenty visits are one to three days old, so the demo campaign has mail to
        # send as soon as the worker starts.
        days_ago = rng.uniform(1.1, 3) if number <= 20 else rng.uniform(3, 60)
        visits.append(
            Visit(
                external_id=f"demo-visit-{number:04d}",
                holder=holders[(number * 7) % len(holders)],
                museum=rng.choice(museums),
                visited_at=now - datetime.timedelta(days=days_ago),
            )
        )
    Visit.objects.bulk_create(visits)


def seed(*, out) -> None:
    museums = _museums()
    if Holder.objects.filter(external_id__startswith="demo-holder-").exists():
        out.write(f"museumpas: {len(museums)} demo museums, holders and visits already there")
        return
    rng = random.Random(2026)
    holders = _holders(rng)
    _passes(rng, holders, museums)
    _visits(rng, holders, museums)
    out.write(f"museumpas: {len(museums)} museums, {HOLDERS} holders, {VISITS} visits")
