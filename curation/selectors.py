"""Reads of the event catalogue: the filters the admin and the API share, and cheap counts.

Every filter is written so that it stays an index scan at a million events: term filters are
EXISTS over the (term, event) index, the city goes through the small place table, search is a
trigram-indexed LIKE on one column.
"""

from __future__ import annotations

import json
import re

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from curation.models import Event, EventTerm, Place, Term
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
    "search_text",
    "location__document",
    "organizer__document",
)


def events_for_list() -> QuerySet[Event]:
    return Event.objects.select_related("event_type", "location", "organizer").defer(*LARGE_COLUMNS)


def events_for_detail() -> QuerySet[Event]:
    return Event.objects.select_related("event_type", "location", "organizer")


def events_with_terms(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Themes and facilities in one query for the whole page."""
    return queryset.prefetch_related(
        Prefetch("term_links", queryset=EventTerm.objects.select_related("term"))
    )


def events_of_type(queryset: QuerySet[Event], term_id: str) -> QuerySet[Event]:
    return queryset.filter(event_type_id=term_id)


def events_with_term(queryset: QuerySet[Event], term_id: str) -> QuerySet[Event]:
    """Events carrying the term (a theme, a facility, ...), without duplicates."""
    return queryset.filter(
        Exists(EventTerm.objects.filter(event_id=OuterRef("pk"), term_id=term_id))
    )


def events_in_city(queryset: QuerySet[Event], city: str) -> QuerySet[Event]:
    places = Place.objects.filter(city__iexact=city.strip()).values("id")
    return queryset.filter(location_id__in=places)


def events_with_online_url(queryset: QuerySet[Event], has_url: bool) -> QuerySet[Event]:
    return queryset.exclude(online_url="") if has_url else queryset.filter(online_url="")


def events_in_age_group(queryset: QuerySet[Event], group: str) -> QuerySet[Event]:
    return queryset.filter(AGE_GROUPS[group][1])


def events_matching(queryset: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Every word must occur in the name, organiser or city; a word may also be an event's id
    or URL (https://io.uitdatabank.be/events/<id>)."""
    for word in _WORD.findall(text)[:10]:
        condition = Q(search_text__icontains=word)
        udb_id = event_id_in(word)
        if udb_id:
            condition |= Q(udb_id=udb_id)
        queryset = queryset.filter(condition)
    return queryset


def event_id_in(text: str) -> str | None:
    try:
        kind, udb_id = parse_reference(text, "search")
    except DocumentError:
        return None
    return udb_id if kind == "event" else None


def term_choices(domain: str) -> list[tuple[str, str]]:
    """(id, label) of the terms of a domain, for filters; cached, as they rarely change."""
    choices = cache.get(TERMS_CACHE_KEY)
    if choices is None:
        choices = {}
        terms = Term.objects.filter(domain__in=("eventtype", "theme", "facility")).order_by(
            "label_nl", "id"
        )
        for term in terms:
            label = term.label if term.in_taxonomy else f"{term.label} ({_status_label(term)})"
            choices.setdefault(term.domain, []).append((term.id, label))
        cache.set(TERMS_CACHE_KEY, choices, 300)
    return choices.get(domain, [])


def _status_label(term: Term) -> str:
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
