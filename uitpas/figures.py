"""The figures of issue 21, exactly as defined (docs/uitpas.md), as counts per municipality.

`counts(first, last, ...)` counts over whole days `first`..`last` (Europe/Brussels days, both
included): from the monthly summary when the range is whole months, else from the raw records.
`counts(..., raw=True)` always reads the raw records (tests and bench/uitpas.py compare both).
A card system's counts are the sum of its municipalities': every holder belongs to one.
"""

import datetime

from django.db import connection

from dashboards.periods import add_months, month_end, month_start

MEASURES = (
    "holders",
    "savers",
    "points_saved",
    "exchangers",
    "points_exchanged",
    "social_tariff_holders",
    "social_tariff_buyers",
    "social_tariff_tickets",
    "discount",  # the sum of regular price minus price of the holders' SOCIALTARIFF sales
)
# (ratio, numerator, denominator)
RATIOS = (
    ("holder_ratio", "holders", "inhabitants"),
    ("saver_ratio", "savers", "holders"),
    ("exchanger_ratio", "exchangers", "savers"),
    ("exchange_ratio", "points_exchanged", "points_saved"),
    ("ticket_sales_ratio", "social_tariff_buyers", "social_tariff_holders"),
)
# The counts of holders: suppressed under k. Points and tickets are not holders.
HOLDER_COUNTS = ("holders", "savers", "exchangers", "social_tariff_holders", "social_tariff_buyers")
# Beside each holder count, the sum of its holders' record keys: what keys its noise
# (uitpas.privacy). Stored and summed like the counts.
KEYS = {name: f"{name}_key" for name in HOLDER_COUNTS}

