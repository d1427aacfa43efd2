"""Demo UiTPAS data: card system "UiTPAS Demo Dender" (Aalst, Ninove, Denderleeuw) seen by the
demo partner `ulla`, and "UiTPAS Demo Gent" whose municipality she gets 404 for. Holders,
check-ins, redemptions and sales of the last three years go through the import itself; small
Denderleeuw has few social-tariff holders, so some counts are withheld on its pages."""

import datetime
import random
import uuid

from django.contrib.auth.models import Group

from core.models import User
from core.roles import UITPAS_PARTNER
from events.services.sources import Item
from uitpas.models import CardSystem, Municipality, PartnerMembership, Passholder
from uitpas.services import imports
from uitpas.services.summaries import summaries_rebuild

USERNAME, PASSWORD = "ulla", "ulla-demo-2026"
MUNICIPALITIES = (
    # nis, name, postal codes, since, share, inhabitants, poor, holders, social share, system
    ("41002", "Aalst", "9300 9308 9310 9320", "2021-01-01", "0.5", 90_000, 9_000, 900, 0.2, 9001),
    ("41048", "Ninove", "9400 9401 9402 9403", "2022-04-01", "0.4", 40_000, 3_000, 350, 0.15, 9001),
    ("41011", "Denderleeuw", "9470 9472 9473", "2023-01-01", "0.3", 21_000, 1_800, 60, 0.05, 9001),
    ("44021", "Gent", "9000 9030 9031 9032", "2020-01-01", "0.5", 265_000, 30_000, 700, 0.2, 9002),
)
SYSTEMS = {9001: "UiTPAS Demo Dender", 9002: "UiTPAS Demo Gent"}


def _items(kind, records):
    return [
        Item(f"demo {kind}", f"record {index}", data=record) for index, record in enumerate(records)
    ]


def _import(kind, records) -> None:
    imports.import_records(kind, _items(kind, records), lambda rejection: None)


def _moment(day: datetime.date, rng) -> str:
    return f"{day.isoformat()}T{rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}:00Z"


def _municipalities() -> None:
    for nis, name, codes, since, share, inhabitants, poor, *_rest, system in MUNICIPALITIES:
        rows = [
            (
                "line",
                {
                    "nis_code": nis,
                    "name": name,
                    "province": "Oost-Vlaanderen",
                    "postal_codes": codes,
                    "uitpas_since": since,
                    "discount_share": share,
                },
            )
        ]
        imports.import_csv("municipalities", "demo", rows, lambda rejection: None)
        for year in range(2020, datetime.date.today().year + 1):
            row = {
                "nis_code": nis,
                "year": str(year),
                "inhabitants": str(inhabitants),
                "people_in_poverty": str(poor),
            }
            imports.import_csv("population", "demo", [("line", row)], lambda rejection: None)
        del system
    _import(
        "card-systems",
        [
            {
                "id": system,
                "name": name,
                "cities": [
                    {"postalCode": codes.split()[0], "name": town}
                    for _nis, town, codes, *_r, owner in MUNICIPALITIES
                    if owner == system
                ],
            }
            for system, name in SYSTEMS.items()
        ],
    )


def _activity(rng: random.Random) -> int:
    today = datetime.date.today()
    start = today - datetime.timedelta(days=3 * 365)
    holders, checkins, redemptions, sales = [], [], [], []
    for nis, _name, codes, _since, _share, *_p, count, social_share, system in MUNICIPALITIES:
        for index in range(count):
            identifier = str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-uitpas-{nis}-{index}"))
            created = start + datetime.timedelta(days=rng.randint(0, 3 * 365 - 30))
            social = rng.random() < social_share
            end = today + datetime.timedelta(days=rng.randint(-400, 300))
            membership = {"cardSystem": {"id": system}, "status": "ACTIVE"}
            if social:
                status = "ACTIVE" if end >= today else "EXPIRED"
                membership["socialTariff"] = {"status": status, "endDate": f"{end}T00:00:00Z"}
            holders.append(
                {
                    "id": identifier,
                    "dateOfBirth": f"{rng.randint(1940, 2018)}-06-15",
                    "address": {"postalCode": rng.choice(codes.split())},
                    "creationDate": _moment(created, rng),
                    "cardSystemMemberships": [membership],
                }
            )
            activity = rng.choice((0, 0, 1, 2, 4, 8, 15))
            for number in range(activity * 3):
                day = created + datetime.timedelta(
                    days=rng.randint(0, max(1, (today - created).days))
                )
                checkins.append(
                    {
                        "id": f"demo-c-{identifier}-{number}",
                        "creationDate": _moment(day, rng),
                        "points": rng.choice((1, 1, 1, 2, 0)),
                        "passholder": {"id": identifier},
                    }
                )
                if rng.random() < 0.15:
                    redemptions.append(
                        {
                            "id": f"demo-r-{identifier}-{number}",
                            "redeemDate": _moment(day, rng),
                            "passholderId": identifier,
                            "reward": {"points": rng.randint(1, 5)},
                        }
                    )
                if social and rng.random() < 0.5:
                    sales.append(
                        {
                            "id": f"demo-s-{identifier}-{number}",
                            "creationDate": _moment(day, rng),
                            "regularPrice": 12,
                            "passholder": {"id": identifier},
                            "tariff": {"type": "SOCIALTARIFF", "price": 3},
                        }
                    )
    for kind, records in (
        ("passholders", holders),
        ("checkins", checkins),
        ("redemptions", redemptions),
        ("ticket-sales", sales),
    ):
        _import(kind, records)
    return len(holders)


def seed(*, out) -> None:
    if not Municipality.objects.filter(nis_code="41002").exists():
        _municipalities()
    if not Passholder.objects.filter(municipality_id="41011").exists():
        count = _activity(random.Random(2121))
        out.write(f"uitpas: {count} demo holders with three years of activity")
    user, created = User.objects.get_or_create(
        username=USERNAME, defaults={"first_name": "Ulla", "email": "ulla@demo.publiq.be"}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=UITPAS_PARTNER))
    PartnerMembership.objects.get_or_create(user=user, card_system=CardSystem.objects.get(pk=9001))
    result = summaries_rebuild()
    out.write(
        f"uitpas: {USERNAME} / {PASSWORD} (UiTPAS partner) sees UiTPAS Demo Dender, not Gent; "
        f"summaries rebuilt in {result['seconds']} s"
    )
