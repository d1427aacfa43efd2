"""The Content-Security-Policy: scripts only from our own files, on every page but two."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.users import PASSWORD, make_user
from tests.surveys.factories import invitation_with_link

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_allow_scripts_from_our_own_files_only(client, alice):
    client.force_login(alice)
    for path in ("/accounts/login/", "/", "/curation/", "/admin/login/"):
        policy = directives(client.get(path))
        assert policy["script-src"][0] == "'self'"
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_the_survey_pages_and_the_api_carry_it_too(client):
    _invitation, token = invitation_with_link()
    assert "script-src 'self'" in client.get(f"/s/{token}/")["Content-Security-Policy"]
    assert "Content-Security-Policy" in client.get("/api/schema/")


@pytest.mark.browser
def test_no_page_breaks_a_rule_of_the_policy_in_chromium(page, live_server):
    make_user("ada", is_staff=True, is_superuser=True)
    _invitation, token = invitation_with_link()
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )

    page.goto(f"/s/{token}/")
    expect(page.locator("form.survey-form")).to_be_visible()
    log_in(page, "ada", PASSWORD)
    # The language switch submits with an inline handler, allowed by its hash.
    page.select_option("#language-select", "fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    pages = (
        "/admin/",
        "/admin/events/event/",
        "/curation/statistics/",
        "/surveys/",
        "/dashboards/",
    )
    for path in pages:
        response = page.goto(path)
        assert response.status == 200 and "content-security-policy" in response.headers

    assert refused == []
