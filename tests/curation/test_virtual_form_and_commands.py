"""The virtual-offer form's CSV, the commands and Celery tasks of the queues, the import hook
and the demo queues."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEntry
from curation import tasks as curation_tasks
from curation.models import Queue, Task, TaskState
from curation.services.queues import queues_build
from events.models import NIL_PLACE_ID, Event
from tests.curation.factories import QueueFactory
from tests.events.factories import EventDocumentFactory, EventFactory

pytestmark = pytest.mark.django_db

FORM_CSV = (
    "title;description;url;kind;start;end;organiser;contact_email\n"
    "Virtuele tour Rubenshuis;Wandel online door het huis.;https://rubenshuis.example.be/tour;"
    "virtuele tour;2031-03-01;2031-06-30;Rubenshuis;info@rubenshuis.example.be\n"
    """\
Webinar erfgoed;;https://erfgoed.example.be/webinar;Vormingsaanbod;2031-03-10 19:30;;Erfgoedcel;
Zonder URL;Tekst;;live;2031-03-01;;;
Podcast;Tekst;https://podcast.example.be;podcast;2031-03-01;;;
Verkeerde datum;Tekst;https://x.example.be;other;31-02-2031;;;
Einde voor start;Tekst;https://y.example.be;other;2031-03-05;2031-03-01;;
Slecht adres;Tekst;https://z.example.be;afhaalaanbod;2031-03-05;;;geen-email
"""
)


def run_form_import(tmp_path, text=FORM_CSV):
    path = tmp_path / "formulier.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_virtual_form", str(path), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, out.getvalue(), err.getvalue()


def test_good_rows_become_form_events_in_the_virtual_queue_and_bad_rows_are_reported(tmp_path):
    status, out, err = run_form_import(tmp_path)

    assert status == 1
    assert out.strip() == "created 2, unchanged 0, rejected 5"
    for line, reason in (
        (4, "url is empty"),
        (5, "kind 'podcast' is not a kind of offer"),
        (6, "start '31-02-2031' is not a date"),
        (7, "end '2031-03-01' is before start '2031-03-05'"),
        (8, "contact_email 'geen-email' is not an e-mail"),
    ):
        assert f"formulier.csv, line {line}: {reason}" in err
    events = Event.objects.filter(source=Event.Source.FORM).order_by("name_text")
    assert [event.name_text for event in events] == ["Virtuele tour Rubenshuis", "Webinar erfgoed"]
    tour = events[0]
    assert tour.attendance_mode == "online" and tour.location_id == NIL_PLACE_ID
    assert tour.online_url == "https://rubenshuis.example.be/tour"
    assert tour.organizer.name_text == "Rubenshuis" and tour.calendar_type == "periodic"
    assert tour.document["row"]["kind"] == "virtuele tour"
    virtual = Queue.objects.get(slug="virtual")
    assert set(Task.objects.filter(queue=virtual).values_list("event", flat=True)) == {
        event.pk for event in events
    }


def test_importing_the_same_form_export_again_changes_nothing(tmp_path):
    run_form_import(tmp_path)
    _status, out, _err = run_form_import(tmp_path)
    assert out.strip() == "created 0, unchanged 2, rejected 5"
    assert Event.objects.filter(source=Event.Source.FORM).count() == 2


def test_a_form_export_without_the_needed_columns_is_refused_whole(tmp_path):
    path = tmp_path / "formulier.csv"
    path.write_text("titel,link\nIets,https://x.be\n")
    with pytest.raises(CommandError, match="lacks the column"):
        call_command("import_virtual_form", str(path))
    assert not Event.objects.exists()


def test_build_queues_builds_every_active_queue_or_the_one_named():
    EventFactory(calendar_type=Event.CalendarType.PERMANENT)
    out = io.StringIO()
    call_command("build_queues", queue=["confirm"], stdout=out)
    assert out.getvalue().strip() == "confirm: created 1, withdrawn 0"
    with pytest.raises(CommandError, match="no queue with the slug nope"):
        call_command("build_queues", queue=["nope"])


def test_the_nightly_task_builds_the_queues():
    EventFactory(calendar_type=Event.CalendarType.PERMANENT)
    assert "confirm: created 1, withdrawn 0" in curation_tasks.build_queues()


def test_an_import_queues_a_build_of_its_events_after_commit(
    import_documents, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        curation_tasks.build_queues_for_events, "delay", lambda ids: queued.append(ids)
    )
    with django_capture_on_commit_callbacks(execute=True):
        summary, _rejections = import_documents(
            [EventDocumentFactory(calendarType="permanent"), EventDocumentFactory()]
        )
    assert summary.created == 2
    assert [sorted(ids) for ids in queued] == [sorted(Event.objects.values_list("pk", flat=True))]

    curation_tasks.build_queues_for_events(queued[0])
    confirm = Task.objects.get(queue__slug="confirm")
    assert confirm.event.calendar_type == "permanent" and confirm.state == TaskState.OPEN


def test_a_broker_failure_does_not_fail_the_import(
    import_documents, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr(curation_tasks.build_queues_for_events, "delay", broken)
    with django_capture_on_commit_callbacks(execute=True):
        summary, _rejections = import_documents([EventDocumentFactory()])
    assert summary.created == 1


def test_seed_demo_leaves_a_few_dozen_open_tasks_in_each_queue_and_runs_again_unchanged():
    call_command("seed_demo", stdout=io.StringIO())
    counts = {queue.slug: _open_and_all(queue) for queue in Queue.objects.all()}
    assert all(20 <= open_tasks <= 100 for open_tasks, _all in counts.values()), counts
    queues_build()  # the worker's build after the import keeps them all, the family ones too
    assert {queue.slug: _open_and_all(queue) for queue in Queue.objects.all()} == counts
    call_command("seed_demo", stdout=io.StringIO())
    assert {queue.slug: _open_and_all(queue) for queue in Queue.objects.all()} == counts


def _open_and_all(queue) -> tuple[int, int]:
    return queue.tasks.filter(state="open").count(), queue.tasks.count()


def test_check_urls_queues_the_urls_of_live_virtual_tasks(monkeypatch):
    queue = QueueFactory(kind="virtual")
    with_url = EventFactory(online_url="https://live.example.be", attendance_mode="online")
    without = EventFactory()
    queues_build(queues=[queue])
    queued = []
    monkeypatch.setattr(curation_tasks.check_event_url, "delay", queued.append)
    out = io.StringIO()
    call_command("check_urls", stdout=out)
    assert queued == [with_url.pk] and without.pk not in queued
    assert out.getvalue().strip() == "queued 1 URL checks"
    assert AuditEntry.objects.filter(action="queues.built").exists()
