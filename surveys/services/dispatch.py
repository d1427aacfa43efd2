"""Which visits get an invitation: the campaign's window, museums, segments, sample and cap."""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
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


def eligible_visits(campaign: Campaign, *, now: datetime.datetime) -> QuerySet:
    """Visits the campaign is about whose delay has passed, whether invited or not."""
    queryset = Visit.objects.filter(
        visited_at__gte=local_midnight(campaign.visits_from),
        visited_at__lt=min(
            local_midnight(campaign.visits_until + datetime.timedelta(days=1)),
            now - datetime.timedelta(days=campaign.send_delay_days),
        ),
    )
    if campaign.all_museums:
        queryset = queryset.filter(museum__active=True)
    else:
        queryset = queryset.filter(museum__in=campaign.museums.all())
    return _segment_filters(queryset, campaign)


def invitable_visits(campaign: Campaign, *, now: datetime.datetime) -> QuerySet:
    """Eligible visits still in their send window, of holders we may write to now."""
    delay = datetime.timedelta(days=campaign.send_delay_days)
    capped_since = now - datetime.timedelta(days=campaign.holder_cap_days)
    opted_out = OptOut.objects.filter(holder=OuterRef("holder")).filter(
        Q(museum=None) | Q(museum=OuterRef("museum"))
    )
    return (
        eligible_visits(campaign, now=now)
        .filter(
            visited_at__gte=now - delay - datetime.timedelta(days=campaign.send_window_days),
            holder__erased_at=None,
            holder__email_bounced_at=None,
        )
        .exclude(holder__email="")
        .exclude(Exists(Invitation.objects.filter(visit=OuterRef("pk"))))
        .exclude(
            Exists(
                Invitation.objects.filter(holder=OuterRef("holder"), created_at__gte=capped_since)
            )
        )
        .exclude(Exists(opted_out))
    )


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


def _new_invitations(campaign: Campaign, *, now, invited_holders: set[int]) -> list[Invitation]:
    rows = (
        invitable_visits(campaign, now=now)
        .order_by("-visited_at", "-pk")
        .values("holder_id", "museum_id", visit_id=F("pk"), language=F("holder__language"))
    )
    invitations = []
    for row in rows.iterator(chunk_size=10000):
        # One invitation per holder per run (the latest visit), across every campaign.
        holder_id = row["holder_id"]
        if holder_id in invited_holders or not in_sample(
            campaign.pk, row["visit_id"], campaign.sample_percent
        ):
            continue
        invited_holders.add(holder_id)
        invitations.append(Invitation(campaign=campaign, **row))
    return invitations


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
