"""Hooks for derived data: fired after the commit of what they announce."""

import datetime

import pytest

from museumpas import importing
from museumpas.hooks import passes_stored, visits_stored
from museumpas.importing import import_csv
from tests.museumpas.factories import HolderFactory, MuseumFactory

PASSES = (
    "id,holder_id,card_number,valid_from,valid_until,channel,museum_id,renewal,price\n"
    "p1,h1,1,2026-03-02,2027-03-01,museum,m1,false,65.00\n"
    "p2,h1,2,2026-03-05,2027-03-04,online,,true,65.00\n"
)


def _recorded(hook):
    calls = []

    def record(**payload):
        calls.append(payload)

    hook.register(record)
    yield calls
    hook.listeners.remove(record)


@pytest.fixture
def listener():
    yield from _recorded(passes_stored)


@pytest.fixture
def visits_listener():
    yield from _recorded(visits_stored)


VISITS = [
    "id,holder_id,museum_id,visited_at\n",
    "v1,h1,m1,2026-03-02T10:00:00+01:00\n",
    "v2,h1,m1,2026-03-31T23:30:00+02:00\n",  # the local day: the hook speaks local days
    "v3,h1,m2,2026-04-01T09:00:00+02:00\n",
]


@pytest.mark.django_db
def test_passes_sold_by_a_museum_are_announced_once_committed(
    listener, django_capture_on_commit_callbacks
):
    museum = MuseumFactory(external_id="m1")
    HolderFactory(external_id="h1")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = import_csv("passes", PASSES.splitlines(keepends=True))
    assert report.stored == 2
    assert listener == []  # nothing before the commit
    for callback in callbacks:
        callback()
    # The pass sold online by no museum belongs to no museum's day.
    assert listener == [{"museum_days": {(museum.pk, datetime.date(2026, 3, 2))}}]


@pytest.mark.django_db
def test_an_import_announces_the_museum_days_of_all_its_batches_once(
    visits_listener, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    first, second = MuseumFactory(external_id="m1"), MuseumFactory(external_id="m2")
    HolderFactory(external_id="h1")
    with django_capture_on_commit_callbacks(execute=True):
        assert import_csv("visits", VISITS).stored == 3
    assert visits_listener == [
        {
            "museum_days": {
                (first.pk, datetime.date(2026, 3, 2)),
                (first.pk, datetime.date(2026, 3, 31)),
                (second.pk, datetime.date(2026, 4, 1)),
            }
        }
    ]


@pytest.mark.django_db
def test_an_import_that_fails_midway_announces_the_batches_it_stored(
    visits_listener, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)
    first = MuseumFactory(external_id="m1")
    HolderFactory(external_id="h1")

    def lines():
        yield from VISITS[:2]
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(UnicodeDecodeError),
    ):
        import_csv("visits", lines())
    assert visits_listener == [{"museum_days": {(first.pk, datetime.date(2026, 3, 2))}}]
