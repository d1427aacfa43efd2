"""The first version of the family-offer rule: the deck's points, threshold and exclusions,
and our Dutch starting keywords. Exclusions are named by label and stored by term id; a label
the taxonomy does not know stops the migration rather than silently excluding nothing.
"""

from django.utils import timezone

# The deck: "Type = 'Lezing of congres', 'Beurs', ...". We add the legacy 'Congres of
# studiedag', the older half of 'Lezing of congres'.
EXCLUDED_EVENT_TYPES = ["Lezing of congres", "Beurs", "Congres of studiedag"]
EXCLUDED_THEMES = [
    "Opvoeding",
    "Gezondheid en zorg",
    "Samenleving",
    "Drama",
    "Cinefiel",
    "Griezelfilm of horror",
    "Lucht en motorsport",
    "Zingeving, filosofie en religie",
    "Decoratieve kunst",
]
EXCLUDED_KEYWORDS = [
    "kanker",
    "gezinsondersteuner",
    "kangatraining",
    "oudercoaching",
    "infosessie",
    "opvoed",
    "geweld",
    "puber",
    "zwanger",
]
# A keyword matches every word that starts with it, so the list holds no keyword that starts
# another one: "kind" already finds "kinderen", "kinderboerderij" and "kindvriendelijk", and
# listing "kinderen" too would count those words twice.
KEYWORDS = [
    "kind",
    "kids",
    "gezin",
    "familie",
    "kleuter",
    "peuter",
    "baby",
    "jong en oud",
    "ouders",
    "grootouder",
    "kleinkind",
    "knutsel",
    "poppen",
    "sprookje",
    "voorlees",
    "voorlezen",
    "speurtocht",
    "schattenjacht",
    "sinterklaas",
    "paaseieren",
    "speelplein",
    "speeltuin",
    "kabouter",
    "clown",
    "goochel",
]


def term_ids_by_label(Term, domain: str, labels: list[str]) -> list[str]:
    """The ids of the terms with these Dutch labels (current or legacy), in the given order."""
    found = {}
    for term in Term.objects.filter(domain=domain):
        for label in [term.label_nl, *term.legacy_labels_nl]:
            if label in labels and (label not in found or term.in_taxonomy):
                found[label] = term.id
    missing = [label for label in labels if label not in found]
    if missing:
        raise LookupError(f"no {domain} term labelled {', '.join(missing)} in the taxonomy")
    return [found[label] for label in labels]


def create_default_rule(FamilyRule, Term) -> bool:
    """Create version 1, active, unless a version exists; True when it was created. Its points
    and threshold are the model's defaults: the deck's."""
    if FamilyRule.objects.exists():
        return False
    FamilyRule.objects.create(
        version=1,
        is_active=True,
        note="De regel uit de workshop: punten, drempel en uitsluitingen; eerste trefwoordenlijst.",
        keywords=KEYWORDS,
        excluded_event_types=term_ids_by_label(Term, "eventtype", EXCLUDED_EVENT_TYPES),
        excluded_themes=term_ids_by_label(Term, "theme", EXCLUDED_THEMES),
        excluded_keywords=EXCLUDED_KEYWORDS,
        activated_at=timezone.now(),
    )
    return True
