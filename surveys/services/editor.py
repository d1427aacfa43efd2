"""The survey managers' editor: saving a survey with its questions, a campaign, a test mail."""

import datetime
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.services import audit_record
from museumpas.models import Holder, Museum, Visit
from surveys.models import Campaign, Invitation, Question, Response, Survey
from surveys.services.mail import invitation_message

# What an answer means: a survey with responses keeps these of every question it has.
MEANING_FIELDS = ("kind", "text_nl", "text_fr", "text_en", "choices")


@dataclass
class QuestionDraft:
    """One question as the editor hands it over; `pk` None for a new one."""

    pk: int | None
    kind: str
    required: bool
    text_nl: str
    text_fr: str
    text_en: str
    choices: list[dict] = field(default_factory=list)


class SurveyLocked(Exception):
    """The survey has answers, and the change would remove or change a question's meaning."""


def survey_has_answers(survey: Survey) -> bool:
    return survey.pk is not None and Response.objects.filter(survey=survey).exists()


def _summary(question) -> dict:
    return {name: getattr(question, name) for name in ("required", *MEANING_FIELDS)}


def _check_meaning_kept(existing: dict[int, Question], drafts: list[QuestionDraft]) -> None:
    kept = {draft.pk: draft for draft in drafts if draft.pk is not None}
    for pk, question in existing.items():
        draft = kept.get(pk)
        if draft is None:
            raise SurveyLocked(
                _("“%(question)s” has answers: it cannot be removed.")
                % {"question": question.text(translation.get_language() or "nl")}
            )
        if any(getattr(draft, name) != getattr(question, name) for name in MEANING_FIELDS):
            raise SurveyLocked(
                _(
                    "“%(question)s” has answers: its kind, texts and choices cannot change, so "
                    "that every answer keeps its meaning. Add a new question, or make a new survey."
                )
                % {"question": question.text(translation.get_language() or "nl")}
            )


@transaction.atomic
def survey_save(*, survey: Survey, questions: list[QuestionDraft], actor) -> Survey:
    """Store the survey and exactly these questions, in this order.

    Raises SurveyLocked when the survey has responses and a question would be removed or change
    its kind, a text or its choices; reordering, `required` and new questions stay possible.
    """
    created = survey.pk is None
    existing: dict[int, Question] = {}
    if not created:
        # Locks the survey row: two editors saving at once write one after the other.
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        existing = {question.pk: question for question in survey.questions.all()}
        unknown = {draft.pk for draft in questions if draft.pk} - existing.keys()
        if unknown:
            raise SurveyLocked(_("A question was removed meanwhile; reload the page."))
        if survey_has_answers(survey):
            _check_meaning_kept(existing, questions)
    old = [_summary(question) for question in existing.values()]
    survey.save()
    Question.objects.filter(survey=survey).exclude(
        pk__in=[draft.pk for draft in questions if draft.pk]
    ).delete()
    for position, draft in enumerate(questions, start=1):
        values = {name: getattr(draft, name) for name in ("required", *MEANING_FIELDS)}
        if draft.pk:
            Question.objects.filter(pk=draft.pk).update(position=position, **values)
        else:
            Question.objects.create(survey=survey, position=position, **values)
    audit_record(
        actor=actor,
        action="surveys.survey_created" if created else "surveys.survey_changed",
        target=survey,
        old_values={"questions": old} if not created else None,
        new_values={"name": survey.name, "questions": [_summary(draft) for draft in questions]},
    )
    return survey


def _plain(values: dict) -> dict:
    """Dates as ISO text: the audit trail stores JSON."""
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
    }


@transaction.atomic
def campaign_save(*, campaign: Campaign, museums: list[Museum], actor) -> Campaign:
    created = campaign.pk is None
    old = None if created else _plain(Campaign.objects.values().get(pk=campaign.pk))
    campaign.save()
    campaign.museums.set(museums)
    new = _plain(Campaign.objects.values().get(pk=campaign.pk))
    changed = {key: value for key, value in new.items() if old is None or old[key] != value}
    audit_record(
        actor=actor,
        action="surveys.campaign_created" if created else "surveys.campaign_changed",
        target=campaign,
        old_values={key: old[key] for key in changed} if old else None,
        new_values={**changed, "museums": sorted(museum.pk for museum in museums)},
    )
    return campaign


def sample_invitation(campaign: Campaign, *, language: str, email: str) -> Invitation:
    """An unsaved invitation as the campaign would send it, about a visit made yesterday."""
    museum = campaign.museums.order_by("name").first() if campaign.pk else None
    if museum is None or campaign.all_museums:
        museum = Museum.objects.filter(active=True).order_by("name").first() or Museum(
            name=_("Your museum")
        )
    visited_at = timezone.now() - datetime.timedelta(days=campaign.send_delay_days)
    holder = Holder(language=language, email=email)
    return Invitation(
        campaign=campaign,
        visit=Visit(visited_at=visited_at, museum=museum, holder=holder),
        holder=holder,
        museum=museum,
        language=language,
    )


def invitation_preview(campaign: Campaign, *, language: str, email: str):
    """The invitation mail as a holder in `language` would get it; its links lead nowhere."""
    invitation = sample_invitation(campaign, language=language, email=email)
    return invitation_message(invitation, token=secrets.token_urlsafe(24))


def campaign_test_mail_send(*, campaign: Campaign, language: str, actor) -> None:
    """Send the invitation mail in `language` to the manager's own address.

    The audit row is committed first; the mail leaves after the commit. SMTP errors reach the
    caller, who shows them: the test is to learn whether mail gets through.
    """
    message = invitation_preview(campaign, language=language, email=actor.email)
    message.subject = f"[{_('Test')}] {message.subject}"
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="surveys.test_mail_sent",
            target=campaign,
            new_values={"language": language, "to": actor.email},
        )
    message.send()
