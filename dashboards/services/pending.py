"""Coalescing the refreshes queued after visits and sales: one pending refresh per museum and
month at a time.

The visits API stores one visit per request, and a busy museum posts a visit every few
seconds; each used to queue a refresh of its museum's day and month (about a second of a
worker's time each at the busiest museum). A refresh reads everything committed when it
starts, so while one is queued and not started, a visit on a day it covers needs no refresh
of its own.

The mark is a cache entry per museum and month holding the days its queued refresh covers,
set before the refresh is queued and cleared when the refresh starts, before it reads
anything. A listener runs after its visit's commit, so if it finds its day in the mark, the
refresh that wrote the mark has not started yet and will see the visit. A day not in the mark
queues a refresh of the mark's days and the new ones, and marks them all. Two listeners
writing the mark at once can only lose days from it, which costs a refresh, never a visit.
The mark expires, so a refresh lost with its message holds back nothing for long; the nightly
rebuild redoes the rest. If queueing fails, the listener clears the marks it set; a visit that
found them in that moment waits for the next refresh of its month, or the nightly rebuild.

The cache must be shared by web processes and workers (Redis; the file cache of `make run` on
one machine): `manage.py check` warns about a cache of each process's own (dashboards/checks.py).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.cache import cache

from dashboards.periods import month_start

PENDING_SECONDS = 15 * 60


def _key(museum_id: int, month: datetime.date) -> str:
    return f"dashboards:refresh-pending:{museum_id}:{month:%Y-%m}"


def _by_month(museum_days: Iterable[tuple[int, datetime.date]]) -> dict:
    months: dict[tuple[int, datetime.date], set[datetime.date]] = defaultdict(set)
    for museum_id, day in museum_days:
        months[(museum_id, month_start(day))].add(day)
    return months


def refresh_days_queue(
    museum_days: Iterable[tuple[int, datetime.date]],
    *,
    queue: Callable[[set[tuple[int, datetime.date]]], object],
) -> None:
    """Have `queue` queue a refresh of these museum days unless a pending one covers them: the
    days it covers are marked as pending first, and cleared again if queueing fails."""
    to_queue = set()
    for (museum_id, month), days in _by_month(museum_days).items():
        key = _key(museum_id, month)
        pending = cache.get(key) or frozenset()
        if days <= pending:
            continue
        covered = frozenset(days | pending)
        cache.set(key, covered, PENDING_SECONDS)
        to_queue |= {(museum_id, day) for day in covered}
    if not to_queue:
        return
    try:
        queue(to_queue)
    except Exception:
        # No refresh is queued: the marks must not hold back the next visits' refreshes.
        refresh_pending_clear(to_queue)
        raise


def refresh_pending_clear(museum_days: Iterable[tuple[int, datetime.date]]) -> None:
    """The refresh of these museum days starts: visits stored from now on queue another."""
    cache.delete_many([_key(museum_id, month) for museum_id, month in _by_month(museum_days)])
