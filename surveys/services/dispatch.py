"""Which visits get an invitation: the campaign's window, museums, segments, sample and cap."""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from core.services import audit_record
from museumpas.models import Pass, Visit
from museumpas.services import AGE_GROUP_UNKNOWN, AGE_GROUPS, local_midnight
from surveys.models import Campaign, Invitation, OptOut, PassKind, VisitorKind
from surveys.services.sending import invitations_queue_pending

logger = logging.getLogger(__name__)
BULK_SIZE = 5000
_LOCK_KEY = "surveys:dispatch:lock"


def _age_condition(groups: list[str]) -> Q:
    condition = Q(holder__birth_year=None) if AGE_GROUP_UNKNOWN in groups else Q()
    for key, low, high in AGE_GROUPS:
        if key in groups:
            condition |= Q(visit_age__gte=low, visit_age__lte=high)
    return condition


def _segment_filters(queryset: QuerySet, campaign: Campaign) -> QuerySet:
    if campaign.languages:
        queryset = queryset.filter(holder__language__in=campaign.languages)
    if campaign.regions:
        queryset = queryset.filter(holder__region__in=campaign.regions)
    if campaign.age_groups:
        queryset = queryset.annotate(
            visit_age=ExtractYear("visited_at") - F("holder__birth_year")
        ).filter(_age_condition(campaign.age_groups))
    if campaign.visitor_kind != VisitorKind.ALL:
        earlier = Visit.objects.filter(
            holder=OuterRef("holder"),
            museum=OuterRef("museum"),
            visited_at__lt=OuterRef("visited_at"),
        )
        returning = Exists(earlier)
        queryset = queryset.filter(
            returning if campaign.visitor_kind == "returning" else ~returning
        )
    if campaign.pass_kind != PassKind.ALL:
        valid_pass = Pass.objects.filter(
            holder=OuterRef("holder"),
            valid_from__lte=OuterRef("visit_date"),
            valid_until__gte=OuterRef("visit_date"),
            is_renewal=campaign.pass_kind == PassKind.RENEWAL,
        )
        queryset = queryset.annotate(visit_date=TruncDate("visited_at")).filter(Exists(valid_pass))
    return queryset


def _visits_in(campaign: Campaign, *, start: datetime.datetime, end: datetime.datetime) -> QuerySet:
    """Visits from `start` to before `end` at the campaign's museums, in its segments."""
    queryset = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)
    if campaign.all_museums:
        queryset = queryset.filter(museum__active=True)
    else:
        queryset = queryset.filter(museum__in=campaign.museums.all())
    return _segment_filters(queryset, campaign)


def eligible_visits(campaign: Campaign, *, now: datetime.datetime) -> QuerySet:
    """Visits the campaign is about whose delay has passed, whether invited or not."""
    return _visits_in(
        campaign,
        start=local_midnight(campaign.visits_from),
        end=min(
            local_midnight(campaign.visits_until + datetime.timedelta(days=1)),
            now - datetime.timedelta(days=campaign.send_delay_days),
        ),
    )


def _writable(visits: QuerySet, campaign: Campaign, *, now: datetime.datetime) -> QuerySet:
    """Visits not invited yet, of holders we may write to now (address, opt-outs, cap)."""
    capped_since = now - datetime.timedelta(days=campaign.holder_cap_days)
    opted_out = OptOut.objects.filter(holder=OuterRef("holder")).filter(
        Q(museum=None) | Q(museum=OuterRef("museum"))
    )
    return (
        visits.filter(holder__erased_at=None, holder__email_bounced_at=None)
        .exclude(holder__email="")
        .exclude(Exists(Invitation.objects.filter(visit=OuterRef("pk"))))
        .exclude(
            Exists(
                Invitation.objects.filter(holder=OuterRef("holder"), created_at__gte=capped_since)
            )
        )
        .exclude(Exists(opted_out))
    )


