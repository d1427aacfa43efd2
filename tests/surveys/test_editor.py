import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEntry
from surveys.models import Invitation, OptOut, Question, Survey
from surveys.services.dispatch import surveys_dispatch
from surveys.services.editor import QuestionDraft, SurveyLocked, survey_save
from tests.museumpas.factories import HolderFactory, MuseumFactory, VisitFactory
from tests.surveys.editor import questions_as_posted, survey_data
from tests.surveys.factories import CampaignFactory, InvitationFactory, survey_with_every_kind
from tests.surveys.test_staff import answered

pytestmark = pytest.mark.django_db

THREE_KINDS = [
    {
        "ORDER": "2",
        "kind": "rating",
        "required": True,
        "text_nl": "Hoe beoordeel je de tentoonstelling?",
        "text_fr": "Comment évaluez-vous l'exposition ?",
        "text_en": "How do you rate the exhibition?",
    },
    {
        "ORDER": "1",
        "kind": "single",
        "required": True,
        "text_nl": "Met wie kwam je?",
        "text_fr": "Avec qui êtes-vous venu ?",
        "text_en": "Who did you come with?",
        "choices": [
            {"key": "", "nl": "Alleen", "fr": "Seul", "en": "Alone"},
            {"key": "friends", "nl": "Met vrienden", "fr": "Avec des amis", "en": "With friends"},
        ],
    },
    {
        "ORDER": "3",
        "kind": "text",
        "required": False,
        "text_nl": "Wil je nog iets kwijt?",
        "text_fr": "Autre chose à nous dire ?",
        "text_en": "Anything else?",
    },
]


@pytest.fixture
def manager(client, sofie):
    client.force_login(sofie)
    return client


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_a_survey_manager_creates_a_survey_with_three_kinds_of_question_in_their_order(manager):
    page = manager.post(reverse("surveys:survey-new"), survey_data(THREE_KINDS))
    survey = Survey.objects.get()
    assert page.status_code == 302 and page.url == reverse("surveys:survey-edit", args=[survey.pk])
    questions = list(survey.questions.order_by("position"))
    assert [q.kind for q in questions] == ["single", "rating", "text"]
    assert questions[0].choices == [
        {"key": "alone", "nl": "Alleen", "fr": "Seul", "en": "Alone"},
        {"key": "friends", "nl": "Met vrienden", "fr": "Avec des amis", "en": "With friends"},
    ]
    assert questions[2].required is False
    assert AuditEntry.objects.filter(action="surveys.survey_created").count() == 1


def test_a_choice_question_without_choices_is_a_form_error(manager):
    questions = [dict(THREE_KINDS[1], choices=[])]
    page = manager.post(reverse("surveys:survey-new"), survey_data(questions))
    assert page.status_code == 400
    assert "Een keuzevraag heeft minstens twee keuzes nodig." in page.content.decode()
    assert not Survey.objects.exists()


def test_a_choice_in_one_language_only_is_a_form_error(manager):
    questions = [dict(THREE_KINDS[1], choices=[{"nl": "Alleen"}, {"nl": "Samen"}])]
    page = manager.post(reverse("surveys:survey-new"), survey_data(questions))
    assert page.status_code == 400 and not Survey.objects.exists()


def test_the_preview_shows_the_form_in_each_language_as_the_holder_sees_it(manager):
    manager.post(reverse("surveys:survey-new"), survey_data(THREE_KINDS))
    survey = Survey.objects.get()
    expected = {
        "nl": ("Met wie kwam je?", "Met vrienden", "Mijn antwoorden versturen"),
        "fr": ("Avec qui êtes-vous venu ?", "Avec des amis", "Envoyer mes réponses"),
        "en": ("Who did you come with?", "With friends", "Send my answers"),
    }
    for language, texts in expected.items():
        page = manager.get(reverse("surveys:survey-preview", args=[survey.pk, language]))
        assert 'class="survey-frame phone"' in page.content.decode()
        frame = manager.get(reverse("surveys:survey-preview-page", args=[survey.pk, language]))
        holder_page = frame.content.decode()
        assert f'<html lang="{language}">' in holder_page
        for text in texts:
            assert text in holder_page
        assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert manager.get(reverse("surveys:survey-preview", args=[survey.pk, "de"])).status_code == 404


