"""Honest link states: a second tab is told its answers were not stored; a holder who
unsubscribed can subscribe again from the same link, with one click, and it is audited."""

import pytest
from django.utils import timezone

from core.models import AuditEntry
from surveys.models import Answer, Invitation, OptOut, Response
from surveys.services.tokens import unsubscribe_token
from tests.surveys.test_public import full_answers, unsubscribe_path

pytestmark = pytest.mark.django_db


def resubscribe_path(path: str) -> str:
    return f"/s/{unsubscribe_token(path.split('/')[2])}/resubscribe/"


def test_the_first_submission_is_thanked(client, link):
    invitation, path = link
    stored = client.post(path, full_answers(invitation))
    page = client.get(stored["Location"]).content.decode()
    assert "Bedankt" in page and "al beantwoord" not in page


def test_a_second_tab_is_told_its_answers_were_not_stored(client, link):
    invitation, path = link
    # Both tabs loaded the form; the first one sends.
    assert client.get(path).status_code == 200
    client.post(path, full_answers(invitation))
    answers = full_answers(invitation)
    answers[next(key for key in answers if answers[key] == "Mooie tentoonstelling")] = "Tab 2"
    second = client.post(path, answers)
    html = second.content.decode()
    assert second.status_code == 409
    assert "al beantwoord" in html and "niet bewaard" in html
    assert "Bedankt" not in html
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(text="Tab 2").exists()


def test_a_second_tab_with_an_invalid_form_gets_the_same_page(client, link):
    invitation, path = link
    client.post(path, full_answers(invitation))
    second = client.post(path, {})
    assert second.status_code == 409 and "niet bewaard" in second.content.decode()
    assert Response.objects.count() == 1


def test_reopening_an_answered_link_says_already_answered_not_thank_you(client, link):
    invitation, path = link
    client.post(path, full_answers(invitation))
    page = client.get(path).content.decode()
    assert "al beantwoord" in page and "Bedankt" not in page and "niet bewaard" not in page


def test_the_unsubscribed_page_offers_to_subscribe_again(client, link):
    _invitation, path = link
    page = client.post(unsubscribe_path(path), {"scope": "all"}).content.decode()
    assert f'action="{resubscribe_path(path)}"' in page
    assert "Opnieuw inschrijven" in page


def test_one_click_subscribes_again_reopens_the_survey_and_is_audited(client, link):
    invitation, path = link
    client.post(unsubscribe_path(path), {"scope": "museum"})
    invitation.refresh_from_db()
    assert invitation.state == "opted_out"
    page = client.post(resubscribe_path(path))
    assert page.status_code == 200 and "opnieuw ingeschreven" in page.content.decode()
    assert OptOut.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.state == "sent" and invitation.finished_at is None
    assert client.get(path).status_code == 200  # the survey can be answered again
    entry = AuditEntry.objects.get(action="surveys.resubscribed")
    assert entry.object_id == str(invitation.holder_id)
    assert entry.old_values == {"opt_outs": [f"museum:{invitation.museum_id}"]}
    assert entry.new_values == {"opt_outs": []}


def test_subscribing_again_twice_leaves_one_audit_row(client, link):
    _invitation, path = link
    client.post(unsubscribe_path(path), {"scope": "all"})
    client.post(resubscribe_path(path))
    client.post(resubscribe_path(path))
    assert AuditEntry.objects.filter(action="surveys.resubscribed").count() == 1


def test_opening_the_resubscribe_link_changes_nothing(client, link):
    # Mail providers follow links: only the button's POST subscribes again.
    _invitation, path = link
    client.post(unsubscribe_path(path), {"scope": "all"})
    page = client.get(resubscribe_path(path))
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert OptOut.objects.count() == 1


def test_an_expired_invitation_is_not_reopened(client, link):
    invitation, path = link
    client.post(unsubscribe_path(path), {"scope": "all"})
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.post(resubscribe_path(path))
    invitation.refresh_from_db()
    assert invitation.state == "opted_out" and OptOut.objects.count() == 0


def test_the_survey_token_cannot_subscribe_again(client, link):
    _invitation, path = link
    client.post(unsubscribe_path(path), {"scope": "all"})
    assert client.post(path + "resubscribe/").status_code == 404
    assert OptOut.objects.count() == 1
