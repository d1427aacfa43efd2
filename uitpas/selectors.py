"""Reads for the pages: counts from the summaries, population, the profile cut-offs."""

import datetime

from django.db.models import Count, Max, Sum

from uitpas import figures
from uitpas.models import (
    CardSystem,
    Membership,
    Municipality,
    PeriodFigures,
    Population,
    ProfileCutoff,
    ProfileFigures,
)


def period_counts(
    first: datetime.date, last: datetime.date, codes: list[str] | None = None
) -> dict[str, dict]:
    """Counts per municipality (None: all): the stored ones of a standard period, else
    computed (a custom range: from the monthly summary, or the raw records for days)."""
    stored = PeriodFigures.objects.filter(first=first, last=last)
    if codes is not None:
        stored = stored.filter(municipality_id__in=codes)
    found = dict(stored.values_list("municipality_id", "counts"))
    expected = len(codes) if codes is not None else Municipality.objects.count()
    if found and len(found) == expected:
        return found
    return figures.counts(first, last, None if codes is None else list(codes))


def monthly_counts(months: list[datetime.date], codes: list[str]) -> dict[datetime.date, dict]:
    """Summed counts of these municipalities per month (one query for all months)."""
    from dashboards.periods import month_end

    rows = PeriodFigures.objects.filter(
        municipality_id__in=codes,
        first__in=months,
        last__in=[month_end(month) for month in months],
    ).values_list("first", "last", "counts")
    grouped: dict[datetime.date, list] = {}
    for first, last, counts in rows:
        if last == month_end(first):
            grouped.setdefault(first, []).append(counts)
    return {month: figures.summed(grouped.get(month, [])) for month in months}


def population(year: int, codes: list[str] | None = None) -> dict[str, Population]:
    rows = Population.objects.filter(year=year)
    if codes is not None:
        rows = rows.filter(municipality_id__in=codes)
    return {row.municipality_id: row for row in rows}


def populations(codes: list[str]) -> dict[tuple[str, int], Population]:
    rows = Population.objects.filter(municipality_id__in=codes)
    return {(row.municipality_id, row.year): row for row in rows}


def municipality_rows() -> list[dict]:
    """Every municipality with what explains differences: size class, province, card system."""
    return list(
        Municipality.objects.order_by("name").values(
            "nis_code",
            "name",
            "province",
            "size_class",
            "uitpas_since",
            "discount_share",
            "card_system_id",
            "card_system__name",
        )
    )


def outside_region(card_system: CardSystem, codes: tuple[str, ...]) -> tuple[int, int]:
    """Members of the card system living outside its municipalities (counted apart), and the
    sum of their record keys (a holder is a member of a card system once)."""
    found = (
        Membership.objects.filter(card_system_id=card_system.pk)
        .exclude(passholder__municipality_id__in=codes)
        .aggregate(count=Count("passholder_id"), keys=Sum("passholder__record_key"))
    )
    return found["count"], found["keys"] or 0


def cutoffs() -> list[ProfileCutoff]:
    return list(ProfileCutoff.objects.order_by("minimum"))


def profile_quarters(codes: list[str], quarters: list[datetime.date]) -> dict:
    """{quarter: [rows of every municipality]} from the stored profile figures."""
    found: dict[datetime.date, list] = {quarter: [] for quarter in quarters}
    for quarter, rows in ProfileFigures.objects.filter(
        municipality_id__in=codes, quarter__in=quarters
    ).values_list("quarter", "rows"):
        found[quarter].extend(rows)
    return found


def latest_quarter() -> datetime.date | None:
    return ProfileFigures.objects.aggregate(latest=Max("quarter"))["latest"]


def cohort_counts(periods: set[tuple], codes: list[str]) -> dict[tuple, dict]:
    """{(nis_code, first, last): counts} of the first-five-years periods (stored nightly);
    a period not stored yet is computed."""
    found = {}
    if not periods or not codes:
        return found
    firsts, lasts = {first for first, _last in periods}, {last for _first, last in periods}
    for code, first, last, counts in PeriodFigures.objects.filter(
        municipality_id__in=codes, first__in=firsts, last__in=lasts
    ).values_list("municipality_id", "first", "last", "counts"):
        if (first, last) in periods:
            found[(code, first, last)] = counts
    for first, last in periods:
        if not any((code, first, last) in found for code in codes):
            for code, counts in figures.counts(first, last, codes).items():
                found[(code, first, last)] = counts
    return found
