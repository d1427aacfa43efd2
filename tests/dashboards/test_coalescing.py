"""Refreshes queued after visits and sales: one per import, and one per museum and month while
it waits, which still counts every visit stored before it starts."""

import datetime

import pytest

from dashboards.models import DaySummary, MonthSummary
from dashboards.tasks import refresh_days
from museumpas import importing
from museumpas.importing import import_csv
from museumpas.services import museum_api_token_issue
from tests.museumpas.factories import HolderFactory, MuseumFactory

pytestmark = pytest.mark.django_db

VISITS_HEADER = "id,holder_id,museum_id,visited_at\n"
PASSES_HEADER = "id,holder_id,card_number,valid_from,valid_until,channel,museum_id,renewal,price\n"


@pytest.fixture
def queued(monkeypatch):
    """The refreshes queued, by their arguments, instead of sent to the broker."""
    calls: list[list] = []
    monkeypatch.setattr(refresh_days, "delay", lambda museum_days: calls.append(museum_days))
    return calls


def run(museum_days: list[list]) -> None:
    """What a worker does with a queued refresh (in this process)."""
    refresh_days.apply(args=[museum_days]).get()


def own_month(museum) -> MonthSummary:
    return MonthSummary.objects.get(museum=museum, age_group="", month=datetime.date(2026, 3, 1))


def test_an_import_of_visits_and_passes_in_one_month_queues_one_refresh(
    queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)  # three batches of visits, two of passes
    first, second = MuseumFactory(external_id="m1"), MuseumFactory(external_id="m2")
    HolderFactory(external_id="h1")
    visits = [
        VISITS_HEADER,
        "v1,h1,m1,2026-03-02T10:00:00+01:00\n",
        "v2,h1,m2,2026-03-02T11:00:00+01:00\n",
        "v3,h1,m1,2026-03-09T10:00:00+01:00\n",
        "v4,h1,m1,2026-03-20T10:00:00+01:00\n",
        "v5,h1,m2,2026-03-20T10:00:00+01:00\n",
    ]
    passes = [
        PASSES_HEADER,
        "p1,h1,1,2026-03-02,2027-03-01,museum,m1,false,65.00\n",
        "p2,h1,2,2026-03-20,2027-03-19,museum,m2,true,65.00\n",
        "p3,h1,3,2026-03-09,2027-03-08,museum,m1,false,65.00\n",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert import_csv("visits", visits).stored == 5
        assert import_csv("passes", passes).stored == 3
    assert len(queued) == 1
    march = ["2026-03-02", "2026-03-09", "2026-03-20"]
    assert sorted(queued[0]) == sorted(
        [[first.pk, day] for day in march] + [[second.pk, day] for day in march[::2]]
    )
    run(queued[0])
    assert (own_month(first).visits, own_month(first).passes_museum) == (3, 2)
    assert (own_month(second).visits, own_month(second).renewals) == (2, 1)


@pytest.fixture
def museum_client(client):
    museum = MuseumFactory()
    _token, key = museum_api_token_issue(museum=museum, actor=None)
    HolderFactory(external_id="pass-1")

    def post(visit_id: str, visited_at: str) -> None:
        response = client.post(
            "/api/museumpas/visits/",
            {"passholderId": "pass-1", "visitedAt": visited_at, "id": visit_id},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code == 201

    return museum, post


def test_two_api_visits_of_a_museum_in_one_month_queue_one_refresh_that_counts_both(
    queued, museum_client, django_capture_on_commit_callbacks
):
    museum, post = museum_client
    with django_capture_on_commit_callbacks(execute=True):
        post("v1", "2026-03-10T10:00:00+01:00")
    with django_capture_on_commit_callbacks(execute=True):
        post("v2", "2026-03-10T10:05:00+01:00")
    assert queued == [[[museum.pk, "2026-03-10"]]]
    run(queued[0])
    assert own_month(museum).visits == 2
    assert DaySummary.objects.get(museum=museum).visits == 2


def test_a_visit_after_the_refresh_started_queues_another(
    queued, museum_client, django_capture_on_commit_callbacks
):
    museum, post = museum_client
    with django_capture_on_commit_callbacks(execute=True):
        post("v1", "2026-03-10T10:00:00+01:00")
    run(queued[0])
    with django_capture_on_commit_callbacks(execute=True):
        post("v2", "2026-03-10T11:00:00+01:00")
    assert len(queued) == 2
    run(queued[1])
    assert own_month(museum).visits == 2


def test_a_visit_on_a_day_the_queued_refresh_leaves_out_queues_one_for_both_days(
    queued, museum_client, django_capture_on_commit_callbacks
):
    museum, post = museum_client
    with django_capture_on_commit_callbacks(execute=True):
        post("v1", "2026-03-10T10:00:00+01:00")
        post("v2", "2026-03-12T10:00:00+01:00")
        post("v3", "2026-03-12T11:00:00+01:00")
    assert len(queued) == 2
    assert sorted(queued[1]) == [[museum.pk, "2026-03-10"], [museum.pk, "2026-03-12"]]
    run(queued[1])  # the later refresh alone: it covers the first one's day too
    days = DaySummary.objects.filter(museum=museum).order_by("day")
    assert list(days.values_list("day", "visits")) == [
        (datetime.date(2026, 3, 10), 1),
        (datetime.date(2026, 3, 12), 2),
    ]


def test_a_refresh_that_could_not_be_queued_holds_back_no_other(
    monkeypatch, museum_client, django_capture_on_commit_callbacks
):
    museum, post = museum_client
    calls = []

    def broker_down(museum_days):
        calls.append(museum_days)
        raise ConnectionError("broker down")

    monkeypatch.setattr(refresh_days, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        post("v1", "2026-03-10T10:00:00+01:00")  # the hook logs the listener's error
        post("v2", "2026-03-10T11:00:00+01:00")
    assert calls == [[[museum.pk, "2026-03-10"]]] * 2
