"""Realistic UiTdatabank JSON-LD events, generated for `seed_demo` and the benchmarks: Dutch
texts, real term ids, shared places and organisers, online and mixed events, every age-range
form and a share of legacy shapes, some with the defects real legacy data has (data findings).
The same seed (and base date) gives the same documents.
"""

from __future__ import annotations

import csv
import functools
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from events.models import NIL_PLACE_ID
from events.services.taxonomy import LEGACY_FILE

IO = "https://io.uitdatabank.be"
BASE_DATE = datetime(2026, 9, 1, tzinfo=UTC)

CITIES = [
    ("Gent", "9000"),
    ("Antwerpen", "2000"),
    ("Leuven", "3000"),
    ("Brugge", "8000"),
    ("Mechelen", "2800"),
    ("Hasselt", "3500"),
    ("Kortrijk", "8500"),
    ("Aalst", "9300"),
    ("Oostende", "8400"),
    ("Genk", "3600"),
    ("Sint-Niklaas", "9100"),
    ("Turnhout", "2300"),
    ("Roeselare", "8800"),
    ("Brussel", "1000"),
    ("Tienen", "3300"),
    ("Lier", "2500"),
    ("Geel", "2440"),
    ("Ieper", "8900"),
    ("Dendermonde", "9200"),
    ("Tongeren", "3700"),
    ("Vilvoorde", "1800"),
    ("Diest", "3290"),
    ("Oudenaarde", "9700"),
    ("Lokeren", "9160"),
]
STREETS = [
    "Kerkstraat",
    "Stationsstraat",
    "Grote Markt",
    "Nieuwstraat",
    "Molenstraat",
    "Schoolstraat",
    "Kapelstraat",
    "Dorpsstraat",
    "Sint-Jorisplein",
    "Vaartkom",
    "Kouter",
    "Zuidlaan",
]
PLACE_KINDS = [
    ("Cultuurcentrum", "OyaPaf64AEmEAYXHeLMAtA"),
    ("Stadsschouwburg", "OyaPaf64AEmEAYXHeLMAtA"),
    ("Bibliotheek", "kI7uAyn2uUu9VV6Z3uWZTA"),
    ("Museum", "GnPFp9uvOUyqhOckIFMKmg"),
    ("Jeugdhuis", "OyaPaf64AEmEAYXHeLMAtA"),
    ("Sporthal", "OyaPaf64AEmEAYXHeLMAtA"),
    ("Zaal", "OyaPaf64AEmEAYXHeLMAtA"),
    ("Provinciaal Domein", "0.15.0.0.0"),
]
PLACE_NAMES = ["De Kruisboog", "Het Depot", "De Spil", "Zinnema", "De Warande", "Het Bolwerk"]
ORGANIZER_KINDS = [
    "Davidsfonds",
    "Gezinsbond",
    "Bibliotheek",
    "Stad",
    "Natuurpunt",
    "Vormingplus",
    "Muziekacademie",
    "Jeugdraad",
    "Seniorenraad",
    "Cultuurdienst",
]
# (event type id, name patterns, theme ids): the real ids of the official taxonomy.
EVENT_TYPES = [
    (
        "0.50.4.0.0",
        ["Concert: {artist}", "{artist} live", "Zomerconcert op {square}"],
        ["1.8.1.0.0", "1.8.2.0.0", "1.8.3.1.0", "1.8.4.0.0"],
    ),
    (
        "0.55.0.0.0",
        ["{play}", "Theater: {play}", "{play} (voorstelling)"],
        ["1.3.1.0.0", "1.3.4.0.0", "1.3.5.0.0"],
    ),
    (
        "0.0.0.0.0",
        ["Tentoonstelling: {topic}", "{topic}: een overzicht", "Expo {topic}"],
        ["1.0.1.0.0", "1.0.2.0.0", "1.1.0.0.0", "1.11.0.0.0"],
    ),
    (
        "0.3.1.0.0",
        ["Cursus {skill}", "Lessenreeks {skill}", "{skill} voor beginners"],
        ["1.9.5.0.0", "1.43.0.0.0", "1.64.0.0.0"],
    ),
    (
        "0.50.6.0.0",
        ["Film: {film}", "{film} (filmvertoning)", "Openluchtcinema: {film}"],
        ["1.7.2.0.0", "1.7.3.0.0", "1.7.12.0.0"],
    ),
    (
        "0.7.0.0.0",
        ["Begeleide wandeling: {topic}", "Rondleiding {topic}", "Stadswandeling"],
        ["1.11.0.0.0", "1.0.1.0.0"],
    ),
    (
        "0.3.2.0.0",
        ["Lezing: {topic}", "Infoavond over {topic}", "Debat: {topic}"],
        ["1.11.0.0.0", "1.61.0.0.0", "1.52.0.0.0", "1.37.0.0.0"],
    ),
    (
        "0.59.0.0.0",
        ["{sport} voor iedereen", "Kennismaking {sport}", "{sport}dag"],
        ["1.62.0.0.0", "1.51.13.0.0", "1.51.3.0.0"],
    ),
    (
        "0.5.0.0.0",
        ["{square}festival", "Festival {artist}", "Buurtfeest {square}"],
        ["1.8.3.1.0", "1.8.4.0.0"],
    ),
    (
        "0.57.0.0.0",
        ["Kamp: {skill}", "Vakantiekamp {sport}", "Speelweek {topic}"],
        ["1.11.2.0.0", "1.42.0.0.0", "1.64.0.0.0"],
    ),
    ("0.50.21.0.0", ["Quiz {topic}", "Familiequiz", "Pubquiz in {square}"], []),
]
WORDS = {
    "artist": ["Kommil Foo", "Brussels Jazz Orchestra", "Flip Kowlier", "Het Collectief"],
    "play": ["De Kersentuin", "Wachten op Godot", "Het Gezin van Paemel", "Mariken"],
    "topic": ["de Gentse Feesten", "Vlaamse primitieven", "het industriële erfgoed", "Ensor"],
    "skill": ["keramiek", "Spaans", "fotografie", "tekenen", "programmeren", "koken"],
    "film": ["Girl", "Close", "De Zaak Alzheimer", "Rundskop"],
    "sport": ["Petanque", "Yoga", "Zwemmen", "Klimmen", "Badminton"],
    "square": ["het Sint-Pietersplein", "de Grote Markt", "het Zuid", "de Kouter"],
}
SENTENCES = [
    "Een avond vol verrassingen voor jong en oud.",
    "Breng je kinderen mee: er is een apart programma voor kleuters en peuters.",
    "Het hele gezin is welkom, ook grootouders met hun kleinkinderen.",
    "De voorstelling duurt ongeveer anderhalf uur, zonder pauze.",
    "Na afloop kan je nog napraten met de makers bij een drankje in de foyer.",
    "Inschrijven is verplicht, want het aantal plaatsen is beperkt.",
    "De zaal is toegankelijk voor rolstoelgebruikers en er is een ringleiding.",
    "Deze activiteit gaat door in het Nederlands, met Franse boventitels.",
    "Met een UiTPAS krijg je korting, en met een kansentarief betaal je minder.",
    "Voor deze workshop hoef je geen voorkennis te hebben: iedereen kan meedoen.",
    "Trek stevige schoenen aan, want de wandeling gaat deels over onverharde paden.",
    "De gids vertelt boeiende anekdotes over de geschiedenis van de stad.",
    "Het museum toont werk uit de eigen collectie, aangevuld met bruiklenen.",
    "De lezing wordt gevolgd door een vragenronde met het publiek.",
    "Kinderen onder twaalf jaar mogen gratis binnen onder begeleiding van een volwassene.",
    "Ook wie de livestream volgt, kan via de chat vragen stellen.",
    "Het programma is geschikt voor families met kinderen vanaf zes jaar.",
    "De opbrengst gaat naar een goed doel uit de buurt.",
    "Er is een fietsenstalling en het station ligt op tien minuten wandelen.",
    "Wie wil, kan vooraf deelnemen aan een korte inleiding over het werk.",
    "Voor jongeren tussen twaalf en achttien is er een aangepast tarief.",
    "De muzikanten brengen een mix van eigen werk en bekende klassiekers.",
    "Het atelier zorgt voor alle materiaal; je neemt je eigen werk mee naar huis.",
    "Bij slecht weer verhuist de activiteit naar de sporthal.",
]
AGE_RANGES = [
    ("-", 30),
    ("", 20),
    ("6-12", 8),
    ("-12", 5),
    ("3-6", 4),
    ("12-18", 6),
    ("18-", 10),
    ("0-", 5),
    ("4-", 4),
    ("-4", 3),
    ("65-", 2),
    ("10-14", 3),
]
WORKFLOW = [
    ("APPROVED", 80),
    ("READY_FOR_VALIDATION", 8),
    ("DRAFT", 7),
    ("REJECTED", 3),
    ("DELETED", 2),
]
STATUSES = [("Available", 92), ("TemporarilyUnavailable", 3), ("Unavailable", 5)]
CALENDARS = [("single", 55), ("multiple", 15), ("periodic", 15), ("permanent", 15)]
ATTENDANCE = [("offline", 85), ("online", 8), ("mixed", 7)]
# Where UiTdatabank puts an online event: the nil place, with placeholders for an address.
ONLINE_PLACE = {
    "@id": f"{IO}/places/{NIL_PLACE_ID}",
    "mainLanguage": "nl",
    "name": {"nl": "Online"},
    "address": {
        "nl": {
            "addressCountry": "BE",
            "addressLocality": "___",
            "postalCode": "0000",
            "streetAddress": "___",
        }
    },
}