def test_a_question_of_a_survey_with_answers_cannot_change_its_meaning(manager, sofie):
    campaign = CampaignFactory(survey=survey_with_every_kind())
    answered(campaign)
    survey = campaign.survey
    fields = {"name": survey.name, "title_nl": survey.title_nl}
    url = reverse("surveys:survey-edit", args=[survey.pk])
    count = survey.questions.count()

    changed = questions_as_posted(survey)
    changed[0]["text_nl"] = "Een andere vraag"
    page = manager.post(url, survey_data(changed, initial=count, **fields))
    assert page.status_code == 400
    assert "kunnen niet veranderen" in page.content.decode()
    assert not Question.objects.filter(text_nl="Een andere vraag").exists()

    removed = questions_as_posted(survey)
    removed[0]["DELETE"] = True
    page = manager.post(url, survey_data(removed, initial=count, **fields))
    assert page.status_code == 400 and survey.questions.count() == count

    # Reordering and a new question keep every answer's meaning.
    reordered = questions_as_posted(survey)
    reordered[0]["ORDER"] = "99"
    reordered.append(dict(THREE_KINDS[2], ORDER="6"))
    page = manager.post(url, survey_data(reordered, initial=count, **fields))
    assert page.status_code == 302
    kinds = list(survey.questions.order_by("position").values_list("kind", flat=True))
    assert kinds == ["rating", "single", "multiple", "text", "text", "nps"]


def test_the_service_refuses_a_changed_choice_of_a_survey_with_answers(sofie):
    campaign = CampaignFactory(survey=survey_with_every_kind())
    answered(campaign)
    drafts = [
        QuestionDraft(
            pk=q.pk,
            **{n: getattr(q, n) for n in ("kind", "required", "text_nl", "text_fr", "text_en")},
            choices=q.choices,
        )
        for q in campaign.survey.questions.all()
    ]
    single = next(draft for draft in drafts if draft.kind == "single")
    single.choices = single.choices[:-1]
    with pytest.raises(SurveyLocked):
        survey_save(survey=campaign.survey, questions=drafts, actor=sofie)


def test_without_answers_a_question_can_change_and_go(manager):
    survey = survey_with_every_kind()
    questions = questions_as_posted(survey)
    questions[0]["text_nl"] = "Zou je ons aanraden?"
    questions[1]["DELETE"] = True
    fields = {"name": survey.name, "title_nl": survey.title_nl}
    page = manager.post(
        reverse("surveys:survey-edit", args=[survey.pk]),
        survey_data(questions, initial=len(questions), **fields),
    )
    assert page.status_code == 302
    assert survey.questions.count() == 4
    assert survey.questions.filter(text_nl="Zou je ons aanraden?").exists()


def test_a_campaign_is_made_in_the_editor(manager, sofie):
    survey = survey_with_every_kind()
    museum = MuseumFactory(name="Museum aan de Stroom")
    page = manager.post(
        reverse("surveys:campaign-new"),
        {
            "name": "Najaar 2026",
            "survey": survey.pk,
            "visits_from": "2026-09-01",
            "visits_until": "2026-11-30",
            "museums": [museum.pk],
            "visitor_kind": "all",
            "pass_kind": "all",
            "send_delay_days": 1,
            "send_window_days": 7,
            "sample_percent": 50,
            "holder_cap_days": 90,
            "link_valid_days": 30,
        },
    )
    assert page.status_code == 302
    campaign = survey.campaigns.get()
    assert list(campaign.museums.all()) == [museum] and campaign.active is False
    assert AuditEntry.objects.filter(action="surveys.campaign_created").exists()


