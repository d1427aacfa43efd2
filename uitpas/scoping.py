"""UiTPAS scoping: every page, export and API view reaches a municipality or a card system
through `municipality_for` or `card_system_for`, which answer 404 (never 403) for one the user
may not see. Staff see all; a UiTPAS partner sees the card systems they are a member of (all
their municipalities) and the single municipalities they are a member of."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from core.roles import UITPAS_PARTNER, has_role, is_publiq_staff
from uitpas.models import CardSystem, Municipality


@dataclass(frozen=True)
class Unit:
    """A municipality or a card system: what a dashboard is about."""

    kind: str  # "municipality" or "card-system"
    key: str  # NIS code or card system id
    name: str
    codes: tuple[str, ...]  # its municipalities' NIS codes
    staff: bool = False
    municipality: Municipality | None = None
    card_system: CardSystem | None = None
    siblings: tuple[str, ...] = field(default=())  # a municipality's card system's municipalities

    @property
    def is_municipality(self) -> bool:
        return self.kind == "municipality"


def municipalities_for(user) -> QuerySet:
    if is_publiq_staff(user):
        return Municipality.objects.all()
    if has_role(user, UITPAS_PARTNER):
        return Municipality.objects.filter(
            Q(card_system__partnermembership__user=user) | Q(partnermembership__user=user)
        ).distinct()
    return Municipality.objects.none()


def card_systems_for(user) -> QuerySet:
    if is_publiq_staff(user):
        return CardSystem.objects.all()
    if has_role(user, UITPAS_PARTNER):
        return CardSystem.objects.filter(partnermembership__user=user).distinct()
    return CardSystem.objects.none()


def municipality_for(user, nis_code) -> Unit:
    found = (
        municipalities_for(user)
        .select_related("card_system")
        .filter(nis_code=str(nis_code))
        .first()
    )
    if found is None:
        raise Http404
    siblings = ()
    if found.card_system_id:
        siblings = tuple(found.card_system.municipalities.values_list("nis_code", flat=True))
    return Unit(
        "municipality",
        found.nis_code,
        found.name,
        (found.nis_code,),
        staff=is_publiq_staff(user),
        municipality=found,
        card_system=found.card_system,
        siblings=siblings,
    )


def card_system_for(user, card_system_id) -> Unit:
    try:
        card_system_id = int(card_system_id)
    except (TypeError, ValueError):
        raise Http404 from None
    found = card_systems_for(user).filter(pk=card_system_id).first()
    if found is None:
        raise Http404
    codes = tuple(found.municipalities.order_by("name").values_list("nis_code", flat=True))
    return Unit(
        "card-system",
        str(found.pk),
        found.name,
        codes,
        staff=is_publiq_staff(user),
        card_system=found,
    )


def unit_for(user, kind: str, key) -> Unit:
    return municipality_for(user, key) if kind == "municipality" else card_system_for(user, key)