# Whole months from the summary, in one pass: a holder counts once, on their first row in the
# range that saved (redeemed, bought): the one with no such month before `first`.
_SUMMARY_ACTIVITY = """
    SELECT municipality_id,
           count(*) FILTER (WHERE is_saver) AS savers,
           sum(record_key) FILTER (WHERE is_saver) AS savers_key,
           sum(points_saved) AS points_saved,
           count(*) FILTER (WHERE is_exchanger) AS exchangers,
           sum(record_key) FILTER (WHERE is_exchanger) AS exchangers_key,
           sum(points_exchanged) AS points_exchanged,
           count(*) FILTER (WHERE is_buyer) AS social_tariff_buyers,
           sum(record_key) FILTER (WHERE is_buyer) AS social_tariff_buyers_key,
           sum(social_tickets) FILTER (WHERE {social}) AS social_tariff_tickets,
           sum(social_discount) AS discount
      FROM uitpas_holdermonth,
           LATERAL (SELECT saved AND coalesce(saved_before < %(first)s, true) AS is_saver,
                           redeemed AND coalesce(redeemed_before < %(first)s, true)
                               AS is_exchanger,
                           social_tickets > 0 AND {social}
                               AND coalesce(social_bought_before < %(first)s, true) AS is_buyer
           ) AS counted
     WHERE month BETWEEN %(first)s AND %(last)s AND created_on <= %(last)s
       AND municipality_id IS NOT NULL {scope}
     GROUP BY 1
"""
# A holder with the social tariff in the range: active, or ended on or after its first day.
_SOCIAL = "(social_active OR social_end >= %(first)s)"
_RAW_ACTIVITY = """
    SELECT passholder_id, points > 0 AS saved, greatest(points, 0) AS points_saved,
           false AS redeemed, 0 AS points_exchanged, 0 AS social_tickets, 0 AS social_discount
      FROM uitpas_checkin WHERE day BETWEEN %(first)s AND %(last)s {scope}
    UNION ALL
    SELECT passholder_id, false, 0, true, points, 0, 0
      FROM uitpas_redemption WHERE day BETWEEN %(first)s AND %(last)s {scope}
    UNION ALL
    SELECT passholder_id, false, 0, false, 0, 1, regular_price - price
      FROM uitpas_ticketsale
     WHERE day BETWEEN %(first)s AND %(last)s AND tariff_type = 'SOCIALTARIFF' {scope}
"""
# For some municipalities: their holders' records only (the index on holder and day).
_RAW_SCOPE = "AND passholder_id IN (SELECT id FROM h)"
_RAW_PER_MUNICIPALITY = """
    WITH per_holder AS (
        -- One row per holder first (a hash aggregate), then counted: much cheaper than
        -- count(DISTINCT ...) over every activity row.
        SELECT a.passholder_id, bool_or(a.saved) AS saved, sum(a.points_saved) AS points_saved,
               bool_or(a.redeemed) AS redeemed, sum(a.points_exchanged) AS points_exchanged,
               sum(a.social_tickets) AS social_tickets, sum(a.social_discount) AS discount
          FROM ({activity}) AS a
         GROUP BY a.passholder_id
    )
    SELECT h.municipality_id,
           count(*) FILTER (WHERE p.saved) AS savers,
           sum(h.record_key) FILTER (WHERE p.saved) AS savers_key,
           sum(p.points_saved) AS points_saved,
           count(*) FILTER (WHERE p.redeemed) AS exchangers,
           sum(h.record_key) FILTER (WHERE p.redeemed) AS exchangers_key,
           sum(p.points_exchanged) AS points_exchanged,
           count(*) FILTER (WHERE h.social AND p.social_tickets > 0) AS social_tariff_buyers,
           sum(h.record_key) FILTER (WHERE h.social AND p.social_tickets > 0)
               AS social_tariff_buyers_key,
           sum(p.social_tickets) FILTER (WHERE h.social) AS social_tariff_tickets,
           sum(p.discount) AS discount
      FROM per_holder AS p JOIN h ON h.id = p.passholder_id
     GROUP BY 1
"""
_COUNTS = f"""
    WITH h AS MATERIALIZED (
        SELECT id, municipality_id, {_SOCIAL} AS social, record_key
          FROM uitpas_passholder
         WHERE created_on <= %(last)s AND municipality_id IS NOT NULL {{scope}}
    ), act AS ({{activity}}
    ), base AS (
        SELECT municipality_id, count(*) AS holders, sum(record_key) AS holders_key,
               count(*) FILTER (WHERE social) AS social_tariff_holders,
               sum(record_key) FILTER (WHERE social) AS social_tariff_holders_key
          FROM h GROUP BY 1
    )
    SELECT m.nis_code, coalesce(base.holders, 0), coalesce(act.savers, 0),
           coalesce(act.points_saved, 0), coalesce(act.exchangers, 0),
           coalesce(act.points_exchanged, 0), coalesce(base.social_tariff_holders, 0),
           coalesce(act.social_tariff_buyers, 0), coalesce(act.social_tariff_tickets, 0),
           coalesce(act.discount, 0), coalesce(base.holders_key, 0),
           coalesce(act.savers_key, 0), coalesce(act.exchangers_key, 0),
           coalesce(base.social_tariff_holders_key, 0),
           coalesce(act.social_tariff_buyers_key, 0)
      FROM uitpas_municipality AS m
      LEFT JOIN base ON base.municipality_id = m.nis_code
      LEFT JOIN act ON act.municipality_id = m.nis_code
     WHERE true {{municipality_scope}}
"""


def whole_months(first: datetime.date, last: datetime.date) -> bool:
    return first.day == 1 and last == month_end(month_start(last))


def counts(
    first: datetime.date,
    last: datetime.date,
    municipalities: list[str] | None = None,
    *,
    raw: bool = False,
) -> dict[str, dict]:
    """{nis_code: {measure: count}} over days `first`..`last`, for these municipalities
    (None: all of them)."""
    params = {"first": first, "last": last, "ids": municipalities}
    scope = "" if municipalities is None else "AND municipality_id = ANY(%(ids)s)"
    if raw or not whole_months(first, last):
        raw_scope = "" if municipalities is None else _RAW_SCOPE
        activity = _RAW_PER_MUNICIPALITY.format(activity=_RAW_ACTIVITY.format(scope=raw_scope))
    else:  # months are stored as their first day, within the range
        activity = _SUMMARY_ACTIVITY.format(scope=scope, social=_SOCIAL)
    sql = _COUNTS.format(
        scope=scope,
        activity=activity,
        municipality_scope="" if municipalities is None else "AND m.nis_code = ANY(%(ids)s)",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            code: {
                name: (float(value) if name == "discount" else int(value))
                for name, value in zip((*MEASURES, *KEYS.values()), values, strict=True)
            }
            for code, *values in cursor.fetchall()
        }