def test_the_reach_is_what_the_dispatch_then_invites(manager):
    museum_a, museum_b, elsewhere = MuseumFactory.create_batch(3)
    campaign = CampaignFactory(
        visits_from=timezone.localdate() - datetime.timedelta(days=6),
        visits_until=timezone.localdate() + datetime.timedelta(days=30),
        all_museums=False,
        sample_percent=60,
    )
    campaign.museums.set([museum_a, museum_b])
    visits = [VisitFactory(museum=museum_a, visited_at=days_ago(2)) for _ in range(12)]
    opted_out = VisitFactory(museum=museum_a, visited_at=days_ago(3))
    OptOut.objects.create(holder=opted_out.holder)
    VisitFactory(museum=museum_a, visited_at=days_ago(3), holder=HolderFactory(email=""))
    capped = VisitFactory(museum=museum_b, visited_at=days_ago(2))
    InvitationFactory(visit=VisitFactory(holder=capped.holder, visited_at=days_ago(30)))
    regular = HolderFactory()
    VisitFactory.create_batch(2, museum=museum_b, holder=regular, visited_at=days_ago(4))
    VisitFactory(museum=elsewhere, visited_at=days_ago(2))
    VisitFactory(museum=museum_a, visited_at=days_ago(8))  # before the window
    visits.append(VisitFactory(museum=museum_b, visited_at=days_ago(2)))

    page = manager.get(reverse("surveys:campaign-edit", args=[campaign.pk]))
    reach = {row.museum: row for row in page.context["reach"].rows}
    assert (reach[museum_a].visits, reach[museum_b].visits) == (14, 4)
    assert elsewhere not in reach

    surveys_dispatch()
    invited = Invitation.objects.filter(campaign=campaign)
    assert reach[museum_a].invitations == invited.filter(museum=museum_a).count()
    assert reach[museum_b].invitations == invited.filter(museum=museum_b).count()
    # The sample drew some but not all of the twelve plain visits of museum A.
    assert 0 < reach[museum_a].invitations < 12


def test_a_campaign_still_ahead_is_estimated_on_as_many_days_before(manager):
    campaign = CampaignFactory(
        visits_from=timezone.localdate() + datetime.timedelta(days=10),
        visits_until=timezone.localdate() + datetime.timedelta(days=19),
    )
    VisitFactory.create_batch(3, visited_at=days_ago(5))
    VisitFactory(visited_at=days_ago(15))  # older than ten days
    page = manager.get(reverse("surveys:campaign-edit", args=[campaign.pk]))
    reach = page.context["reach"]
    assert reach.estimated and (reach.end - reach.start).days == 9
    assert (reach.visits, reach.invitations) == (3, 3)


def test_the_invitation_mail_is_previewed_in_each_language(manager, sofie):
    campaign = CampaignFactory(survey=survey_with_every_kind())
    campaign.museums.add(MuseumFactory(name="MAS"))
    for language in ("nl", "fr", "en"):
        page = manager.get(reverse("surveys:mail-preview", args=[campaign.pk, language]))
        with translation.override(language):
            subject = translation.gettext("How was your visit to %(museum)s?")
        message = page.context["message"]
        assert message.subject == subject % {"museum": "MAS"}
        html = manager.get(reverse("surveys:mail-preview-html", args=[campaign.pk, language]))
        assert campaign.survey.title(language) in html.content.decode()
        assert message.to == [sofie.email]


def test_a_test_mail_arrives_at_the_managers_own_address(manager, sofie, smtp_settings):
    campaign = CampaignFactory(survey=survey_with_every_kind())
    page = manager.post(reverse("surveys:test-mail", args=[campaign.pk]), {"language": "fr"})
    assert page.status_code == 302
    [message] = smtp_settings.wait_for(1)
    assert message["To"] == sofie.email
    assert "Comment s'est passée votre visite" in message["Subject"]
    assert "[Test]" in message["Subject"]
    assert AuditEntry.objects.filter(action="surveys.test_mail_sent").count() == 1


def test_a_refused_test_mail_says_why(manager, smtp_settings):
    smtp_settings.refuse(1, permanent=True)
    campaign = CampaignFactory()
    page = manager.post(
        reverse("surveys:test-mail", args=[campaign.pk]), {"language": "nl"}, follow=True
    )
    assert "550" in page.content.decode()


def test_the_editor_is_for_survey_managers(client, alice, charlie):
    survey = survey_with_every_kind()
    campaign = CampaignFactory(survey=survey)
    urls = [
        reverse("surveys:survey-new"),
        reverse("surveys:survey-edit", args=[survey.pk]),
        reverse("surveys:survey-preview", args=[survey.pk, "nl"]),
        reverse("surveys:survey-preview-page", args=[survey.pk, "nl"]),
        reverse("surveys:mail-preview-html", args=[campaign.pk, "nl"]),
        reverse("surveys:campaign-edit", args=[campaign.pk]),
        reverse("surveys:mail-preview", args=[campaign.pk, "nl"]),
    ]
    for user in (alice, charlie):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
        assert client.post(reverse("surveys:test-mail", args=[campaign.pk])).status_code == 403
