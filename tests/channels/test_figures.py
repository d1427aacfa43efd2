"""The definitions, on fixed data whose expected figures the test works out itself."""

import datetime

import pytest
from django.core.management import call_command

from channels import selectors
from channels.models import UnknownWidgetDay, WidgetDay
from tests.channels.factories import (
    channel_document,
    import_channels,
    views,
    write_tsv,
    write_usage,
)

D = datetime.date
JAN, FEB, MAR, APR = D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)
MONTH_ENDS = {JAN: D(2026, 1, 31), FEB: D(2026, 2, 28), MAR: D(2026, 3, 31), APR: D(2026, 4, 30)}

# Status histories (from day: status) and activity days (consultations or API requests).
HISTORY = {
    "blocked-between": {
        D(2026, 1, 1): "active",
        D(2026, 2, 10): "blocked",
        D(2026, 3, 5): "active",
    },
    "api-only": {D(2026, 1, 1): "active"},
    "edge-of-window": {D(2026, 1, 1): "active"},
    "impressions-only": {D(2026, 1, 1): "active"},
}
ACTIVITY = {
    "blocked-between": [D(2026, 1, 20), D(2026, 2, 20), D(2026, 3, 10)],
    "api-only": [D(2026, 1, 15)],
    "edge-of-window": [D(2026, 1, 30)],  # 2026-02-28 minus 29 days: still in February's window
    "impressions-only": [],
}


def _alive(name: str, day: D) -> bool:
    """The definition, written out: status active that day and a consultation or API request in
    the 30 days ending that day."""
    statuses = [status for since, status in sorted(HISTORY[name].items()) if since <= day]
    active = bool(statuses) and statuses[-1] == "active"
    return active and any(day - datetime.timedelta(days=29) <= a <= day for a in ACTIVITY[name])


def _expected(month: D) -> dict:
    previous = {JAN: None, FEB: JAN, MAR: FEB, APR: MAR}[month]
    alive = {name for name in HISTORY if _alive(name, MONTH_ENDS[month])}
    before = {n for n in HISTORY if previous and _alive(n, MONTH_ENDS[previous])}
    return {"alive": len(alive), "new": len(alive - before), "lost": len(before - alive)}


@pytest.fixture
def history(db, tmp_path):
    """Imports status by status, on the days of HISTORY, then the events and API usage."""
    docs = {
        "blocked-between": channel_document(name="blocked-between", pages=("pa",)),
        "api-only": channel_document(
            name="api-only", type="search-api", keys=("kb",), party="First party", city="Ninove"
        ),
        "edge-of-window": channel_document(name="edge-of-window", pages=("pc",)),
        "impressions-only": channel_document(name="impressions-only", pages=("pd",)),
    }
    days = sorted({day for states in HISTORY.values() for day in states})
    for day in days:
        batch = []
        for name, states in HISTORY.items():
            current = [s for since, s in sorted(states.items()) if since <= day]
            batch.append({**docs[name], "status": current[-1]})
        import_channels(tmp_path, batch, day)
    lines = [
        *views("pa", D(2026, 1, 20), 2),
        *views("pa", D(2026, 2, 20), 3),  # consulted while blocked: counted, yet not alive
        *views("pa", D(2026, 3, 10), 1),
        *views("pc", D(2026, 1, 30), 4),
        *views("pd", D(2026, 1, 12), 7, kind="teaser_impression"),
        *views("pd", D(2026, 1, 12), 2, kind="button_click"),
    ]
    path = write_tsv(tmp_path, lines)
    call_command("import_widget_events", str(path))
    call_command("import_api_usage", str(write_usage(tmp_path, [("2026-01-15", "kb", 5)])))
    return path


def test_alive_new_and_lost_at_month_ends_follow_the_definition(history):
    figures = selectors.month_figures(JAN, APR)
    for month in (JAN, FEB, MAR, APR):
        got = {key: figures[month, ""][key] for key in ("alive", "new", "lost")}
        assert got == _expected(month), month
    # Worked out by hand as well: the three alive in January are lost at different times.
    assert [figures[m, ""]["alive"] for m in (JAN, FEB, MAR, APR)] == [3, 1, 1, 0]
    assert [figures[m, ""]["lost"] for m in (JAN, FEB, MAR, APR)] == [0, 2, 1, 1]
    assert [figures[m, ""]["new"] for m in (JAN, FEB, MAR, APR)] == [3, 0, 1, 0]


def test_consultations_impressions_clicks_and_requests_are_counted_apart(history):
    figures = selectors.month_figures(JAN, APR)
    january = figures[JAN, ""]
    assert (january["views"], january["impressions"], january["clicks"]) == (6, 7, 2)
    assert january["requests"] == 5  # beside the consultations, never added to them
    assert figures[FEB, ""]["views"] == 3
    assert all(figures[m, ""]["registered"] == 4 for m in (JAN, FEB, MAR, APR))


def test_figures_by_type_party_and_municipality(history):
    by_type = selectors.month_figures(JAN, JAN, by="type")
    assert by_type[JAN, "widgets"]["alive"] == 2 and by_type[JAN, "search-api"]["alive"] == 1
    by_party = selectors.month_figures(JAN, JAN, by="party")
    assert by_party[JAN, "first"]["requests"] == 5 and by_party[JAN, "third"]["views"] == 6
    by_place = selectors.month_figures(JAN, JAN, by="municipality")
    assert by_place[JAN, "Ninove"]["alive"] == 1 and by_place[JAN, "Aalst"]["alive"] == 2


def test_a_file_imported_twice_counts_once(history, tmp_path, capsys):
    before = sorted(WidgetDay.objects.values_list("page_id", "day", "views"))
    copy = tmp_path / "same-events-other-name.tsv"
    copy.write_bytes(history.read_bytes())
    call_command("import_widget_events", str(history), str(copy))
    assert "already imported" in capsys.readouterr().out
    assert sorted(WidgetDay.objects.values_list("page_id", "day", "views")) == before
    assert selectors.month_figures(JAN, JAN)[JAN, ""]["views"] == 6


def test_events_of_an_unknown_widget_are_counted_and_reported_apart(history, tmp_path, capsys):
    path = write_tsv(tmp_path, views("nobody", D(2026, 1, 22), 3), name="unknown.tsv.gz", gz=True)
    call_command("import_widget_events", str(path))
    out = capsys.readouterr().out
    assert "unknown widget page nobody (UiT in Voorbeeld): 3 page views" in out
    assert UnknownWidgetDay.objects.get().views == 3
    assert selectors.month_figures(JAN, JAN)[JAN, ""]["views"] == 6  # not in any channel's


def test_a_page_registered_later_takes_its_counts_along(history, tmp_path):
    call_command("import_widget_events", str(write_tsv(tmp_path, views("late", D(2026, 4, 2), 2))))
    import_channels(tmp_path, [channel_document(name="late-page", pages=("late",))], D(2026, 4, 1))
    assert not UnknownWidgetDay.objects.exists()
    assert selectors.month_figures(APR, APR)[APR, ""]["views"] == 2
    assert selectors.month_figures(APR, APR)[APR, ""]["alive"] == 1


def test_the_nightly_rebuild_gives_the_figures_the_imports_left(history):
    before = selectors.month_figures(JAN, APR)
    call_command("rebuild_channel_summaries")
    assert selectors.month_figures(JAN, APR) == before


def test_the_nightly_task_rebuilds_and_is_a_beat_schedule(history):
    from channels.tasks import rebuild_summaries
    from core.schedules import default_schedules

    assert rebuild_summaries()["rows"] > 0
    assert "channels.rebuild_summaries" in {job.task for job in default_schedules()}
