"""The demo survey and campaigns are named in Dutch, with the survey in three languages."""

import io

import pytest

from surveys import demo
from surveys.models import Campaign, Survey
from tests.surveys.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def test_the_demo_survey_and_campaign_are_dutch_with_french_and_english_texts():
    demo.seed(out=io.StringIO())
    survey = Survey.objects.get(name=demo.SURVEY_NAME)
    assert survey.name == "Bezoekersenquête museumPASSmusées (demo)"
    assert (survey.title_nl, survey.title_fr, survey.title_en) == (
        "Hoe was je museumbezoek?",
        "Comment s'est passée votre visite ?",
        "How was your museum visit?",
    )
    for question in survey.questions.all():
        assert question.text_nl and question.text_fr and question.text_en
        for choice in question.choices:
            assert choice["nl"] and choice["fr"] and choice["en"]
    assert list(Campaign.objects.values_list("name", flat=True)) == ["Demo: elk bezoek, alle musea"]


def test_earlier_english_demo_names_are_renamed_not_doubled():
    old = SurveyFactory(name="Museumpas visit survey (demo)")
    Campaign.objects.create(
        name="Demo: every visit, all museums",
        survey=old,
        visits_from="2026-01-01",
        visits_until="2026-12-31",
    )
    demo.seed(out=io.StringIO())
    assert list(Survey.objects.values_list("pk", "name")) == [(old.pk, demo.SURVEY_NAME)]
    assert list(Campaign.objects.values_list("name", flat=True)) == [demo.CAMPAIGN_NAME]
