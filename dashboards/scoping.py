"""Museum scoping: the one door to every museum-facing figure.

Every museum-facing view, export and API view calls `museum_for(user, museum_id)`. It answers
404, never 403, for a museum the user does not belong to (so nobody learns which ids exist),
and returns a `ScopedMuseum`: the museum-facing selectors take nothing else, so no code can
read a museum's figures without having gone through here.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import MUSEUM, has_role, is_publiq_staff
from museumpas.models import Museum


class MuseumScopeMissing(Exception):
    """A museum-facing query was asked without a museum: a programming error, never a 404."""


@dataclass(frozen=True)
class ScopedMuseum:
    """A museum the user may see. Made only by `museum_for`."""

    museum: Museum
    staff: bool  # publiq staff: sees every museum

    @property
    def pk(self) -> int:
        return self.museum.pk


def museums_for(user) -> QuerySet:
    """The museums the user may see: all for publiq staff, their memberships for museum users."""
    # Anonymous users hold no role.
    if is_publiq_staff(user):
        return Museum.objects.all()
    if has_role(user, MUSEUM):
        return Museum.objects.filter(memberships__user=user)
    return Museum.objects.none()


def museum_for(user, museum_id) -> ScopedMuseum:
    if museum_id is None or museum_id == "":
        raise MuseumScopeMissing("museum-facing figures need a museum")
    try:
        museum_id = int(museum_id)
    except (TypeError, ValueError):
        raise Http404 from None
    museum = get_object_or_404(museums_for(user), pk=museum_id)
    return ScopedMuseum(museum=museum, staff=is_publiq_staff(user))


def require_scope(scope) -> ScopedMuseum:
    """Selectors call this first: they run for a scoped museum or not at all."""
    if not isinstance(scope, ScopedMuseum):
        raise MuseumScopeMissing(f"expected a ScopedMuseum from museum_for(), got {scope!r}")
    return scope
