"""From a museum's visit API call to its dashboard, through a real Celery worker on Redis."""

import time

import pytest
from django.urls import reverse

from dashboards.models import MonthSummary
from museumpas.services import museum_api_token_issue
from tests.dashboards.factories import member
from tests.museumpas.factories import HolderFactory, MuseumFactory

pytestmark = pytest.mark.worker


def wait_until(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_visits_posted_by_a_museum_show_on_its_dashboard(celery_worker_process, client, charlie):
    celery_worker_process()
    museum = MuseumFactory()
    member(charlie, museum)
    HolderFactory(external_id="pass-1")
    _token, key = museum_api_token_issue(museum=museum, actor=None)
    for number in range(3):
        response = client.post(
            "/api/museumpas/visits/",
            {
                "passholderId": "pass-1",
                "visitedAt": "2026-03-10T10:00:00+01:00",
                "id": f"v{number}",
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code == 201

    def counted():
        row = MonthSummary.objects.filter(museum=museum, age_group="").first()
        return row is not None and row.visits == 3

    assert wait_until(counted)
    client.force_login(charlie)
    body = client.get(
        reverse("dashboards_api:museum-dashboard", args=[museum.pk]), {"from": "2026-03"}
    ).json()
    assert body["tables"]["visits"]["rows"][0]["values"] == [3]
