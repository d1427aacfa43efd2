import datetime
import logging

import pytest
from django.utils import timezone

from core.logging import RedactTokens
from surveys.models import Answer, Invitation, OptOut, Response
from surveys.services.tokens import new_token, unsubscribe_token
from tests.museumpas.factories import HolderFactory, VisitFactory
from tests.surveys.factories import invitation_with_link

pytestmark = pytest.mark.django_db


def unsubscribe_path(path: str) -> str:
    """The unsubscribe link the mail with survey link `path` carries."""
    return f"/s/{unsubscribe_token(path.split('/')[2])}/unsubscribe/"


def questions(invitation):
    return {q.kind: q for q in invitation.campaign.survey.questions.all()}


def full_answers(invitation) -> dict:
    q = questions(invitation)
    return {
        f"q{q['nps'].pk}": "9",
        f"q{q['rating'].pk}": "4",
        f"q{q['single'].pk}": "friends",
        f"q{q['multiple'].pk}": ["alone", "family"],
        f"q{q['text'].pk}": "Mooie tentoonstelling",
    }


def test_the_form_shows_the_museum_and_the_visit_date_in_the_holders_language(client, link):
    invitation, path = link
    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert invitation.museum.name in html and "14 maart 2026" in html
    assert '<html lang="nl">' in html
    for question in questions(invitation).values():
        assert question.text_nl in html


@pytest.mark.parametrize(("language", "date"), [("fr", "14 mars 2026"), ("en", "March 14, 2026")])
def test_the_survey_switches_to_french_and_english(client, link, language, date):
    invitation, path = link
    html = client.get(f"{path}?lang={language}").content.decode()
    assert f'<html lang="{language}">' in html and date in html
    assert invitation.campaign.survey.title(language) in html
    for question in questions(invitation).values():
        assert question.text(language) in html


def test_a_holder_whose_language_is_french_gets_french(client):
    _invitation, token = invitation_with_link(
        visit=VisitFactory(holder=HolderFactory(language="fr")), language="fr"
    )
    assert '<html lang="fr">' in client.get(f"/s/{token}/").content.decode()


def test_public_pages_send_no_referrer_and_are_not_stored(client, link):
    _invitation, path = link
    for response in (client.get(path), client.get("/s/unknown-token-000000000/")):
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cache-Control"] == "no-store"


def test_an_unknown_link_is_a_plain_404(client, db):
    response = client.get(f"/s/{new_token()[0]}/")
    assert response.status_code == 404


def test_opening_the_link_records_nothing(client, link):
    invitation, path = link
    for _ in range(3):
        client.get(path)
        client.get(unsubscribe_path(path))
    invitation.refresh_from_db()
    assert invitation.state == "sent" and invitation.responded_at is None
    assert Response.objects.count() == 0 and OptOut.objects.count() == 0


def test_submitting_stores_one_response_with_one_answer_row_per_question(client, link):
    invitation, path = link
    response = client.post(path, full_answers(invitation))
    assert response.status_code == 302
    thanks = client.get(response["Location"]).content.decode()
    assert "Bedankt" in thanks or "Thank you" in thanks
    stored = Response.objects.get()
    assert stored.invitation == invitation and stored.museum == invitation.museum
    assert stored.visit_month == datetime.date(2026, 3, 1)
    assert (stored.language, stored.region, stored.age_group) == ("nl", "flanders", "46-55")
    q = questions(invitation)
    by_question = {answer.question_id: answer for answer in Answer.objects.all()}
    assert by_question[q["nps"].pk].number == 9
    assert by_question[q["rating"].pk].number == 4
    assert by_question[q["single"].pk].choice_keys == ["friends"]
    assert by_question[q["multiple"].pk].choice_keys == ["alone", "family"]
    assert by_question[q["text"].pk].text == "Mooie tentoonstelling"
    invitation.refresh_from_db()
    assert invitation.state == "responded"


def test_an_optional_question_left_empty_stores_no_answer_row(client, link):
    invitation, path = link
    answers = full_answers(invitation)
    del answers[f"q{questions(invitation)['text'].pk}"]
    client.post(path, answers)
    assert Answer.objects.count() == 4


def test_an_answered_link_says_so_and_stores_nothing_more(client, link):
    invitation, path = link
    client.post(path, full_answers(invitation))
    again = client.post(path, full_answers(invitation))
    assert again.status_code == 409 and Response.objects.count() == 1
    page = client.get(path).content.decode()
    assert "al beantwoord" in page and "Bedankt" not in page


