"""A demo survey with every kind of question, a running campaign, some responses, and a
dispatch: with `make run` the worker sends the demo invitations to var/mail/ right away."""

import datetime
import random

from django.utils import timezone

from museumpas.models import Visit
from surveys.forms import text_to_choices
from surveys.models import Campaign, Invitation, InvitationState, Question, Survey
from surveys.services.dispatch import surveys_dispatch
from surveys.services.responses import response_submit
from surveys.services.tokens import new_token

SURVEY_NAME = "Bezoekersenquête museumPASSmusées (demo)"
CAMPAIGN_NAME = "Demo: elk bezoek, alle musea"
# The English names of earlier demo data, renamed on the next seed_demo rather than doubled.
RENAMED = {
    "Museumpas visit survey (demo)": SURVEY_NAME,
}
RENAMED_CAMPAIGNS = {
    "Demo: every visit, all museums": CAMPAIGN_NAME,
    "Demo: last year's visits (dashboards)": "Demo: bezoeken van het voorbije jaar (dashboards)",
}
# (kind, Dutch, French, English, choices as in the admin: key | Dutch | French | English)
QUESTIONS = (
    (
        "nps",
        "Hoe waarschijnlijk is het dat je dit museum aanbeveelt aan vrienden of familie?",
        "Quelle est la probabilité que vous recommandiez ce musée à vos amis ou à votre famille ?",
        "How likely are you to recommend this museum to friends or family?",
        "",
    ),
    (
        "rating",
        "Hoe beoordeel je de collectie en de tentoonstellingen?",
        "Comment évaluez-vous la collection et les expositions ?",
        "How do you rate the collection and the exhibitions?",
        "",
    ),
    (
        "single",
        "Met wie kwam je naar het museum?",
        "Avec qui êtes-vous venu(e) au musée ?",
        "Who did you visit the museum with?",
        """
        alone | Alleen | Seul(e) | Alone
        partner | Met mijn partner | Avec mon/ma partenaire | With my partner
        family | Met familie of kinderen | En famille ou avec des enfants | With family or children
        friends | Met vrienden | Avec des amis | With friends
        """,
    ),
    (
        "multiple",
        "Hoe heb je over dit museum gehoord?",
        "Comment avez-vous entendu parler de ce musée ?",
        "How did you hear about this museum?",
        """
        newsletter | Nieuwsbrief van museumPASSmusées | Newsletter de museumPASSmusées | museumPASSmusées newsletter
        social | Sociale media | Réseaux sociaux | Social media
        word_of_mouth | Via vrienden of familie | Par des amis ou la famille | Friends or family
        press | Krant, radio of tv | Presse, radio ou télé | Press, radio or TV
        """,  # noqa: E501
    ),
    (
        "text",
        "Wil je nog iets kwijt over je bezoek?",
        "Souhaitez-vous ajouter quelque chose sur votre visite ?",
        "Anything else you would like to tell us about your visit?",
        "",
    ),
)
COMMENTS = ("Prachtige collectie!", "Te weinig zitplaatsen.", "Très belle expo.", "", "")


def rename_earlier_demo_data() -> None:
    for old, new in RENAMED.items():
        Survey.objects.filter(name=old).update(name=new)
    for old, new in RENAMED_CAMPAIGNS.items():
        Campaign.objects.filter(name=old).update(name=new)


def _survey() -> Survey:
    rename_earlier_demo_data()
    survey, created = Survey.objects.get_or_create(
        name=SURVEY_NAME,
        defaults={
            "title_nl": "Hoe was je museumbezoek?",
            "title_fr": "Comment s'est passée votre visite ?",
            "title_en": "How was your museum visit?",
            "intro_nl": "Je antwoorden zijn anoniem voor het museum.",
            "intro_fr": "Vos réponses sont anonymes pour le musée.",
            "intro_en": "Your answers are anonymous to the museum.",
        },
    )
    if created:
        for position, (kind, nl, fr, en, choices) in enumerate(QUESTIONS, start=1):
            Question.objects.create(
                survey=survey,
                position=position,
                kind=kind,
                required=kind in ("nps", "rating"),
                text_nl=nl,
                text_fr=fr,
                text_en=en,
                choices=text_to_choices(choices),
            )
    return survey


def _campaign(survey: Survey) -> Campaign:
    today = timezone.localdate()
    campaign, _ = Campaign.objects.get_or_create(
        name=CAMPAIGN_NAME,
        defaults={
            "survey": survey,
            "active": True,
            "visits_from": today - datetime.timedelta(days=90),
            "visits_until": today + datetime.timedelta(days=365),
            "send_window_days": 14,
            "reminder_after_days": 5,
        },
    )
    return campaign


def _answers(rng: random.Random, survey: Survey) -> dict:
    answers = {}
    for question in survey.questions.all():
        keys = [choice["key"] for choice in question.choices]
        answers[question.pk] = {
            "nps": lambda: rng.choice((10, 9, 9, 8, 7, 6, 3)),
            "rating": lambda: rng.randint(3, 5),
            "single": lambda keys=keys: rng.choice(keys),
            "multiple": lambda keys=keys: rng.sample(keys, rng.randint(1, 2)),
            "text": lambda: rng.choice(COMMENTS),
        }[question.kind]()
    return answers


def _responses(campaign: Campaign, count: int = 12) -> int:
    """Answered invitations for older visits, so the funnel and the export show something."""
    if Invitation.objects.filter(campaign=campaign).exists():
        return 0
    rng = random.Random(7)
    now = timezone.now()
    visits = Visit.objects.filter(
        external_id__startswith="demo-visit-", visited_at__lt=now - datetime.timedelta(days=20)
    ).order_by("pk")
    seen, made = set(), 0
    for visit in visits:
        if visit.holder_id in seen or made == count:
            continue
        seen.add(visit.holder_id)
        invitation = Invitation.objects.create(
            campaign=campaign,
            visit=visit,
            holder_id=visit.holder_id,
            museum_id=visit.museum_id,
            language=visit.holder.language,
            state=InvitationState.SENT,
            attempts=1,
            token_hash=new_token()[1],
            sent_at=visit.visited_at + datetime.timedelta(days=1),
            expires_at=now + datetime.timedelta(days=10),
        )
        response_submit(invitation=invitation, answers=_answers(rng, campaign.survey))
        made += 1
    return made


def seed(*, out) -> None:
    survey = _survey()
    campaign = _campaign(survey)
    responses = _responses(campaign)
    result = surveys_dispatch()
    out.write(
        f"surveys: survey with {survey.questions.count()} questions, campaign "
        f"{campaign.name!r}, {responses} demo responses; {result.created} invitations "
        "created and queued (the worker writes them to var/mail/)"
    )
