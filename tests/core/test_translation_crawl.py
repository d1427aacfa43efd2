"""Every page and admin page in Dutch, as each role sees it: no English string from the list
below may show. The list grows with every English string found on screen."""

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.support.users import make_user

pytestmark = pytest.mark.django_db

# Whole words or phrases, matched in the page's visible text and its title attributes.
ENGLISH = [
    "Access attempts",
    "Access attempt",
    "Access failures",
    "Access logs",
    "Periodic tasks",
    "Periodic task",
    "Intervals",
    "Crontabs",
    "Clocked",
    "Solar events",
    "Task results",
    "Enable selected tasks",
    "Disable selected tasks",
    "Toggle activity of selected tasks",
    "Run selected tasks",
    "Last run",
    "Enabled",
    "One-off",
    "per day",
    "Save and add another",
    "Select all",
    "Search",
    "Add ",
    "None",
    "True",
    "False",
    # The default schedules, as periodic tasks on the admin's list (created at migrate).
    "Import events from UiTdatabank",
    "Build review queues",
    "Clear expired sessions",
    "Same as",
    "Created disabled",
]
_TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def visible_text(html: str) -> str:
    titles = " ".join(re.findall(r'title="([^"]*)"', html))
    return _TAGS.sub(" ", html) + " " + titles


def english_on(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        for view in ("changelist", "add"):
            try:
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}"))
            except NoReverseMatch:
                continue
    return urls


PAGES = [
    "/",
    "/curation/",
    "/surveys/",
    "/surveys/editor/surveys/new/",
    "/surveys/editor/campaigns/new/",
    "/dashboards/",
    "/dashboards/staff/",
    "/dashboards/staff/comparison/",
    "/channels/staff/",
    "/channels/list/",
]


def test_every_page_shows_dutch_only_to_each_role(client):
    users = [
        make_user("ada", is_staff=True, is_superuser=True),
        make_user("alice", "curator"),
        make_user("sofie", "survey manager", is_staff=True),
        make_user("charlie", "museum"),
    ]
    found = {}
    for user in users:
        client.force_login(user)
        client.cookies["django_language"] = "nl"
        for url in PAGES + (admin_urls() if user.is_staff else []):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            words = english_on(visible_text(response.content.decode()))
            if words:
                found[f"{user.username} {url}"] = words
    # Each page with the English it shows, to add to a catalogue.
    assert found == {}
