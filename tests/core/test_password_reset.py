"""Password reset by e-mail, end to end through the test SMTP server, and its throttle."""

import logging
import re

import pytest

from core.logging import RedactTokens
from core.models import AuditEntry
from tests.support.users import PASSWORD

NEW_PASSWORD = "a new and long passphrase 2026"


def reset_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    found = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", body)
    assert found, body
    return found.group(1)


def test_the_login_page_links_to_the_password_reset(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in page and "Wachtwoord vergeten?" in page


def test_a_user_resets_the_password_by_mail_and_logs_in_with_the_new_one(
    client, alice, smtp_settings, settings
):
    settings.SITE_URL = "https://backoffice.example.be"
    page = client.post("/accounts/password-reset/", {"email": "Alice@Example.be"})
    assert page.status_code == 302 and page["Location"] == "/accounts/password-reset/sent/"
    assert "Controleer je e-mail" in client.get(page["Location"]).content.decode()

    [message] = smtp_settings.messages
    assert message["To"] == "alice@example.be"
    assert "nieuw wachtwoord" in message["Subject"]
    assert "https://backoffice.example.be/accounts/reset/" in message.get_body().get_content()

    form = client.get(reset_link(message), follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert "Wachtwoord bewaard" in client.get(done["Location"]).content.decode()

    old = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert old.status_code == 200  # refused
    new = client.post("/accounts/login/", {"username": "alice", "password": NEW_PASSWORD})
    assert new.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.password_reset")
    assert entry.actor == alice and entry.object_id == str(alice.pk)


def test_a_reset_link_works_once(client, alice, smtp_settings):
    client.post("/accounts/password-reset/", {"email": "alice@example.be"})
    link = reset_link(smtp_settings.messages[0])
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Deze link werkt niet meer" in again and 'name="new_password1"' not in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, alice, smtp_settings):
    page = client.post("/accounts/password-reset/", {"email": "nobody@example.be"})
    assert page.status_code == 302 and page["Location"] == "/accounts/password-reset/sent/"
    assert smtp_settings.messages == []


@pytest.mark.parametrize("other_address", ["10.0.0.9", "127.0.0.1"])
def test_reset_mails_to_one_address_are_throttled(
    client, alice, smtp_settings, settings, other_address
):
    settings.ACCOUNTS_RESET_RATE_PER_EMAIL = "2/h"
    for _ in range(2):
        client.post("/accounts/password-reset/", {"email": "alice@example.be"})
    limited = client.post(
        "/accounts/password-reset/", {"email": " ALICE@example.be"}, REMOTE_ADDR=other_address
    )
    assert limited.status_code == 429 and "Te veel verzoeken" in limited.content.decode()
    assert len(smtp_settings.messages) == 2


def test_reset_requests_from_one_client_address_are_throttled(
    client, alice, bob, smtp_settings, settings
):
    settings.ACCOUNTS_RESET_RATE_PER_ADDRESS = "3/h"
    for address in ("a@example.be", "b@example.be", "alice@example.be"):
        assert client.post("/accounts/password-reset/", {"email": address}).status_code == 302
    assert client.post("/accounts/password-reset/", {"email": "bob@example.be"}).status_code == 429
    other = client.post(
        "/accounts/password-reset/", {"email": "bob@example.be"}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 302
    assert [message["To"] for message in smtp_settings.messages] == [
        "alice@example.be",
        "bob@example.be",
    ]


def test_the_reset_link_never_reaches_a_log_line(client, alice, smtp_settings):
    client.post("/accounts/password-reset/", {"email": "alice@example.be"})
    link = reset_link(smtp_settings.messages[0])
    form = client.get(link, follow=True)
    set_password = form.redirect_chain[-1][0]  # /accounts/reset/<user>/set-password/
    assert set_password.endswith("/set-password/")
    for path in (link, set_password, "/accounts/reset/done/"):
        record = logging.LogRecord(
            "django.server", logging.INFO, "", 0, '"GET %s HTTP/1.1" 200', (path,), None
        )
        RedactTokens().filter(record)
        expected = path if path.endswith("/done/") else "/accounts/reset/[link]/"
        assert record.getMessage() == f'"GET {expected} HTTP/1.1" 200'
