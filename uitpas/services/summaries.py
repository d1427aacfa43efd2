"""The summary tables, rebuilt from the raw records every night and refreshed after imports.

- `HolderMonth`: one row per holder and month with activity, with the holder's own fields and
  their latest earlier active months (so that a range of whole months is counted in one pass
  without grouping by holder: uitpas.figures). A refresh rewrites all rows of the holders
  touched, so these stay right when a holder's earlier months, tariff or municipality change.
- `PeriodFigures`: every municipality's counts for each standard period (month, quarter, year,
  the 12 months to each month's end) and its first five UiTPAS years. Counts of disjoint
  holder sets add up, so a card system's, a size class's and Flanders' figures are sums or
  medians of these rows: a page reads a few hundred rows whatever the period.
- `ProfileFigures`: per municipality and quarter, holders by participations, age and social
  tariff, with their participations the quarter before (for the transitions table).
"""

import datetime
import time
from collections.abc import Iterable

from django.db import connection, transaction

from dashboards.periods import QUARTER, add_months, month_end, month_start, period_for
from uitpas import figures
from uitpas.models import HolderMonth, Municipality, PeriodFigures, ProfileFigures

# Every raw record as one row, grouped once per holder and month below.
_ACTIVITY = """
    SELECT passholder_id, day, 1 AS participations, greatest(points, 0) AS points_saved,
           points > 0 AS saved, false AS redeemed, 0 AS points_exchanged, 0 AS social_tickets,
           0 AS social_discount
      FROM uitpas_checkin {where}
    UNION ALL
    SELECT passholder_id, day, 0, 0, false, true, points, 0, 0 FROM uitpas_redemption {where}
    UNION ALL
    SELECT passholder_id, day, 1, 0, false, false, 0, (tariff_type = 'SOCIALTARIFF')::int,
           CASE WHEN tariff_type = 'SOCIALTARIFF' THEN regular_price - price ELSE 0 END
      FROM uitpas_ticketsale {where_sale}
"""
# Per holder and month, then each row gets the holder's latest earlier month with savings, a
# redemption and a social-tariff ticket (window over the holder's months), and the holder's
# own fields. Written in month order: a range of months is then a compact part of the table
# (the BRIN index on month).
_HOLDER_MONTHS = f"""
    INSERT INTO uitpas_holdermonth (passholder_id, municipality_id, created_on, social_active,
        social_end, record_key, month, participations, points_saved, saved, redeemed,
        points_exchanged, social_tickets, social_discount, saved_before, redeemed_before,
        social_bought_before)
    SELECT m.passholder_id, h.municipality_id, h.created_on, h.social_active, h.social_end,
           h.record_key, m.month, m.participations, m.points_saved, m.saved, m.redeemed,
           m.points_exchanged, m.social_tickets, m.social_discount,
           max(m.month) FILTER (WHERE m.saved) OVER earlier,
           max(m.month) FILTER (WHERE m.redeemed) OVER earlier,
           max(m.month) FILTER (WHERE m.social_tickets > 0) OVER earlier
      FROM (
        SELECT a.passholder_id, date_trunc('month', a.day)::date AS month,
               sum(a.participations) AS participations, sum(a.points_saved) AS points_saved,
               bool_or(a.saved) AS saved, bool_or(a.redeemed) AS redeemed,
               sum(a.points_exchanged) AS points_exchanged,
               sum(a.social_tickets) AS social_tickets, sum(a.social_discount) AS social_discount
          FROM ({_ACTIVITY}) AS a
         GROUP BY 1, 2
      ) AS m JOIN uitpas_passholder AS h ON h.id = m.passholder_id
    WINDOW earlier AS (PARTITION BY m.passholder_id ORDER BY m.month
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
     ORDER BY m.month, h.municipality_id
"""


def _holder_months(holders: list[str] | None) -> None:
    with connection.cursor() as cursor:
        if holders is None:
            # DELETE, not TRUNCATE: pages keep reading the old rows until the rebuild commits.
            cursor.execute("DELETE FROM uitpas_holdermonth")
            where, params = "", []
        else:
            cursor.execute(
                "DELETE FROM uitpas_holdermonth WHERE passholder_id = ANY(%s::uuid[])", [holders]
            )
            where = "WHERE passholder_id = ANY(%(h)s::uuid[])"
            params = {"h": holders}
        sale = where or "WHERE true"
        sql = _HOLDER_MONTHS.format(where=where, where_sale=f"{sale} AND passholder_id IS NOT NULL")
        # One sort by holder and month serves the grouping, the join and the window; a hash
        # aggregate of some 11 million groups spills and needs a sort after (61 s against 39 s,
        # bench/uitpas.py).
        cursor.execute("SET LOCAL enable_hashagg = off")
        cursor.execute(sql, params or None)
        cursor.execute("SET LOCAL enable_hashagg TO DEFAULT")
        # The new pages' month ranges, for the counts that follow in this transaction.
        cursor.execute("SELECT brin_summarize_new_values('uitpas_hm_month')")