def summed(rows) -> dict:
    """The counts of several municipalities together (their holders are disjoint)."""
    total = dict.fromkeys((*MEASURES, *KEYS.values()), 0)
    for row in rows:
        for name in total:
            total[name] += row.get(name, 0)  # a key missing from rows stored before: 0
    return total


def ratio(numerator, denominator) -> float | None:
    """A ratio, None (null) when its denominator is 0."""
    if not denominator or numerator is None:
        return None
    return numerator / denominator


def with_ratios(values: dict, inhabitants: int | None) -> dict:
    values = {**values, "inhabitants": inhabitants}
    for name, numerator, denominator in RATIOS:
        values[name] = ratio(values[numerator], values[denominator])
    return values


def cohort_years(since: datetime.date) -> list[tuple[int, datetime.date, datetime.date]]:
    """The first five years after `since`: (k, first day, last day); the k-th starts on the
    k-1-th anniversary (29 February anniversaries fall on 28 February)."""
    years = []
    for k in range(1, 6):
        first = _anniversary(since, k - 1)
        years.append((k, first, _anniversary(since, k) - datetime.timedelta(days=1)))
    return years


def _anniversary(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def cohort_periods(municipalities: list[str] | None) -> dict[tuple, list[str]]:
    """The first-five-years periods, each with the municipalities whose years they are."""
    from uitpas.models import Municipality

    found = Municipality.objects.exclude(uitpas_since=None)
    if municipalities is not None:
        found = found.filter(nis_code__in=municipalities)
    periods: dict[tuple, list[str]] = {}
    for code, since in found.values_list("nis_code", "uitpas_since"):
        for _k, first, last in cohort_years(since):
            periods.setdefault((first, last), []).append(code)
    return periods


AGE_GROUPS = (("0-11", 0, 11), ("12-17", 12, 17), ("18-25", 18, 25), ("26-64", 26, 64))
AGE_GROUPS += (("65+", 65, 200),)
AGE_UNKNOWN = "?"
_AGE_CASE = " ".join(
    f"WHEN %(year)s - birth_year BETWEEN {low} AND {high} THEN '{key}'"
    for key, low, high in AGE_GROUPS
)
_PROFILES = f"""
    WITH p AS (
        SELECT h.id, h.municipality_id, h.record_key,
               CASE {_AGE_CASE} ELSE '{AGE_UNKNOWN}' END AS age_group,
               (h.social_active OR h.social_end >= %(first)s) AS social,
               coalesce(sum(m.participations) FILTER (WHERE m.month > %(year_ago)s), 0) AS now,
               CASE WHEN h.created_on <= %(previous_end)s THEN coalesce(
                   sum(m.participations) FILTER (WHERE m.month <= %(previous_last)s), 0)
               END AS before
          FROM uitpas_passholder AS h
          LEFT JOIN uitpas_holdermonth AS m
            ON m.passholder_id = h.id AND m.month > %(before_year_ago)s AND m.month <= %(last)s
         WHERE h.created_on <= %(end)s AND h.municipality_id IS NOT NULL {{scope}}
         GROUP BY h.id
    )
    -- least() skips a NULL: a holder who was not one yet keeps NULL through the CASE.
    SELECT municipality_id, age_group, social, least(now, 1000),
           CASE WHEN before IS NOT NULL THEN least(before, 1000) END, count(*), sum(record_key)
      FROM p GROUP BY 1, 2, 3, 4, 5
"""


def profile_rows(quarter: datetime.date, municipalities: list[str] | None = None) -> dict:
    """{nis_code: [[age group, social, participations, participations before, holders, the sum
    of their record keys]]} at
    the end of the quarter starting on `quarter`: participations (check-ins plus ticket sales)
    in the 12 months ending on its last day, and the same for the quarter before."""
    last = add_months(quarter, 2)
    params = {
        "first": quarter,
        "year": quarter.year,
        "last": last,
        "end": month_end(last),
        "year_ago": add_months(last, -12),
        "previous_last": add_months(last, -3),
        "previous_end": month_end(add_months(last, -3)),
        "before_year_ago": add_months(last, -15),
        "ids": municipalities,
    }
    scope = "" if municipalities is None else "AND h.municipality_id = ANY(%(ids)s)"
    found: dict[str, list] = {}
    with connection.cursor() as cursor:
        cursor.execute(_PROFILES.format(scope=scope), params)
        for code, *row in cursor.fetchall():
            found.setdefault(code, []).append(row)
    return found