def generate_documents(
    count: int,
    *,
    seed: int = 2026,
    places: int = 200,
    organizers: int = 120,
    legacy_share=0.03,
    base_date: datetime = BASE_DATE,
) -> Iterator[dict]:
    """`count` event documents; places and organisers are drawn from fixed shared pools.
    Dates spread around `base_date` (the demo passes today, so that its queues, which leave
    out events that ended, keep work)."""
    rng = random.Random(seed)
    place_pool = [_place(rng, index) for index in range(places)]
    organizer_pool = [_organizer(rng, index) for index in range(organizers)]
    for _ in range(count):
        place = place_pool[int(rng.paretovariate(1.2) * 7) % places]
        organizer = organizer_pool[int(rng.paretovariate(1.2) * 5) % organizers]
        make = _legacy_event if rng.random() < legacy_share else _event
        yield make(rng, place, organizer, base_date)


@functools.cache
def _labels() -> dict[str, str]:
    with open(LEGACY_FILE, newline="", encoding="utf-8") as file:
        return {row["id"]: row["label_nl"] for row in csv.DictReader(file)}


def _term(term_id: str, domain: str) -> dict:
    return {"id": term_id, "label": _labels().get(term_id, ""), "domain": domain}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _weighted(rng: random.Random, options):
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights)[0]


