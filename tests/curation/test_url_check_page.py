"""The URL check's result on the task page: in the reader's language, fetched without a reload."""

import pytest
from django.utils import timezone

from curation import tasks
from curation.models import QueueKind, Task, UrlCheck
from curation.services.queues import task_claim_next
from curation.url_check_reasons import url_check_reason
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(alice):
    queue = QueueFactory(kind=QueueKind.VIRTUAL)
    Task.objects.create(queue=queue, event=EventFactory(online_url="https://nergens.invalid/"))
    return task_claim_next(queue=queue, curator=alice)


def check(task, error):
    UrlCheck.objects.create(
        event_id=task.event_id,
        url=task.event.online_url,
        checked_at=timezone.now(),
        ok=False,
        error=error,
    )


@pytest.mark.parametrize(
    ("error", "dutch"),
    [
        ("nergens.invalid does not resolve: Name or service not known", "bestaat niet"),
        ("more than 5 redirects", "meer dan 5 doorverwijzingen"),
        ("no answer within 10 s", "geen antwoord binnen 10 seconden"),
        ("connection refused", "weigerde de verbinding"),
        ("x.be resolves to 10.0.0.1, an internal address: refused", "intern adres (10.0.0.1)"),
    ],
)
def test_the_reason_is_given_in_the_readers_language(client, alice, task, error, dutch):
    check(task, error)
    client.force_login(alice)
    page = client.get(f"/curation/tasks/{task.pk}/url-check/").content.decode()
    assert dutch in page


def test_an_unknown_error_is_shown_as_it_came():
    assert url_check_reason("BadStatusLine: x") == "BadStatusLine: x"


def test_check_now_by_script_answers_202_and_queues_the_check(client, alice, task, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.check_event_url, "delay", queued.append)
    client.force_login(alice)
    response = client.post(f"/curation/tasks/{task.pk}/check-url/", HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 202 and queued == [task.event_id]


def test_the_fragment_needs_a_curator(client, charlie, task):
    client.force_login(charlie)
    assert client.get(f"/curation/tasks/{task.pk}/url-check/").status_code == 403
