"""`ChannelMonth`, rewritten from the daily counts and the status history: nightly for every
channel, and after each import for the channels it touched (all their months, since a day's
counts decide whether the channel is alive at this month's end and the next's, and so
whether it is new or lost in the month after).

The definitions, exactly: a channel is alive on a day when its status that day is `active` and
it had at least one consultation (widget page view) or Search API request in the 30 days ending
that day; new in a month when alive at the month's end and not at the previous month's end;
lost the other way round; registered when it has a status at the month's end other than
`deleted`.
"""

import datetime
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from dashboards.periods import month_start

_LOCK = 720_101  # advisory lock key: one rewrite at a time

# Every (channel, month) from `first` to `last` with its usage and flags, for the channels
# in %(channels)s (NULL: all). The page computed from raw rows runs this same query.
CHANNEL_MONTHS_SQL = """
WITH months AS (
    SELECT m::date AS month, (m + interval '1 month' - interval '1 day')::date AS last_day
    FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS m
), chosen AS (
    SELECT id FROM channels_channel
    WHERE %(channels)s::uuid[] IS NULL OR id = ANY(%(channels)s::uuid[])
), usage AS (
    SELECT channel_id, date_trunc('month', day)::date AS month, sum(views) AS views,
           sum(impressions) AS impressions, sum(clicks) AS clicks
    FROM channels_widgetday WHERE channel_id IN (SELECT id FROM chosen) GROUP BY 1, 2
), requests AS (
    SELECT channel_id, date_trunc('month', day)::date AS month, sum(requests) AS requests
    FROM channels_apiusage WHERE channel_id IN (SELECT id FROM chosen) GROUP BY 1, 2
), grid AS (
    SELECT c.id AS channel_id, m.month, m.last_day,
           (SELECT s.status FROM channels_statuschange s
            WHERE s.channel_id = c.id AND s.day <= m.last_day
            ORDER BY s.day DESC, s.id DESC LIMIT 1) AS status
    FROM chosen c CROSS JOIN months m
), flags AS (
    SELECT g.channel_id, g.month, g.status IS NOT NULL AND g.status <> 'deleted' AS registered,
           g.status IS NOT DISTINCT FROM 'active' AND (
               EXISTS (SELECT 1 FROM channels_widgetday w
                       WHERE w.channel_id = g.channel_id AND w.views > 0
                         AND w.day BETWEEN g.last_day - 29 AND g.last_day)
               OR EXISTS (SELECT 1 FROM channels_apiusage a
                          WHERE a.channel_id = g.channel_id AND a.requests > 0
                            AND a.day BETWEEN g.last_day - 29 AND g.last_day)
           ) AS alive
    FROM grid g
), rows AS (
    SELECT f.channel_id, f.month, coalesce(u.views, 0) AS views,
           coalesce(u.impressions, 0) AS impressions, coalesce(u.clicks, 0) AS clicks,
           coalesce(r.requests, 0) AS requests, f.registered, f.alive,
           f.alive AND NOT coalesce(lag(f.alive) OVER w, false) AS new,
           NOT f.alive AND coalesce(lag(f.alive) OVER w, false) AS lost
    FROM flags f
    LEFT JOIN usage u ON u.channel_id = f.channel_id AND u.month = f.month
    LEFT JOIN requests r ON r.channel_id = f.channel_id AND r.month = f.month
    WINDOW w AS (PARTITION BY f.channel_id ORDER BY f.month)
)
SELECT channel_id, month, views, impressions, clicks, requests, registered, alive, new, lost
FROM rows
WHERE registered OR alive OR lost OR views + impressions + clicks + requests > 0
"""

COLUMNS = "channel_id, month, views, impressions, clicks, requests, registered, alive, new, lost"


@dataclass
class RebuildResult:
    rows: int
    seconds: float


def data_months() -> tuple[datetime.date, datetime.date]:
    """From the first month anything happened to this month (or the last month with data)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT least((SELECT min(day) FROM channels_statuschange),"
            " (SELECT min(day) FROM channels_widgetday), (SELECT min(day) FROM channels_apiusage)),"
            " greatest((SELECT max(day) FROM channels_widgetday),"
            " (SELECT max(day) FROM channels_apiusage), (SELECT max(day) FROM"
            " channels_statuschange))"
        )
        first, last = cursor.fetchone()
    this_month = month_start(timezone.localdate())
    first = month_start(first) if first else this_month
    return first, max(this_month, month_start(last) if last else this_month)


def channel_months_params(channel_ids=None) -> dict:
    first, last = data_months()
    channels = None if channel_ids is None else [str(pk) for pk in channel_ids]
    return {"first": first, "last": last, "channels": channels}


def _rewrite(channel_ids) -> int:
    params = channel_months_params(channel_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        if channel_ids is None:
            cursor.execute("DELETE FROM channels_channelmonth")
        else:
            cursor.execute(
                "DELETE FROM channels_channelmonth WHERE channel_id = ANY(%s::uuid[])",
                [params["channels"]],
            )
        cursor.execute(
            f"INSERT INTO channels_channelmonth ({COLUMNS}) {CHANNEL_MONTHS_SQL}", params
        )
        return cursor.rowcount


def summaries_refresh(*, channel_ids) -> int:
    """Rewrite the months of the channels an import touched."""
    if not channel_ids:
        return 0
    return _rewrite(sorted(str(pk) for pk in channel_ids))


def summaries_rebuild() -> RebuildResult:
    """Rewrite every channel's months (the nightly job)."""
    started = time.monotonic()
    rows = _rewrite(None)
    return RebuildResult(rows=rows, seconds=time.monotonic() - started)
