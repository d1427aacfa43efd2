import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from surveys.admin import text_to_choices
from surveys.models import Question, Response
from tests.museumpas.factories import MuseumFactory
from tests.support.admin_forms import admin_form_data
from tests.surveys.factories import (
    CampaignFactory,
    QuestionFactory,
    SurveyFactory,
    survey_with_every_kind,
)

pytestmark = pytest.mark.django_db


def inline_data(survey, questions):
    data = {
        "name": survey.name,
        "title_nl": "Titel",
        "title_fr": "Titre",
        "title_en": "Title",
        "intro_nl": "",
        "intro_fr": "",
        "intro_en": "",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, question in enumerate(questions):
        for field, value in question.items():
            data[f"questions-{index}-{field}"] = value
    return data


def question(kind, position, choices=""):
    return {
        "kind": kind,
        "position": str(position),
        "required": "on",
        "text_nl": f"Vraag {position}",
        "text_fr": f"Question {position}",
        "text_en": f"Question {position}",
        "choices_text": choices,
    }


def test_a_survey_manager_builds_a_survey_with_inline_ordered_questions(client, sofie):
    survey = SurveyFactory()
    client.force_login(sofie)
    choices = "alone | Alleen | Seul | Alone\nfriends | Met vrienden | Avec des amis | With friends"
    data = inline_data(survey, [question("single", 2, choices), question("nps", 1)])
    response = client.post(f"/admin/surveys/survey/{survey.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds == ["nps", "single"]
    assert Question.objects.get(kind="single").choices[1] == {
        "key": "friends",
        "nl": "Met vrienden",
        "fr": "Avec des amis",
        "en": "With friends",
    }


def test_choice_lines_must_name_a_key_and_three_labels(client, sofie):
    survey = SurveyFactory()
    client.force_login(sofie)
    data = inline_data(survey, [question("multiple", 1, "alone | Alleen | Seul")])
    page = client.post(f"/admin/surveys/survey/{survey.pk}/change/", data)
    assert page.status_code == 200 and Question.objects.count() == 0
    assert "Regel 1: schrijf sleutel | Nederlands | Frans | Engels." in page.content.decode()
    with pytest.raises(ValidationError, match="twee keer"):
        text_to_choices("a | 1 | 2 | 3\na | 4 | 5 | 6")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_preview_shows_the_form_in_each_language_and_stores_nothing(client, sofie, language):
    survey = survey_with_every_kind()
    client.force_login(sofie)
    url = f"/admin/surveys/survey/{survey.pk}/preview/{language}/"
    html = client.get(url).content.decode()
    for item in survey.questions.all():
        assert item.text(language) in html
    checked = client.post(url, {f"q{survey.questions.get(kind='nps').pk}": "12"})
    assert checked.status_code == 200 and "has-error" in checked.content.decode()
    assert Response.objects.count() == 0


def test_a_survey_manager_sends_failed_invitations_again_from_the_admin(client, sofie):
    from tests.surveys.factories import InvitationFactory

    failed = InvitationFactory(state="failed", attempts=5, last_error="451")
    sent = InvitationFactory()
    client.force_login(sofie)
    response = client.post(
        "/admin/surveys/invitation/",
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert "1 uitnodiging opnieuw in de wachtrij" in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.state, sent.state) == ("pending", "sent")


def test_a_survey_and_its_questions_changed_in_the_admin_leave_their_old_and_new_values(
    client, sofie
):
    survey = SurveyFactory()
    kept = QuestionFactory(survey=survey, position=1, text_nl="Hoe vond je het?")
    dropped = QuestionFactory(survey=survey, position=2, kind="text", text_nl="Nog iets?")
    client.force_login(sofie)
    url = f"/admin/surveys/survey/{survey.pk}/change/"
    data = admin_form_data(client, url)
    data.update({"title_nl": "Hoe was het?", "questions-0-text_nl": "Hoe vond je het bezoek?"})
    data["questions-1-DELETE"] = "on"
    new = {f"questions-2-{field}": value for field, value in question("nps", 3).items()}
    data.update({**new, "questions-TOTAL_FORMS": "3"})

    assert client.post(url, data).status_code == 302

    rows = {entry.action: entry for entry in AuditEntry.objects.filter(actor=sofie)}
    assert set(rows) == {
        "surveys.survey_changed",
        "surveys.question_changed",
        "surveys.question_deleted",
        "surveys.question_created",
    }
    survey_row, changed = rows["surveys.survey_changed"], rows["surveys.question_changed"]
    assert (survey_row.old_values, survey_row.new_values) == (
        {"title_nl": "Hoe was je bezoek?"},
        {"title_nl": "Hoe was het?"},
    )
    assert changed.object_id == str(kept.pk)
    assert (changed.old_values, changed.new_values) == (
        {"text_nl": "Hoe vond je het?"},
        {"text_nl": "Hoe vond je het bezoek?"},
    )
    deleted = rows["surveys.question_deleted"]
    assert deleted.object_id == str(dropped.pk) and deleted.old_values["text_nl"] == "Nog iets?"
    assert rows["surveys.question_created"].new_values["text_nl"] == "Vraag 3"


def test_a_campaign_changed_in_the_admin_leaves_its_old_and_new_values(client, sofie):
    campaign = CampaignFactory(all_museums=True)
    museums = MuseumFactory.create_batch(2)
    client.force_login(sofie)
    url = f"/admin/surveys/campaign/{campaign.pk}/change/"
    data = admin_form_data(client, url)
    data.update(all_museums="", museums=[museum.pk for museum in museums])

    assert client.post(url, data).status_code == 302

    row = AuditEntry.objects.get(action="surveys.campaign_changed")
    assert row.actor == sofie and row.object_id == str(campaign.pk)
    assert row.old_values == {"all_museums": True, "museums": []}
    assert row.new_values == {"all_museums": False, "museums": [museum.pk for museum in museums]}
    assert set(campaign.museums.all()) == set(museums)


def test_a_question_is_named_in_the_readers_language():
    from django.utils import translation

    from tests.surveys.factories import QuestionFactory

    question = QuestionFactory(text_nl="Hoe was het?", text_fr="C'était comment ?", text_en="")
    with translation.override("fr"):
        assert str(question) == "C'était comment ?"
    with translation.override("en"):  # no English text: the Dutch one
        assert str(question) == "Hoe was het?"
    with translation.override("nl"):
        assert str(question) == "Hoe was het?"
