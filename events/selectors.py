"""Reads of the event catalogue: the filters the admin and the API share, and cheap counts.

Every filter is written so that it stays an index scan at a million events: term filters are
EXISTS over the (term, event) index, the city goes through the small place table, search is a
trigram-indexed LIKE on one column.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from events.models import DataFinding, Event, Organizer, Place, Term
from events.services.documents import PLACE, DocumentError, located_record, parse_reference

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
TERMS_CACHE_KEY = "curation:terms"
# Organisers or places matching a search word, listed by id; more, and the search joins them.
SEARCH_LOOKUP_LIMIT = 2000
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
    """With the family-offer classification and the curated values (family offer, ...)."""
    return Event.objects.select_related(
        "event_type", "location", "organizer", "family_classification__rule", "curation"
    )


def events_with_open_findings() -> QuerySet:
    """The ids of events with open data findings, as a subquery (the partial index on open
    findings holds only those)."""
    return DataFinding.objects.filter(closed_at__isnull=True).values("event_id")


def events_with_findings(queryset: QuerySet[Event], has_findings: bool) -> QuerySet[Event]:
    open_findings = events_with_open_findings()
    if has_findings:
        return queryset.filter(pk__in=open_findings)
    return queryset.exclude(pk__in=open_findings)


def findings_of(event: Event, *, open_only: bool = False) -> list[DataFinding]:
    """The event's data findings, oldest first; only the open ones with `open_only`."""
    findings = DataFinding.objects.filter(event=event)
    if open_only:
        findings = findings.filter(closed_at__isnull=True)
    return list(findings)


def unlinked_location(findings: list[DataFinding]):
    """The place an event names without a usable @id (a PlaceRecord: name and address), from
    its open "unlinked" finding; None when it has none."""
    for finding in findings:
        unlinked = finding.kind == DataFinding.Kind.UNLINKED and finding.field == "location"
        if unlinked and finding.is_open and isinstance(finding.value, dict):
            return located_record(PLACE, finding.value, "")
    return None


def events_of_type(queryset: QuerySet[Event], term_id: str) -> QuerySet[Event]:
    return queryset.filter(event_type_id=term_id)


def events_with_term(queryset: QuerySet[Event], term_id: str) -> QuerySet[Event]:
    """Events carrying the term (a theme, a facility, ...), through the GIN index on term_ids."""
    return queryset.filter(term_ids__contains=[term_id])


def events_in_city(queryset: QuerySet[Event], city: str) -> QuerySet[Event]:
    places = Place.objects.filter(city__iexact=city.strip()).values("id")
    return queryset.filter(location_id__in=places)


def events_with_online_url(queryset: QuerySet[Event], has_url: bool) -> QuerySet[Event]:
    return queryset.exclude(online_url="") if has_url else queryset.filter(online_url="")


def events_in_age_group(queryset: QuerySet[Event], group: str) -> QuerySet[Event]:
    return queryset.filter(AGE_GROUPS[group][1])


def events_matching(queryset: QuerySet[Event], text: str) -> QuerySet[Event]:
    """Every word must occur in the name, the organiser's name or the city; a word that is an
    event's id or URL (https://io.uitdatabank.be/events/<id>) finds that event."""
    words = _WORD.findall(text)[:10]
    ids = {word: event_id_in(word) for word in words}
    matches = _organizers_and_places_matching([word for word in words if not ids[word]])
    for word in words:
        if ids[word]:
            queryset = queryset.filter(udb_id=ids[word])
            continue
        organizers, places = matches[word]
        # The ids themselves rather than a join: an OR over joined tables cannot use the
        # events' indexes and reads every row. Past the lookup's limit, the join it is.
        by_organizer = (
            Q(organizer__name_text__icontains=word)
            if organizers is None
            else Q(organizer_id__in=organizers)
        )
        by_city = Q(location__city__icontains=word) if places is None else Q(location_id__in=places)
        queryset = queryset.filter(Q(name_text__icontains=word) | by_organizer | by_city)
    return queryset