def standard_periods(first: datetime.date, last: datetime.date) -> set[tuple]:
    """Every month, quarter and year from `first` to `last`, and the last 12 months (to the
    end of this month and of the month before)."""
    found = set()
    this_month = month_start(datetime.date.today())
    for end_month in (this_month, add_months(this_month, -1)):
        found.add((add_months(end_month, -11), month_end(end_month)))
    month = month_start(first)
    while month <= last:
        end = month_end(month)
        found.add((month, end))
        if month.month % 3 == 0:
            found.add((add_months(month, -2), end))
        if month.month == 12:
            found.add((month.replace(month=1), end))
        month = add_months(month, 1)
    return found


def _activity_span() -> tuple[datetime.date, datetime.date] | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(month), max(month) FROM uitpas_holdermonth")
        first, last = cursor.fetchone()
    if first is None:
        return None
    today = datetime.date.today()
    return first, max(last, today)


def _period_figures(municipalities: list[str] | None) -> int:
    span = _activity_span()
    stored = set(PeriodFigures.objects.values_list("first", "last").distinct())
    # A standard period stored for no municipality yet (a new month) is computed for all of
    # them, so that a stored standard period always has every municipality's row. A first-
    # five-years period only for the municipalities whose year it is.
    scopes = {
        period: None if period not in stored else municipalities
        for period in (standard_periods(*span) if span else set())
    }
    for period, codes in figures.cohort_periods(municipalities).items():
        scopes.setdefault(period, codes)
    rows = []
    for (first, last), scope in sorted(scopes.items()):
        found = figures.counts(first, last, scope)
        rows.extend(
            PeriodFigures(municipality_id=code, first=first, last=last, counts=values)
            for code, values in found.items()
        )
    stale = PeriodFigures.objects.all()
    if municipalities is not None:
        stale = stale.filter(municipality_id__in=municipalities)
    stale.delete()
    PeriodFigures.objects.bulk_create(rows, batch_size=5000)
    return len(scopes)


def _profile_figures(municipalities: list[str] | None) -> None:
    span = _activity_span()
    stale = ProfileFigures.objects.all()
    if municipalities is not None:
        stale = stale.filter(municipality_id__in=municipalities)
    stale.delete()
    if not span:
        return
    quarter = period_for(QUARTER, span[0]).first
    rows = []
    while quarter <= span[1]:
        found = figures.profile_rows(quarter, municipalities)
        rows.extend(
            ProfileFigures(municipality_id=code, quarter=quarter, rows=values)
            for code, values in found.items()
        )
        quarter = add_months(quarter, 3)
    ProfileFigures.objects.bulk_create(rows, batch_size=5000)


def summaries_rebuild() -> dict:
    started = time.monotonic()
    stages = {}
    with transaction.atomic():
        _holder_months(None)
        stages["holder_months"] = round(time.monotonic() - started, 1)
        periods = _period_figures(None)
        stages["periods"] = round(time.monotonic() - started - stages["holder_months"], 1)
        _profile_figures(None)
    seconds = round(time.monotonic() - started, 1)
    return {"periods": periods, "seconds": seconds, "stages": stages}


def summaries_refresh(holders: Iterable[str] | None) -> int:
    """Rewrite the summaries of these holders and their municipalities (None: everything).
    Returns the number of municipalities refreshed."""
    if holders is None:
        summaries_rebuild()
        return Municipality.objects.count()
    holders = sorted(set(holders))
    with transaction.atomic():
        before = set(
            HolderMonth.objects.filter(passholder_id__in=holders)
            .exclude(municipality_id=None)
            .values_list("municipality_id", flat=True)
            .distinct()
        )
        _holder_months(holders)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT municipality_id FROM uitpas_passholder "
                "WHERE id = ANY(%s::uuid[]) AND municipality_id IS NOT NULL",
                [holders],
            )
            municipalities = sorted(before | {code for (code,) in cursor.fetchall()})
        if municipalities:
            _period_figures(municipalities)
            _profile_figures(municipalities)
    return len(municipalities)
