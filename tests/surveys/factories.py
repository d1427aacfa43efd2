import datetime

import factory
from django.utils import timezone

from surveys.models import Campaign, Invitation, InvitationState, Question, Survey
from surveys.services.tokens import new_token
from tests.museumpas.factories import VisitFactory

CHOICES = [
    {"key": "alone", "nl": "Alleen", "fr": "Seul", "en": "Alone"},
    {"key": "friends", "nl": "Met vrienden", "fr": "Avec des amis", "en": "With friends"},
    {"key": "family", "nl": "Met familie", "fr": "En famille", "en": "With family"},
]


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    name = factory.Sequence(lambda n: f"Survey {n}")
    title_nl = "Hoe was je bezoek?"
    title_fr = "Comment était votre visite ?"
    title_en = "How was your visit?"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = "nps"
    text_nl = factory.Sequence(lambda n: f"Vraag {n}")
    text_fr = factory.Sequence(lambda n: f"Question {n} (fr)")
    text_en = factory.Sequence(lambda n: f"Question {n} (en)")
    choices = factory.LazyAttribute(lambda q: CHOICES if q.kind in ("single", "multiple") else [])


def survey_with_every_kind(**kwargs) -> Survey:
    survey = SurveyFactory(**kwargs)
    for kind in ("nps", "rating", "single", "multiple", "text"):
        QuestionFactory(survey=survey, kind=kind, required=kind != "text")
    return survey


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    survey = factory.SubFactory(SurveyFactory)
    active = True
    visits_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    visits_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation as the sender leaves it: sent, its link valid for 30 days."""

    class Meta:
        model = Invitation

    campaign = factory.SubFactory(CampaignFactory)
    visit = factory.SubFactory(VisitFactory)
    holder = factory.LazyAttribute(lambda i: i.visit.holder)
    museum = factory.LazyAttribute(lambda i: i.visit.museum)
    language = factory.LazyAttribute(lambda i: i.visit.holder.language)
    state = InvitationState.SENT
    attempts = 1
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


def invitation_with_link(**kwargs) -> tuple[Invitation, str]:
    """A sent invitation and the token its mail would carry."""
    token, token_hash = new_token()
    return InvitationFactory(token_hash=token_hash, **kwargs), token
