"""Reads of the surveys app: funnels, failures, responses for export and the API."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from museumpas.models import Museum
from surveys.models import Answer, Campaign, Invitation, Question, Response, Survey
from surveys.models import InvitationState as State
from surveys.services.dispatch import campaign_reach, eligible_visits

# Invitations that reached the holder: the response rate's base (AAPOR's "delivered").
DELIVERED = (State.SENT, State.RESPONDED, State.EXPIRED, State.OPTED_OUT)


def campaigns_with_funnel() -> QuerySet:
    """Every campaign with its invitation counts per state, in one query."""
    counts = {
        f"count_{state}": Count("invitations", filter=Q(invitations__state=state))
        for state in State
    }
    return (
        Campaign.objects.select_related("survey")
        .annotate(invited=Count("invitations"), **counts)
        .order_by("-active", "-visits_from", "name")
    )


def surveys_with_question_count() -> QuerySet:
    return Survey.objects.annotate(question_total=Count("questions")).order_by("name")


def response_rate(campaign: Campaign) -> float | None:
    """Responses per delivered invitation."""
    delivered = sum(getattr(campaign, f"count_{state}") for state in DELIVERED)
    return campaign.count_responded / delivered if delivered else None


def campaign_funnel(campaign_id: int, *, now: datetime.datetime | None = None) -> Campaign:
    campaign = campaigns_with_funnel().get(pk=campaign_id)
    campaign.eligible = eligible_visits(campaign, now=now or timezone.now()).count()
    campaign.response_rate = response_rate(campaign)
    return campaign


def campaign_failures(campaign: Campaign, *, limit: int = 200) -> QuerySet:
    return (
        Invitation.objects.filter(campaign=campaign, state=State.FAILED)
        .select_related("museum")
        .order_by("-finished_at", "-pk")[:limit]
    )


def responses_for_export(*, campaign: Campaign | None = None) -> QuerySet:
    """Responses with their answers, without anything that leads back to the holder."""
    queryset = Response.objects.select_related("museum").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("question_id"))
    )
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return queryset.order_by("pk")


def export_questions(campaign: Campaign) -> list[Question]:
    return list(campaign.survey.questions.order_by("position", "pk"))


def answer_value(answer: Answer) -> int | str:
    if answer.number is not None:
        return answer.number
    if answer.choice_keys:
        return ";".join(answer.choice_keys)
    return answer.text


@dataclass
class ReachRow:
    museum: Museum
    visits: int
    invitations: int


@dataclass
class Reach:
    start: datetime.date
    end: datetime.date
    # True when the window has no visits yet: the figures are those of as many days before.
    estimated: bool
    rows: list[ReachRow]

    @property
    def visits(self) -> int:
        return sum(row.visits for row in self.rows)

    @property
    def invitations(self) -> int:
        return sum(row.invitations for row in self.rows)


def campaign_reach_table(campaign: Campaign, *, now: datetime.datetime) -> Reach:
    """The campaign's reach per museum, over its window's visits so far, or when its window
    lies ahead, over the same number of days up to yesterday."""
    yesterday = timezone.localdate(now) - datetime.timedelta(days=1)
    estimated = campaign.visits_from > yesterday
    if estimated:
        end = yesterday
        start = end - (campaign.visits_until - campaign.visits_from)
    else:
        start, end = campaign.visits_from, min(campaign.visits_until, yesterday)
    reach = campaign_reach(campaign, start=start, end=end, now=now)
    museums = Museum.objects.in_bulk(reach.keys())
    rows = [
        ReachRow(museums[museum_id], figures.visits, figures.invitations)
        for museum_id, figures in reach.items()
    ]
    rows.sort(key=lambda row: row.museum.name)
    return Reach(start=start, end=end, estimated=estimated, rows=rows)
