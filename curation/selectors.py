"""Reads of the event catalogue: the filters the admin and the API share, and cheap counts.

Every filter is written so that it stays an index scan at a million events: term filters are
EXISTS over the (term, event) index, the city goes through the small place table, search is a
trigram-indexed LIKE on one column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from curation.models import Event, Place, Term
from curation.services.documents import DocumentError, parse_reference
from curation.services.taxonomy import TERMS_CACHE_KEY

# Age groups: who an event is meant for, from its typicalAgeRange.
AGE_GROUPS = {
    "all_ages": (_("all ages"), Q(all_ages=True)),
    "children": (_("children (up to 12)"), Q(max_age__lte=12)),
    "teenagers": (_("teenagers (from 12 to 17)"), Q(min_age__gte=12, min_age__lt=18)),
    "adults": (_("adults (18 and over)"), Q(min_age__gte=18)),
    "unspecified": (
        _("no age given"),
        Q(min_age__isnull=True, max_age__isnull=True, all_ages=False),
    ),
}
AGE_GROUP_CHOICES = [(key, label) for key, (label, _condition) in AGE_GROUPS.items()]
_WORD = re.compile(r"\S+")
# Columns a list never shows: reading them would mean detoasting kilobytes per row.
LARGE_COLUMNS = (
    "document",
    "description",
    "description_text",
    "earlier_hashes",
    "location__document",
    "organizer__document",
)


def events_for_list() -> QuerySet[Event]:
    return Event.objects.select_related("event_type", "location", "organizer").defer(*LARGE_COLUMNS)


def events_for_detail() -> QuerySet[Event]:
    return Event.objects.select_related("event_type", "location", "organizer")


def events_of_type(queryset: QuerySet[Event], term_id: str) -> QuerySet[Event]:
    return queryset.filter(event_type_id=term_id)


def events_with_term(queryset: QuerySet[Event], term_id: str) -> QuerySet[Event]:
    """Events carrying the term (a theme, a facility, ...)."""
    if connection.vendor == "postgresql":
        return queryset.filter(term_ids__contains=[term_id])  # the GIN index of migration 0002
    # SQLite (make run) has no JSON containment: the id with its quotes in the JSON text.
    return queryset.filter(term_ids__icontains=json.dumps(term_id))


def events_in_city(queryset: QuerySet[Event], city: str) -> QuerySet[Event]:
    places = Place.objects.filter(city__iexact=city.strip()).values("id")
    return queryset.filter(location_id__in=places)


def events_with_online_url(queryset: QuerySet[Event], has_url: bool) -> QuerySet[Event]:
    return queryset.exclude(online_url="") if has_url else queryset.filter(online_url="")


def events_in_age_group(queryset: QuerySet[Event], group: str) -> QuerySet[Event]:
    return queryset.filter(AGE_GROUPS[group][1])


def events_matching(queryset: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Every word must occur in the name, the organiser's name or the city; a word may also be
    an event's id or URL (https://io.uitdatabank.be/events/<id>)."""
    for word in _WORD.findall(text)[:10]:
        condition = Q(name_text__icontains=word) | _in_organizer_or_city(word)
        udb_id = event_id_in(word)
        if udb_id:
            condition |= Q(udb_id=udb_id)
        queryset = queryset.filter(condition)
    return queryset


def _in_organizer_or_city(word: str) -> Q:
    if connection.vendor != "postgresql":
        return Q(organizer__name_text__icontains=word) | Q(location__city__icontains=word)
    # The organisers and places that match, looked up once (trigram indexes on their small
    # tables) and handed to the events' own indexes: an OR over joined tables would read them
    # all.
    pattern = "%{}%".format(word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
    return Q(_any_of("organizer_id", "curation_organizer", "name_text", pattern)) | Q(
        _any_of("location_id", "curation_place", "city", pattern)
    )


def _any_of(column: str, table: str, field: str, pattern: str) -> RawSQL:
    return RawSQL(
        f'"curation_event"."{column}" = ANY(ARRAY('
        f'SELECT "id" FROM "{table}" WHERE UPPER("{field}") LIKE UPPER(%s)))',
        [pattern],
        output_field=BooleanField(),
    )


def event_id_in(text: str) -> str | None:
    try:
        kind, udb_id = parse_reference(text, "search")
    except DocumentError:
        return None
    return udb_id if kind == "event" else None


@dataclass(frozen=True)
class TermInfo:
    id: str
    domain: str
    label: str
    in_taxonomy: bool
    unknown: bool


def term_map(needed: Iterable[str] = ()) -> dict[str, TermInfo]:
    """Every term by id, from the cache: labels for pages and the API without a query.

    A term id the cached map lacks (created since) reloads it; an id unknown even to the
    database maps to a placeholder, so a page never fails on it.
    """
    terms = cache.get(TERMS_CACHE_KEY)
    if terms is None or any(term_id not in terms for term_id in needed):
        terms = {
            term.id: TermInfo(term.id, term.domain, term.label, term.in_taxonomy, term.unknown)
            for term in Term.objects.all()
        }
        cache.set(TERMS_CACHE_KEY, terms, 3600)
    missing = {term_id: TermInfo(term_id, "", term_id, False, True) for term_id in needed}
    return {**missing, **terms} if any(term_id not in terms for term_id in needed) else terms


def term_choices(domain: str) -> list[tuple[str, str]]:
    """(id, label) of the terms of a domain, by label, for filters."""
    terms = sorted(
        (term for term in term_map().values() if term.domain == domain),
        key=lambda term: (term.label.lower(), term.id),
    )
    return [
        (term.id, term.label if term.in_taxonomy else f"{term.label} ({_status_label(term)})")
        for term in terms
    ]


def _status_label(term: TermInfo) -> str:
    return str(_("unknown term") if term.unknown else _("no longer official"))


class EstimatedCountPaginator(Paginator):
    """A paginator that never counts a million rows.

    Unfiltered: the table's row estimate (pg_class.reltuples), exact below EXACT_LIMIT.
    Filtered: an exact count that stops at EXACT_LIMIT + 1 rows; past that, the planner's
    estimate of the filtered query.
    Where an estimate is too high, the pages past the last row are empty.
    """

    EXACT_LIMIT = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor != "postgresql" or not isinstance(queryset, QuerySet):
            return super().count
        if not queryset.query.where:
            estimate = _table_estimate(queryset.model._meta.db_table)
            if estimate > self.EXACT_LIMIT:
                return estimate
        bounded = queryset.order_by()[: self.EXACT_LIMIT + 1].count()
        if bounded <= self.EXACT_LIMIT:
            return bounded
        return max(bounded, _plan_estimate(queryset))


def _table_estimate(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return max(int(row[0]), 0) if row else 0


def _plan_estimate(queryset: QuerySet) -> int:
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