def _organizers_and_places_matching(words: list[str]) -> dict[str, tuple]:
    """For each word, the ids of the organisers and places whose name or city holds it: one
    query for all words (trigram indexes on both tables). None where there are too many."""
    if not words:
        return {}
    organizers, places = Q(), Q()
    for word in words:
        organizers |= Q(name_text__icontains=word)
        places |= Q(city__icontains=word)
    limit = SEARCH_LOOKUP_LIMIT + 1
    by_organizer = (
        Organizer.objects.filter(organizers)
        .annotate(kind=Value("o"))
        .values_list("kind", "id", "name_text")[:limit]
    )
    by_place = (
        Place.objects.filter(places).annotate(kind=Value("p")).values_list("kind", "id", "city")
    )[:limit]
    rows = list(by_organizer.union(by_place, all=True))
    too_many = {kind: sum(row[0] == kind for row in rows) > SEARCH_LOOKUP_LIMIT for kind in "op"}
    found = {word: ([], []) for word in words}
    for kind, record_id, text in rows:
        for word in words:
            if word.upper() in text.upper():
                found[word][0 if kind == "o" else 1].append(record_id)
    return {
        word: (None if too_many["o"] else by_organizer, None if too_many["p"] else by_place)
        for word, (by_organizer, by_place) in found.items()
    }


def event_id_in(text: str) -> str | None:
    """The event id of a word that is one (a UUID-like id or a UiTdatabank URL), else None."""
    if "-" not in text or len(text) < 20:
        return None
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
    """Every term by id: labels for pages and the API without a query.

    Kept in this process for a minute on top of the shared cache (a page asks for it once per
    event). A term id it lacks (created since) reloads it; an id unknown even to the database
    maps to a placeholder, so a page never fails on it.
    """
    needed = list(needed)
    terms = _local_terms()
    if any(term_id not in terms for term_id in needed):
        terms = _local_terms(reload=True)
    if all(term_id in terms for term_id in needed):
        return terms
    missing = {term_id: TermInfo(term_id, "", term_id, False, True) for term_id in needed}
    return {**missing, **terms}


_LOCAL_TERMS: dict = {"until": 0.0, "terms": None}


def _local_terms(reload: bool = False) -> dict[str, TermInfo]:
    now = time.monotonic()
    if reload or _LOCAL_TERMS["terms"] is None or now > _LOCAL_TERMS["until"]:
        terms = None if reload else cache.get(TERMS_CACHE_KEY)
        if terms is None:
            terms = {
                term.id: TermInfo(term.id, term.domain, term.label, term.in_taxonomy, term.unknown)
                for term in Term.objects.all()
            }
            cache.set(TERMS_CACHE_KEY, terms, 3600)
        _LOCAL_TERMS.update(until=now + 60, terms=terms)
    return _LOCAL_TERMS["terms"]


def forget_terms() -> None:
    """After the taxonomy changed: drop the shared copy and this process's."""
    cache.delete(TERMS_CACHE_KEY)
    _LOCAL_TERMS.update(until=0.0, terms=None)


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
    """A paginator that never counts a million rows, and reads a page's rows only.

    Unfiltered, the count is the table's estimate (pg_class.reltuples), exact below
    EXACT_LIMIT. Filtered, `events_bounded_count` (migration 0002) gives the planner's estimate
    from TRUST_ESTIMATE_FROM, else counts up to EXACT_LIMIT + 1 rows. A page finds its ids first
    (the events' own columns), then reads those rows with the list's joins and subqueries.
    """

    EXACT_LIMIT = 1_000
    TRUST_ESTIMATE_FROM = 3 * EXACT_LIMIT

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if not queryset.query.where:
            estimate = _table_estimate(queryset.model._meta.db_table)
            if estimate > self.EXACT_LIMIT:
                return estimate
        # Only the ids: the list's joins and annotations would otherwise be planned (and
        # computed) in the count too.
        return _bounded_count(
            queryset.order_by().values("pk"), self.EXACT_LIMIT, self.TRUST_ESTIMATE_FROM
        )

    def _get_page(self, object_list, number, paginator):
        """`object_list` is the page's slice of the list: its ids become a subquery."""
        queryset = self.object_list
        if isinstance(object_list, QuerySet) and queryset.ordered:
            object_list = queryset.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, number, paginator)


def _bounded_count(ids: QuerySet, exact_limit: int, trust_from: int) -> int:
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        query = connection.ops.compose_sql(sql, params)
        cursor.execute("SELECT events_bounded_count(%s, %s, %s)", [query, exact_limit, trust_from])
        return int(cursor.fetchone()[0])


def _table_estimate(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return max(int(row[0]), 0) if row else 0
