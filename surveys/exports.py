"""A campaign's responses as a table people open: the columns in words, the questions' texts
and the choices' labels in the reader's language, numbers left numbers."""

from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from museumpas.models import Region
from museumpas.services import AGE_GROUP_UNKNOWN
from surveys import selectors
from surveys.models import Answer, Campaign, Question


def _choice_labels(questions: list[Question], language: str) -> dict[int, dict[str, str]]:
    return {question.pk: dict(question.choice_labels(language)) for question in questions}


def _answer(answer: Answer, labels: dict[str, str]) -> int | str:
    if answer.number is not None:
        return answer.number
    if answer.choice_keys:
        return "; ".join(labels.get(key, key) for key in answer.choice_keys)
    return answer.text


def response_rows(campaign: Campaign, *, language: str) -> Iterator[list]:
    """The header, then a row per response (read in chunks: a campaign can have many)."""
    questions = selectors.export_questions(campaign)
    labels = _choice_labels(questions, language)
    languages = dict(settings.LANGUAGES)
    yield [
        _("Response"),
        _("Submitted"),
        _("Museum"),
        _("Month of the visit"),
        _("Language"),
        _("Age group"),
        _("Region"),
        *(question.text(language) for question in questions),
    ]
    for response in selectors.responses_for_export(campaign=campaign).iterator(chunk_size=2000):
        values = {
            answer.question_id: _answer(answer, labels[answer.question_id])
            for answer in response.answers.all()
        }
        yield [
            response.pk,
            timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M"),
            response.museum.name,
            response.visit_month.strftime("%Y-%m"),
            str(languages.get(response.language, response.language)),
            _("unknown") if response.age_group == AGE_GROUP_UNKNOWN else response.age_group,
            str(Region(response.region).label) if response.region else "",
            *(values.get(question.pk, "") for question in questions),
        ]