def invitable_visits(campaign: Campaign, *, now: datetime.datetime) -> QuerySet:
    """Eligible visits still in their send window, of holders we may write to now."""
    delay = datetime.timedelta(days=campaign.send_delay_days)
    in_send_window = eligible_visits(campaign, now=now).filter(
        visited_at__gte=now - delay - datetime.timedelta(days=campaign.send_window_days)
    )
    return _writable(in_send_window, campaign, now=now)


def in_sample(campaign_id: int, visit_id: int, percent: int) -> bool:
    """The same visit always gets the same draw, so running the dispatch again adds nobody."""
    if percent >= 100:
        return True
    digest = hashlib.sha256(f"{campaign_id}:{visit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent


@dataclass
class DispatchResult:
    created: int = 0
    queued: int = 0
    skipped_locked: bool = False


def _selected(campaign: Campaign, visits: QuerySet, *, invited_holders: set[int]):
    """The visits that get an invitation: in the sample, one per holder (the latest visit)."""
    rows = visits.order_by("-visited_at", "-pk").values(
        "holder_id", "museum_id", visit_id=F("pk"), language=F("holder__language")
    )
    for row in rows.iterator(chunk_size=10000):
        # One invitation per holder per run (the latest visit), across every campaign.
        holder_id = row["holder_id"]
        if holder_id in invited_holders or not in_sample(
            campaign.pk, row["visit_id"], campaign.sample_percent
        ):
            continue
        invited_holders.add(holder_id)
        yield row


def _new_invitations(campaign: Campaign, *, now, invited_holders: set[int]) -> list[Invitation]:
    visits = invitable_visits(campaign, now=now)
    return [
        Invitation(campaign=campaign, **row)
        for row in _selected(campaign, visits, invited_holders=invited_holders)
    ]


@dataclass
class MuseumReach:
    museum_id: int
    visits: int = 0
    invitations: int = 0


def campaign_reach(
    campaign: Campaign, *, start: datetime.date, end: datetime.date, now: datetime.datetime
) -> dict[int, MuseumReach]:
    """Per museum: the visits from `start` to `end` (inclusive) the campaign is about, and the
    invitations one dispatch would create if all of them were due now.

    The dispatch's own selection, without the delay and the send window (a campaign that has
    not started has no visit due yet): segments, museums, holders we may write to, opt-outs,
    the cap against invitations already sent, the sample, one invitation per holder.
    """
    visits = _visits_in(
        campaign,
        start=local_midnight(start),
        end=local_midnight(end + datetime.timedelta(days=1)),
    )
    reach: dict[int, MuseumReach] = {}
    for row in visits.values("museum_id").annotate(count=Count("pk")):
        reach[row["museum_id"]] = MuseumReach(row["museum_id"], visits=row["count"])
    for row in _selected(campaign, _writable(visits, campaign, now=now), invited_holders=set()):
        reach[row["museum_id"]].invitations += 1
    return reach


def surveys_dispatch(*, now: datetime.datetime | None = None, actor=None) -> DispatchResult:
    """Create the due invitations of every active campaign and queue them for sending."""
    now = now or timezone.now()
    if not cache.add(_LOCK_KEY, "1", timeout=30 * 60):
        logger.info("surveys dispatch: another dispatch is running")
        return DispatchResult(skipped_locked=True)
    try:
        return _dispatch(now=now, actor=actor)
    finally:
        cache.delete(_LOCK_KEY)


@transaction.atomic
def _dispatch(*, now, actor) -> DispatchResult:
    result = DispatchResult()
    invited_holders: set[int] = set()
    active = Campaign.objects.filter(active=True, visits_from__lte=timezone.localdate(now))
    for campaign in active.order_by("pk"):
        invitations = _new_invitations(campaign, now=now, invited_holders=invited_holders)
        # The unique visit makes a concurrent run's duplicates vanish instead of failing.
        Invitation.objects.bulk_create(invitations, batch_size=BULK_SIZE, ignore_conflicts=True)
        result.created += len(invitations)
    result.queued = invitations_queue_pending()
    if result.created:
        audit_record(
            actor=actor,
            action="surveys.dispatched",
            object_type="surveys.invitation",
            new_values={"created": result.created, "queued": result.queued},
        )
    return result
