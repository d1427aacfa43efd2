"""The home page: each role's daily entry points, and what needs attention."""

import pytest
from django.utils import timezone

from core.models import User
from tests.curation.factories import QueueFactory, TaskFactory
from tests.dashboards.factories import member
from tests.museumpas.factories import MuseumFactory
from tests.surveys.factories import CampaignFactory, InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return User.objects.create_user("ada", password="x", is_staff=True, is_superuser=True)


def sections(client) -> dict:
    page = client.get("/")
    assert page.status_code == 200
    return {section.title: section for section in page.context["sections"]}


def test_a_curator_sees_each_queue_with_its_open_tasks(client, alice):
    queue = QueueFactory(name="Familie-aanbod")
    TaskFactory.create_batch(3, queue=queue)
    client.force_login(alice)
    found = sections(client)
    assert set(found) == {"Curatie", "Dashboards", "UiTPAS", "Publicatiekanalen"}
    link = next(link for link in found["Curatie"].links if link.label == "Familie-aanbod")
    assert link.count == 3 and link.url == f"/curation/queues/{queue.slug}/"
    assert "Familie-aanbod" in client.get("/").content.decode()


def test_a_survey_manager_sees_running_campaigns_and_failed_invitations(client, sofie):
    running = CampaignFactory(name="Na je bezoek")
    InvitationFactory.create_batch(2, campaign=running, state="failed")
    CampaignFactory(name="Oude campagne", active=False)
    client.force_login(sofie)
    found = sections(client)
    assert [link.label for link in found["Bevragingen"].links][1:] == ["Na je bezoek"]
    [failed] = found["Bevragingen"].attention
    assert failed.count == 2 and failed.url == f"/surveys/campaigns/{running.pk}/"
    html = client.get("/").content.decode()
    assert "Na je bezoek: 2 uitnodigingen mislukt" in html
    assert "Beheer" not in found  # the admin's section is the administrators'


def test_a_museum_user_sees_their_museums_dashboards_only(client, charlie):
    mas = MuseumFactory(name="MAS")
    MuseumFactory(name="MSK Gent")
    member(charlie, mas)
    client.force_login(charlie)
    found = sections(client)
    assert list(found) == ["Dashboards"]
    assert [(link.label, link.url) for link in found["Dashboards"].links] == [
        ("MAS", f"/dashboards/museums/{mas.pk}/")
    ]
    assert "Niets vraagt nu aandacht." in client.get("/").content.decode()


def test_the_administrator_is_told_the_import_is_off_until_configured(client, ada, settings):
    settings.UITDATABANK_SEARCH_URL = ""
    client.force_login(ada)
    found = sections(client)
    assert list(found) == [
        "Curatie",
        "Bevragingen",
        "Dashboards",
        "UiTPAS",
        "Publicatiekanalen",
        "Beheer",
    ]
    attention = [link.label for link in found["Beheer"].attention]
    assert attention == [
        "“Evenementen importeren uit UiTdatabank” staat uit tot UITDATABANK_SEARCH_URL is ingesteld"
    ]


def test_the_administrator_sees_login_lock_outs(client, ada, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="alice",
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    client.force_login(ada)
    labels = [link.label for link in sections(client)["Beheer"].attention]
    assert "1 aanmelding geblokkeerd" in labels


def test_the_home_page_takes_a_fixed_number_of_queries(client, ada, django_assert_max_num_queries):
    for index in range(4):
        queue = QueueFactory()
        TaskFactory(queue=queue)
        InvitationFactory(campaign=CampaignFactory(), state="failed")
        MuseumFactory(name=f"Museum {index}")
    client.force_login(ada)
    with django_assert_max_num_queries(12):
        client.get("/")
