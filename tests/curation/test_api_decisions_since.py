"""`?since=` of the decisions API takes any ISO 8601 moment Python reads: offsets beyond 15:59,
which PostgreSQL refuses, filter like any other; a moment outside years 1 to 9999 in UTC is a
400 (issue 17, point 4)."""

import datetime

import pytest
from django.utils import timezone

from curation.models import Decision, TaskState
from tests.curation.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, alice):
    client.force_login(alice)
    return client


def decided_at(moment: datetime.datetime, curator) -> Decision:
    task = TaskFactory(state=TaskState.DECIDED)
    return Decision.objects.create(
        task=task, event=task.event, queue_kind="confirm", curator=curator, decided_at=moment
    )


def test_an_offset_beyond_15_59_filters_as_the_same_moment_in_utc(api, alice):
    decided_at(datetime.datetime(2025, 12, 31, 6, 0, tzinfo=datetime.UTC), alice)
    later = decided_at(datetime.datetime(2025, 12, 31, 6, 10, tzinfo=datetime.UTC), alice)

    # 2026-01-01 00:00 at +17:55 is 2025-12-31 06:05 UTC.
    response = api.get("/api/curation/decisions/", {"since": "2026-01-01T00:00:00+17:55"})

    assert response.status_code == 200
    assert [row["event"] for row in response.json()["results"]] == [later.event.udb_id]


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_moment_beyond_the_years_postgresql_and_python_share_is_a_400(api, since):
    response = api.get("/api/curation/decisions/", {"since": since})

    assert response.status_code == 400 and "since" in response.json()


def test_a_moment_without_offset_is_brussels_time(api, alice):
    decided_at(timezone.make_aware(datetime.datetime(2026, 3, 1, 10, 0)), alice)

    assert (
        len(api.get("/api/curation/decisions/", {"since": "2026-03-01T09:59"}).json()["results"])
        == 1
    )
    assert (
        api.get("/api/curation/decisions/", {"since": "2026-03-01T10:01"}).json()["results"] == []
    )
