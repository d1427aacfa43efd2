"""Through a real `celery worker` on the test database and Redis, to a real SMTP server."""

import datetime
import re
import time

import pytest
from django.test import Client
from django.utils import timezone

from surveys.models import Invitation, Response
from surveys.services.dispatch import surveys_dispatch
from surveys.services.sending import invitations_sweep
from tests.museumpas.factories import MuseumFactory, VisitFactory
from tests.surveys.factories import CampaignFactory, survey_with_every_kind

pytestmark = pytest.mark.worker
LINK = re.compile(r"https?://[^/\s]+(/s/[A-Za-z0-9_-]+/)")


def smtp_env(server, **extra) -> dict[str, str]:
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(server.port), **extra}


def due_visits(count: int) -> list:
    museum = MuseumFactory(name="MSK Gent")
    visited = timezone.now() - datetime.timedelta(days=2)
    return [VisitFactory(museum=museum, visited_at=visited) for _ in range(count)]


def wait_until(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def states() -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in Invitation.objects.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def test_from_visits_to_mail_to_a_stored_response(celery_worker_process, smtp_server):
    celery_worker_process(extra_env=smtp_env(smtp_server))
    survey = survey_with_every_kind()
    CampaignFactory(survey=survey)
    due_visits(4)

    assert surveys_dispatch().created == 4
    messages = smtp_server.wait_for(4)
    assert len(messages) == 4
    assert wait_until(lambda: states() == {"sent": 4})

    message = messages[0]
    assert "MSK Gent" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    path = LINK.search(text).group(1)
    browser = Client()
    assert browser.get(path).status_code == 200
    questions = {q.kind: q for q in survey.questions.all()}
    answers = {
        f"q{questions['nps'].pk}": "10",
        f"q{questions['rating'].pk}": "5",
        f"q{questions['single'].pk}": "alone",
        f"q{questions['multiple'].pk}": ["friends"],
    }
    assert browser.post(path, answers).status_code == 302
    response = Response.objects.get()
    assert response.invitation.holder.email == message["To"]
    assert response.answers.get(question=questions["nps"]).number == 10

    assert surveys_dispatch().created == 0
    time.sleep(1.5)
    assert len(smtp_server.messages) == 4


def test_a_worker_killed_mid_chunk_then_restarted_sends_every_invitation_once(
    celery_worker_process, holding_smtp_server, settings
):
    settings.SURVEYS_SEND_CHUNK_SIZE = 10
    env = smtp_env(holding_smtp_server, SURVEYS_SEND_CHUNK_SIZE="10")
    worker = celery_worker_process(extra_env=env)
    CampaignFactory()
    due_visits(30)
    holding_smtp_server.hold_after(5)

    surveys_dispatch()
    # Both pool processes are now blocked inside a chunk, each on a message the server holds.
    assert wait_until(lambda: holding_smtp_server.held >= 2)
    worker.kill()
    assert len(holding_smtp_server.messages) == 5
    # Both chunks are claimed whole; 5 of their 20 invitations went out.
    assert states().get("sending") == 15
    holding_smtp_server.release()

    # The killed worker's messages stay unacknowledged in Redis for the visibility timeout
    # (an hour); the periodic sweep finds their invitations long before. The third chunk, never
    # delivered, is still queued too: the new worker gets it twice, and must send it once.
    swept = invitations_sweep(stale_after=datetime.timedelta(0))
    assert swept.reclaimed == 15 and swept.requeued == 25
    celery_worker_process(extra_env=env)
    assert wait_until(lambda: states() == {"sent": 30}, timeout=60)
    time.sleep(1.5)  # anything sent twice would arrive meanwhile
    recipients = [message["To"] for message in holding_smtp_server.messages]
    assert len(recipients) == 30 and len(set(recipients)) == 30


def test_smtp_refusing_for_a_while_is_retried_with_backoff_then_sent(
    celery_worker_process, smtp_server
):
    celery_worker_process(extra_env=smtp_env(smtp_server, SURVEYS_RETRY_BASE_SECONDS="1"))
    CampaignFactory()
    due_visits(3)
    smtp_server.refuse(2)
    surveys_dispatch()
    assert wait_until(lambda: states() == {"sent": 3})
    assert len(smtp_server.messages) == 3
    attempts = sorted(Invitation.objects.values_list("attempts", flat=True))
    assert attempts == [1, 2, 2]


def test_smtp_refusing_for_good_marks_invitations_failed_and_lists_them(
    celery_worker_process, smtp_server, sofie
):
    env = smtp_env(smtp_server, SURVEYS_RETRY_BASE_SECONDS="1", SURVEYS_SEND_MAX_ATTEMPTS="3")
    celery_worker_process(extra_env=env)
    campaign = CampaignFactory()
    due_visits(2)
    smtp_server.refuse(-1)
    surveys_dispatch()
    assert wait_until(lambda: states() == {"failed": 2}, timeout=45)
    assert set(Invitation.objects.values_list("attempts", flat=True)) == {3}
    assert smtp_server.messages == []

    browser = Client()
    browser.force_login(sofie)
    page = browser.get(f"/surveys/campaigns/{campaign.pk}/").content.decode()
    assert page.count('class="failure"') == 2 and "451" in page