def test_an_expired_link_shows_a_clear_page(client, link):
    invitation, path = link
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    page = client.get(path)
    assert page.status_code == 410
    assert "afgesloten" in page.content.decode()
    assert client.post(path, full_answers(invitation)).status_code == 410
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("nps", "", "Beantwoord deze vraag"),
        ("nps", "11", "Kies een getal van 0 tot 10"),
        ("nps", "-1", "Kies een getal van 0 tot 10"),
        ("rating", "0", "Kies een getal van 1 tot 5"),
        ("rating", "six", "Kies een getal van 1 tot 5"),
        ("single", "cousins", "Kies een van de mogelijkheden"),
        ("multiple", ["alone", "cousins"], "Kies uit de getoonde mogelijkheden"),
        ("text", "x" * 2001, "2000"),
    ],
)
def test_each_kind_of_question_refuses_missing_or_out_of_range_answers(
    client, link, kind, value, message
):
    invitation, path = link
    answers = full_answers(invitation)
    answers[f"q{questions(invitation)[kind].pk}"] = value
    page = client.post(path, answers)
    html = page.content.decode()
    assert page.status_code == 200 and message in html
    assert 'role="alert"' in html and "has-error" in html
    assert Response.objects.count() == 0


def test_a_required_choice_question_must_be_answered(client, link):
    invitation, path = link
    q = questions(invitation)
    q["multiple"].required = True
    q["multiple"].save()
    answers = full_answers(invitation)
    del answers[f"q{q['multiple'].pk}"]
    assert "Kies minstens één mogelijkheid" in client.post(path, answers).content.decode()


def test_errors_are_shown_in_the_language_of_the_page(client, link):
    invitation, path = link
    answers = full_answers(invitation)
    answers[f"q{questions(invitation)['nps'].pk}"] = "12"
    answers["lang"] = "fr"
    assert "Choisissez un nombre de 0 à 10" in client.post(path, answers).content.decode()


def test_the_one_click_unsubscribe_post_opts_out_of_every_survey(client, link):
    invitation, path = link
    response = client.post(unsubscribe_path(path), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert OptOut.objects.get().museum is None
    invitation.refresh_from_db()
    assert invitation.state == "opted_out"
    assert client.get(path).status_code == 200  # the survey link now says "unsubscribed"
    assert Response.objects.count() == 0


def test_the_unsubscribe_page_offers_this_museum_or_everything(client, link):
    invitation, path = link
    page = client.get(unsubscribe_path(path)).content.decode()
    assert invitation.museum.name in page and 'value="museum"' in page and 'value="all"' in page
    client.post(unsubscribe_path(path), {"scope": "museum"})
    assert OptOut.objects.get().museum == invitation.museum


def test_an_answered_invitation_stays_answered_after_an_opt_out(client, link):
    invitation, path = link
    client.post(path, full_answers(invitation))
    client.post(unsubscribe_path(path), {"scope": "all"})
    invitation.refresh_from_db()
    assert invitation.state == "responded" and OptOut.objects.count() == 1


def test_link_lookups_and_submissions_are_rate_limited_per_address(client, link, settings):
    settings.SURVEYS_RATE_LOOKUPS = "5/m"
    _invitation, path = link
    statuses = [client.get(f"/s/{new_token()[0]}/").status_code for _ in range(5)]
    assert statuses == [404] * 5
    assert client.get(path).status_code == 429
    assert client.get(path, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_submissions_have_their_own_lower_limit(client, link, settings):
    settings.SURVEYS_RATE_SUBMITS = "2/m"
    _invitation, path = link
    assert [client.post(path, {}).status_code for _ in range(3)] == [200, 200, 429]


def test_the_token_never_reaches_a_log_line(link):
    _invitation, path = link
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Not Found: %s", (path,), None
    )
    RedactTokens().filter(record)
    assert record.getMessage() == "Not Found: /s/[token]/"
    unsubscribe = logging.LogRecord(
        "django.server",
        logging.INFO,
        "",
        0,
        '"POST %s HTTP/1.1" 200',
        (unsubscribe_path(path),),
        None,
    )
    RedactTokens().filter(unsubscribe)
    assert unsubscribe.getMessage() == '"POST /s/[token]/unsubscribe/ HTTP/1.1" 200'


def test_the_unsubscribe_link_has_a_token_of_its_own_that_cannot_answer_the_survey(client, link):
    # A mail provider's one-click POST holds the unsubscribe link: it must not answer for the
    # holder, and the survey link's token must not stand in for it either.
    invitation, path = link
    own_token = unsubscribe_path(path).split("/")[2]
    assert own_token != path.split("/")[2]
    assert client.get(f"/s/{own_token}/").status_code == 404
    assert client.post(f"/s/{own_token}/", full_answers(invitation)).status_code == 404
    assert client.post(path + "unsubscribe/", {"scope": "all"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == "sent"
    assert Response.objects.count() == 0 and OptOut.objects.count() == 0
