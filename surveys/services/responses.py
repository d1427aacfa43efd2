"""The public survey: finding an invitation by its link and storing one response."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from museumpas.services import age_group
from surveys.hooks import responses_stored
from surveys.models import CHOICE_KINDS, NUMERIC_KINDS, Answer, Invitation, Question, Response
from surveys.models import InvitationState as State
from surveys.services.tokens import token_hash

# What a link shows, in this order of precedence.
ANSWERED, OPTED_OUT, EXPIRED = "answered", "opted_out", "expired"
OPEN, UNAVAILABLE = "open", "unavailable"


class SurveyClosed(Exception):
    """The response was not stored: `reason` is one of the link states above."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(token: str) -> Invitation | None:
    return invitation_for_hash(token_hash(token)) if 0 < len(token) <= 64 else None


def invitation_for_hash(hashed: str) -> Invitation | None:
    """The invitation whose mail or reminder carries the link of this hash."""
    return (
        Invitation.objects.select_related("campaign__survey", "museum", "visit", "holder")
        .filter(Q(token_hash=hashed) | Q(reminder_token_hash=hashed))
        .first()
    )


def link_state(invitation: Invitation, *, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if invitation.state == State.RESPONDED:
        return ANSWERED
    if invitation.state == State.OPTED_OUT:
        return OPTED_OUT
    if invitation.state == State.EXPIRED or (
        invitation.expires_at is not None and invitation.expires_at <= now
    ):
        return EXPIRED
    if invitation.state == State.SENT:
        return OPEN
    return UNAVAILABLE


def _answer(question: Question, value) -> Answer | None:
    if value in (None, "", []):
        return None
    if question.kind in NUMERIC_KINDS:
        return Answer(question=question, number=int(value))
    if question.kind in CHOICE_KINDS:
        keys = [value] if isinstance(value, str) else list(value)
        return Answer(question=question, choice_keys=keys)
    return Answer(question=question, text=value)


@transaction.atomic
def response_submit(*, invitation: Invitation, answers: dict[int, object]) -> Response:
    """Store the answers (validated by the form) as the invitation's one response.

    The compare-and-set on the invitation serialises simultaneous submits: PostgreSQL makes the
    second UPDATE wait for the first and then find the state changed, so it stores nothing.
    """
    now = timezone.now()
    won = Invitation.objects.filter(pk=invitation.pk, state=State.SENT, expires_at__gt=now).update(
        state=State.RESPONDED, responded_at=now
    )
    if not won:
        invitation.refresh_from_db()
        raise SurveyClosed(link_state(invitation, now=now))
    visit_day = timezone.localtime(invitation.visit.visited_at).date()
    holder = invitation.holder
    response = Response.objects.create(
        invitation=invitation,
        survey=invitation.campaign.survey,
        campaign=invitation.campaign,
        museum=invitation.museum,
        visit_month=visit_day.replace(day=1),
        language=invitation.language,
        age_group=age_group(birth_year=holder.birth_year, on=visit_day),
        region=holder.region,
    )
    questions = {question.pk: question for question in invitation.campaign.survey.questions.all()}
    rows = []
    for question_id, value in answers.items():
        answer = _answer(questions[question_id], value)
        if answer is not None:
            answer.response = response
            rows.append(answer)
    Answer.objects.bulk_create(rows)
    responses_stored.fire_on_commit(response_ids=[response.pk])
    return response
