"""Demo channels: three dozen leisure guides and API integrations with a year of daily counts;
some die during the year, some arrive, one is blocked for two months, one widget is unknown.
The partner user elke (password below, also in docs/channels.md) belongs to the Aalst partner
and sees only its channel. Safe to run again: the demo channels are rewritten."""

import datetime
import random
import uuid

from django.contrib.auth import get_user_model

from channels.models import (
    ApiUsage,
    Channel,
    ChannelKey,
    EventViews,
    KeyKind,
    Partner,
    PartnerMembership,
    StatusChange,
    UnknownWidgetDay,
    WidgetDay,
    WidgetPage,
)
from channels.services.summaries import summaries_rebuild
from dashboards.periods import month_start
from events.models import Event

PARTNER_USER = ("elke", "elke-demo-2026")
TOWNS = (
    "Aalst",
    "Gent",
    "Leuven",
    "Brugge",
    "Hasselt",
    "Mechelen",
    "Kortrijk",
    "Ninove",
    "Genk",
    "Oostende",
    "Turnhout",
    "Lier",
    "Geel",
    "Roeselare",
    "Dendermonde",
    "Lokeren",
    "Tienen",
    "Ieper",
    "Halle",
    "Vilvoorde",
    "Zottegem",
    "Tongeren",
    "Mol",
    "Bornem",
    "Diest",
    "Eeklo",
    "Tielt",
    "Veurne",
    "Poperinge",
    "Knokke-Heist",
)
DAYS = 365
NAMESPACE = uuid.UUID("5b0c8f7e-2f43-4c1d-9d2a-3c1e0b6a7f10")


def _id(kind: str, name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}/{name}")


def _plans(rng: random.Random, start: datetime.date) -> list[dict]:
    """Who each demo channel is, and when it lives: from `born` to `dies` (days into the year)."""
    plans = []
    for index, town in enumerate(TOWNS):
        born = 0 if index < 22 else rng.randint(60, 300)  # the last ones arrive during the year
        dies = DAYS if index % 7 else rng.randint(120, 300)  # every seventh stops
        plans.append(
            {
                "name": f"UiT in {town}",
                "town": town,
                "type": "widgets",
                "party": "third",
                "born": born,
                "dies": dies,
                "size": rng.choice((20, 60, 150, 400)),
            }
        )
    for name, party in (
        ("UiTinVlaanderen agenda", "first"),
        ("Cultuurkuur", "first"),
        ("Stadsmagazine Gent", "third"),
        ("Toerisme Limburg", "third"),
        ("Vrijetijdsapp Kempen", "third"),
        ("Jeugdwerkgids", "third"),
    ):
        plans.append(
            {
                "name": name,
                "town": rng.choice(TOWNS[:8]),
                "type": "search-api",
                "party": party,
                "born": 0,
                "dies": DAYS,
                "size": rng.choice((300, 2000)),
            }
        )
    plans[3]["blocked"] = (150, 210)  # blocked for two months, then active again
    for plan in plans:
        plan["start"] = start
    return plans


def _channel(plan: dict) -> Channel:
    partner, _created = Partner.objects.update_or_create(
        id=_id("partner", plan["town"]),
        defaults={"name": f"Gemeente {plan['town']}", "municipality": plan["town"]},
    )
    return Channel.objects.create(
        id=_id("channel", plan["name"]),
        name=plan["name"],
        type=plan["type"],
        status="active",
        party=plan["party"],
        partner=partner,
        website=f"https://www.uitin{plan['town'].lower().replace(' ', '')}.be",
        subscription="Widgets - Basic plan" if plan["type"] == "widgets" else "Search API Basic",
        subscription_category="Basic",
    )


def _history(channel: Channel, plan: dict) -> None:
    start, changes = plan["start"], [(plan["born"], "active", "")]
    if "blocked" in plan:
        first, last = plan["blocked"]
        changes += [(first, "blocked", "active"), (last, "active", "blocked")]
    if plan["dies"] < DAYS and plan["dies"] % 2:
        changes.append((plan["dies"] + 40, "deleted", "active"))
    for offset, status, previous in changes:
        StatusChange.objects.create(
            channel=channel,
            day=start + datetime.timedelta(offset),
            status=status,
            previous=previous,
        )
    channel.status = changes[-1][1]
    channel.save(update_fields=["status"])


def _usage(channel: Channel, plan: dict, rng: random.Random, events: list[str]) -> None:
    start, days, usage = plan["start"], [], []
    if plan["type"] == "widgets":
        pages = [
            WidgetPage.objects.create(
                id=f"demo-{channel.pk.hex[:8]}-{n}", channel=channel, title=title, language="nl"
            )
            for n, title in enumerate(("Agenda", "Kinderen en gezin"))
        ]
    for offset in range(plan["born"], min(plan["dies"], DAYS)):
        day = start + datetime.timedelta(offset)
        if plan["type"] == "widgets":
            for page in pages:
                views = max(
                    0, int(rng.gauss(plan["size"], plan["size"] / 3)) // (1 + pages.index(page))
                )
                days.append(
                    WidgetDay(
                        channel=channel,
                        page=page,
                        day=day,
                        views=views,
                        impressions=views * 6,
                        clicks=views // 4,
                    )
                )
        else:
            usage.append(
                ApiUsage(
                    day=day,
                    key=f"demo-client-{channel.pk.hex[:8]}",
                    channel=channel,
                    requests=int(rng.gauss(plan["size"], 50)),
                )
            )
    WidgetDay.objects.bulk_create(days, batch_size=5000)
    ApiUsage.objects.bulk_create(usage, batch_size=5000)
    ChannelKey.objects.create(
        key=f"demo-client-{channel.pk.hex[:8]}",
        channel=channel,
        kind=KeyKind.CLIENT_ID,
        environment="prod",
    )
    for event_id in rng.sample(events, min(len(events), 8)):
        EventViews.objects.create(
            channel=channel,
            month=month_start(start + datetime.timedelta(DAYS - 20)),
            event_id=event_id,
            views=rng.randint(5, 300),
        )


def _partner_user() -> str:
    username, password = PARTNER_USER
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": "Elke", "email": "elke@demo.publiq.be"}
    )
    if created:
        user.set_password(password)
        user.save()
    partner = Partner.objects.get(id=_id("partner", "Aalst"))
    PartnerMembership.objects.get_or_create(user=user, partner=partner)
    return username


def seed(*, out) -> None:
    rng = random.Random(22)
    start = datetime.date.today() - datetime.timedelta(days=DAYS - 1)
    Channel.objects.filter(name__in=[p["name"] for p in _plans(random.Random(0), start)]).delete()
    UnknownWidgetDay.objects.filter(page_id="demo-unknown").delete()
    ApiUsage.objects.filter(key__startswith="demo-client-").delete()
    events = list(Event.objects.values_list("udb_id", flat=True)[:40]) or [
        f"demo-{n}" for n in range(40)
    ]
    plans = _plans(rng, start)
    for plan in plans:
        channel = _channel(plan)
        _history(channel, plan)
        _usage(channel, plan, rng, events)
    for offset in range(0, DAYS, 7):
        UnknownWidgetDay.objects.create(
            page_id="demo-unknown",
            name="Onbekende widget",
            day=start + datetime.timedelta(offset),
            views=12,
        )
    username = _partner_user()
    result = summaries_rebuild()
    out.write(
        f"channels: {len(plans)} demo channels, {result.rows} channel months; partner user "
        f"{username} ({PARTNER_USER[1]}) sees UiT in Aalst only"
    )
