"""`?modified_since=` on /api/events/: any ISO 8601 moment is a filter or a 400, never a 500."""

import datetime

import pytest

from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice, client):
    client.force_login(alice)
    return client


@pytest.mark.parametrize(
    "moment", ["2026-01-12T12:00:00+16:00", "2026-01-12T12:00:00-17:55", "2026-01-12T12:00+23:59"]
)
def test_an_offset_postgresql_refuses_is_handed_over_in_utc(api, moment):
    EventFactory(modified=datetime.datetime(2026, 1, 12, 10, tzinfo=datetime.UTC))
    response = api.get("/api/events/", {"modified_since": moment})
    assert response.status_code == 200
    expected = datetime.datetime.fromisoformat(moment) <= datetime.datetime(
        2026, 1, 12, 10, tzinfo=datetime.UTC
    )
    assert len(response.json()["results"]) == int(expected)


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_moment_beyond_the_years_1_to_9999_in_utc_is_a_400(api, moment):
    response = api.get("/api/events/", {"modified_since": moment})
    assert response.status_code == 400 and "modified_since" in response.json()