def _address(rng: random.Random, city: str, postal_code: str) -> dict:
    return {
        "addressCountry": "BE",
        "addressLocality": city,
        "postalCode": postal_code,
        "streetAddress": f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
    }


def _place(rng: random.Random, index: int) -> dict:
    city, postal_code = CITIES[index % len(CITIES)]
    kind, type_id = rng.choice(PLACE_KINDS)
    return {
        "@id": f"{IO}/places/{_uuid(rng)}",
        "mainLanguage": "nl",
        "name": {"nl": f"{kind} {rng.choice(PLACE_NAMES)} {city}"},
        "address": {"nl": _address(rng, city, postal_code)},
        "geo": {
            "latitude": round(50.7 + rng.random() * 0.7, 6),
            "longitude": round(2.6 + rng.random() * 3.0, 6),
        },
        "calendarType": "permanent",
        "terms": [_term(type_id, "eventtype")],
        "workflowStatus": "APPROVED",
        "labels": ["museumPASSmusees"] if kind == "Museum" and rng.random() < 0.7 else [],
    }


def _organizer(rng: random.Random, index: int) -> dict:
    city, postal_code = CITIES[index % len(CITIES)]
    organizer_id = _uuid(rng)
    name = f"{rng.choice(ORGANIZER_KINDS)} {city}"
    return {
        "@id": f"{IO}/organizers/{organizer_id}",
        "mainLanguage": "nl",
        "name": {"nl": name},
        "url": f"https://www.{name.lower().replace(' ', '')}.be",
        "address": {"nl": _address(rng, city, postal_code)},
        "labels": ["UiTPAS"] if rng.random() < 0.2 else [],
        "hiddenLabels": [f"UiTPAS {city}"] if rng.random() < 0.2 else [],
    }


def _name(rng: random.Random, patterns: list[str]) -> str:
    pattern = rng.choice(patterns)
    return pattern.format(**{key: rng.choice(values) for key, values in WORDS.items()})


def _description(rng: random.Random) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(3, 9)))


def _calendar(rng: random.Random, calendar_type: str, base_date: datetime) -> dict:
    start = base_date + timedelta(days=rng.randint(-200, 300), hours=rng.randint(9, 20))
    if calendar_type == "permanent":
        return {"calendarType": "permanent"}
    if calendar_type == "periodic":
        end = start + timedelta(days=rng.randint(20, 200))
        return {
            "calendarType": "periodic",
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "openingHours": [
                {"opens": "10:00", "closes": "17:00", "dayOfWeek": ["tuesday", "sunday"]}
            ],
        }
    sessions = 1 if calendar_type == "single" else rng.randint(2, 5)
    begins = [start + timedelta(days=7 * number) for number in range(sessions)]
    sub_events = [
        {
            "id": number,
            "startDate": begin.isoformat(),
            "endDate": (begin + timedelta(hours=2)).isoformat(),
            "status": {"type": "Available"},
            "bookingAvailability": {"type": "Available"},
        }
        for number, begin in enumerate(begins)
    ]
    return {
        "calendarType": calendar_type,
        "startDate": sub_events[0]["startDate"],
        "endDate": sub_events[-1]["endDate"],
        "subEvent": sub_events,
    }


