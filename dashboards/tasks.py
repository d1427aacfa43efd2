"""Celery tasks: load ids, call a service. All are idempotent (a refresh rewrites what is
committed), so they acknowledge late: a worker lost mid-task leaves the message to run again."""

import datetime

from celery import shared_task

from dashboards.services.pending import refresh_pending_clear
from dashboards.services.summaries import (
    museum_months_for_invitations,
    museum_months_for_responses,
    summaries_rebuild,
    summaries_refresh,
)

IDEMPOTENT = {"acks_late": True, "reject_on_worker_lost": False}
REFRESH = {"time_limit": 10 * 60, "soft_time_limit": 9 * 60, **IDEMPOTENT}


@shared_task(name="dashboards.refresh_days", **REFRESH)
def refresh_days(museum_days: list[list]) -> int:
    days = {(int(pk), datetime.date.fromisoformat(day)) for pk, day in museum_days}
    # Before reading anything: a visit stored after this point queues a refresh of its own.
    refresh_pending_clear(days)
    return summaries_refresh(museum_days=days, answers=False)


@shared_task(name="dashboards.refresh_responses", **REFRESH)
def refresh_responses(response_ids: list[int]) -> int:
    return summaries_refresh(museum_months=museum_months_for_responses(response_ids), answers=True)


@shared_task(name="dashboards.refresh_invitations", **REFRESH)
def refresh_invitations(invitation_ids: list[int]) -> int:
    return summaries_refresh(
        museum_months=museum_months_for_invitations(invitation_ids), answers=False
    )


# The default time limits (30 minutes) are far above the rebuild's few minutes at full scale.
@shared_task(name="dashboards.rebuild_summaries", **IDEMPOTENT)
def rebuild_summaries() -> dict:
    result = summaries_rebuild()
    return {"months": result.months, "seconds": result.seconds}
