"""One mail confirms an opt-out, in the holder's language, with the way back: the link to
subscribe again. Sent by a Celery task over SMTP, here to the suite's loopback server."""

import pytest
from django.conf import settings

from museumpas.models import Holder
from publiq_backoffice.celery import app
from surveys.models import OptOut
from tests.surveys.test_public import unsubscribe_path
from tests.surveys.test_public_states import resubscribe_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def unsubscribe(client, eager_tasks, smtp_settings, django_capture_on_commit_callbacks):
    def post(path: str, data: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(unsubscribe_path(path), data)

    return post


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_an_opt_out_is_confirmed_in_the_holders_language_with_a_way_back(
    client, link, unsubscribe, smtp_settings
):
    invitation, path = link
    invitation.language = "fr"
    invitation.save(update_fields=["language"])
    unsubscribe(path, {"scope": "museum"})

    [message] = smtp_settings.wait_for(1)
    assert message["To"] == invitation.holder.email
    assert message["Subject"] == "Vous êtes désinscrit"
    text = body(message)
    assert f"Vous ne recevrez plus d'enquêtes sur {invitation.museum.name}." in text
    assert "Changé d'avis ? Un clic et vous recevez à nouveau nos enquêtes." in text
    assert settings.SITE_URL + resubscribe_path(path) in text

    client.post(resubscribe_path(path))  # the mail's link, then the page's one button
    assert OptOut.objects.count() == 0


def test_an_opt_out_of_every_survey_says_so_in_dutch(link, unsubscribe, smtp_settings):
    _invitation, path = link
    unsubscribe(path, {"scope": "all"})
    [message] = smtp_settings.wait_for(1)
    assert message["Subject"] == "Je bent afgemeld"
    assert "Je krijgt geen bevragingen meer van museumPASSmusées." in body(message)


def test_a_second_click_and_a_mail_clients_one_click_send_no_second_mail(
    link, unsubscribe, smtp_settings
):
    _invitation, path = link
    unsubscribe(path, {"List-Unsubscribe": "One-Click"})
    unsubscribe(path, {"List-Unsubscribe": "One-Click"})
    unsubscribe(path, {"scope": "all"})
    assert len(smtp_settings.wait_for(2, timeout=1)) == 1


def test_an_erased_holder_gets_no_mail(link, unsubscribe, smtp_settings):
    invitation, path = link
    Holder.objects.filter(pk=invitation.holder_id).update(email="")
    unsubscribe(path, {"scope": "all"})
    assert OptOut.objects.count() == 1
    assert smtp_settings.wait_for(1, timeout=1) == []