def _event(rng: random.Random, place: dict, organizer: dict, base_date: datetime) -> dict:
    event_id = _uuid(rng)
    type_id, patterns, themes = rng.choice(EVENT_TYPES)
    attendance = _weighted(rng, ATTENDANCE)
    created = base_date - timedelta(days=rng.randint(30, 900), minutes=rng.randint(0, 1440))
    themes = rng.sample(themes, min(len(themes), rng.choice((0, 1, 1, 2))))
    terms = [_term(type_id, "eventtype"), *(_term(theme, "theme") for theme in themes)]
    if rng.random() < 0.1:
        terms.append(_term("3.23.1.0.0", "facility"))
    document = {
        "@id": f"{IO}/events/{event_id}",
        "@context": "/contexts/event",
        "mainLanguage": "nl",
        "name": {"nl": _name(rng, patterns)},
        "description": {"nl": _description(rng)},
        **_calendar(rng, _weighted(rng, CALENDARS), base_date),
        "status": {"type": _weighted(rng, STATUSES)},
        "attendanceMode": attendance,
        "location": ONLINE_PLACE if attendance == "online" else place,
        "organizer": organizer,
        "terms": terms,
        "created": created.isoformat(),
        "modified": (created + timedelta(days=rng.randint(0, 25))).isoformat(),
        "workflowStatus": _weighted(rng, WORKFLOW),
        "audience": {
            "audienceType": _weighted(rng, [("everyone", 90), ("members", 5), ("education", 5)])
        },
        "languages": ["nl"],
        "completedLanguages": ["nl"],
        "priceInfo": [
            {
                "category": "base",
                "name": {"nl": "Basistarief"},
                "price": rng.choice((0, 5, 8, 12.5, 15, 22)),
                "priceCurrency": "EUR",
            }
        ],
        "bookingInfo": {"url": f"https://tickets.example.be/{event_id[:8]}"},
        "labels": rng.sample(["UiTPAS Gent", "Vlieg", "Zomer in de stad"], rng.choice((0, 0, 1))),
    }
    age_range = _weighted(rng, AGE_RANGES)
    if age_range:
        document["typicalAgeRange"] = age_range
    if attendance != "offline":
        document["onlineUrl"] = f"https://live.example.be/stream/{event_id[:8]}"
    if rng.random() < 0.05:
        document["name"]["fr"] = document["name"]["nl"] + " (FR)"
    return document


def _legacy_event(rng: random.Random, place: dict, organizer: dict, base_date: datetime) -> dict:
    """The older shape: plain strings, /event/ over http, HTML, legacy domains, no modified."""
    event_id = _uuid(rng).upper()
    type_id, patterns, themes = rng.choice(EVENT_TYPES)
    city = place["address"]["nl"]["addressLocality"]
    description = "".join(f"<p>{sentence}</p>" for sentence in rng.sample(SENTENCES, 3))
    start = base_date - timedelta(days=rng.randint(2000, 3500))
    location = {**place, "@id": place["@id"].replace("/places/", "/place/")}
    theme_domain = "theme"
    # A share of the defects real legacy data has (data findings), chosen by the id so that
    # the random stream, and so every other document, stays as it was.
    if event_id[0] in "0123":
        theme_domain = "eventtype"  # a theme filed under the wrong domain
    elif event_id[0] in "45" and "geo" in location:
        location["geo"] = {name: str(value) for name, value in location["geo"].items()}
    return {
        "@id": f"http://culudb-silex.dev:8080/event/{event_id}",
        "@context": "/api/1.0/event.jsonld",
        "name": _name(rng, patterns),
        "description": description,
        "location": location,
        "organizer": organizer,
        "terms": [
            _term(type_id, "eventtype"),
            *(_term(theme, theme_domain) for theme in themes[:1]),
            {
                "label": f"{place['address']['nl']['postalCode']} {city}",
                "domain": "flandersregion",
                "id": f"reg.{rng.randint(700, 999)}",
            },
        ],
        "calendarType": "single",
        "startDate": start.isoformat(),
        "endDate": (start + timedelta(hours=3)).isoformat(),
        "created": (start - timedelta(days=40)).isoformat(),
        "typicalAgeRange": rng.choice(["-", "5-", "-12", "18-"]),
        "priceInfo": [
            {"category": "base", "name": "Basistarief", "price": 0, "priceCurrency": "EUR"}
        ],
    }
