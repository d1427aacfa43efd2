"""Hooks for derived data: fired after the commit of what they announce."""

import datetime

import pytest

from museumpas.hooks import passes_stored
from museumpas.importing import import_csv
from tests.museumpas.factories import HolderFactory, MuseumFactory

PASSES = (
    "id,holder_id,card_number,valid_from,valid_until,channel,museum_id,renewal,price\n"
    "p1,h1,1,2026-03-02,2027-03-01,museum,m1,false,65.00\n"
    "p2,h1,2,2026-03-05,2027-03-04,online,,true,65.00\n"
)


@pytest.fixture
def listener():
    calls = []

    def record(**payload):
        calls.append(payload)

    passes_stored.register(record)
    yield calls
    passes_stored.listeners.remove(record)


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
