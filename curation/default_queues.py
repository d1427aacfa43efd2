"""The queues the deck names, created by migration 0005 (and again after a test flush).

Administrators change them or add others in the admin; these are only the starting set.
"""

QUEUES = [
    {
        "slug": "confirm",
        "name": "Bevestigen: permanent en periodiek aanbod",
        "kind": "confirm",
        "description": "Permanent en periodiek aanbod dat al zes maanden niet bevestigd is: "
        "loopt het nog?",
        "calendar_types": ["permanent", "periodic"],
        "unconfirmed_days": 183,
        "repeat_after_days": 183,
        "order": "created",
    },
    {
        "slug": "virtual",
        "name": "Virtueel aanbod",
        "kind": "virtual",
        "description": "Online en gemengde activiteiten, en activiteiten die virtueel lijken "
        "(een online URL, of livestream, webinar, online, virtuele tour of streaming in de "
        "tekst): soort aanbod, URL en locatie.",
        "looks_virtual": True,
        "keywords": ["livestream", "webinar", "online", "virtuele tour", "streaming"],
        "order": "start",
    },
    {
        "slug": "moderation",
        "name": "Moderatie",
        "kind": "moderation",
        "description": "Activiteiten die wachten op validatie: goedkeuren of afwijzen met een "
        "reden.",
        "workflow_statuses": ["READY_FOR_VALIDATION"],
        "order": "created",
    },
    {
        "slug": "quality-museumpas-exhibitions",
        "name": "Kwaliteitscontrole: tentoonstellingen museumPASSmusées",
        "kind": "quality",
        "description": "Tentoonstellingen in musea met het label museumPASSmusees.",
        "event_types": ["0.0.0.0.0"],
        "place_labels": ["museumPASSmusees"],
        "order": "start",
        "repeat_after_days": 120,
    },
    {
        "slug": "quality-films",
        "name": "Kwaliteitscontrole: films",
        "kind": "quality",
        "description": "Filmaanbod: beschrijving, beeld, prijs, leeftijd, locatie en data.",
        "event_types": ["0.50.6.0.0"],
        "order": "start",
    },
    {
        "slug": "data-findings",
        "name": "Gegevensfouten",
        "kind": "findings",
        "description": "Activiteiten met gegevensfouten die de import opmerkte (een thema als "
        "type, coördinaten als tekst, een locatie zonder id, ...): verbeteren in UiTdatabank.",
        "order": "imported",
        "repeat_after_days": 30,
    },
    {
        "slug": "family",
        "name": "Familieaanbod",
        "kind": "family",
        "description": "Ook voor kinderen? Gevoed door de familieregel.",
        "order": "start",
    },
]


def create_default_queues(Queue) -> int:
    """Create the default queues that are missing (by slug); returns how many were created."""
    return sum(Queue.objects.get_or_create(slug=q["slug"], defaults=q)[1] for q in QUEUES)
