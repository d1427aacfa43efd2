"""A curator works through a queue in Chromium with the keyboard alone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from curation.models import Decision, QueueKind, Task, TaskState
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory
from tests.support.browser import log_in, wait_for_scripts
from tests.support.users import PASSWORD


@pytest.mark.browser
def test_a_curator_decides_three_tasks_with_the_keyboard_alone(page, alice):
    queue = QueueFactory(kind=QueueKind.CONFIRM, name="Bevestigen", slug="bevestigen")
    events = [EventFactory(name_text=f"Tentoonstelling {number}") for number in range(4)]
    Task.objects.bulk_create(
        [Task(queue=queue, event=event, position=index) for index, event in enumerate(events)]
    )
    log_in(page, "alice", PASSWORD)
    page.goto("/curation/queues/bevestigen/")

    # The browser applies autofocus when it next renders, which can be after the load event.
    expect(page.get_by_role("button", name="Start")).to_be_focused()
    page.keyboard.press("Enter")  # the focused "Start" button
    expect(page.locator("#event-name")).to_have_text("Tentoonstelling 0")
    expect(page.locator("#shortcuts")).to_contain_text("gaat nog door")
    wait_for_scripts(page)
    page.keyboard.press("t")  # the document as received, fetched on demand
    expect(page.locator("#document pre")).to_contain_text(events[0].udb_id)
    page.keyboard.press("t")

    for number, key in enumerate(("1", "2", "3")):
        expect(page.locator("#event-name")).to_have_text(f"Tentoonstelling {number}")
        wait_for_scripts(page)
        page.keyboard.press(key)
        expect(page.locator(f'#decision-form input[data-key="{key}"]')).to_be_checked()
        page.keyboard.press("Enter")
    expect(page.locator("#event-name")).to_have_text("Tentoonstelling 3")
    wait_for_scripts(page)

    decided = Decision.objects.order_by("decided_at").values_list(
        "event__name_text", "outcome", "curator__username"
    )
    assert list(decided) == [
        ("Tentoonstelling 0", "still_on", "alice"),
        ("Tentoonstelling 1", "cancelled", "alice"),
        ("Tentoonstelling 2", "postponed", "alice"),
    ]
    last = Task.objects.get(event=events[3])
    assert last.state == TaskState.CLAIMED and last.claimed_by == alice

    page.keyboard.press("Escape")  # release it and back to the overview
    expect(page).to_have_url(page.url.split("/curation/")[0] + "/curation/")
    last.refresh_from_db()
    assert last.state == TaskState.OPEN


def start_confirm_queue(page, count=2):
    queue = QueueFactory(kind=QueueKind.CONFIRM, name="Bevestigen", slug="bevestigen")
    events = [EventFactory(name_text=f"Concert {number}") for number in range(count)]
    Task.objects.bulk_create(
        [Task(queue=queue, event=event, position=index) for index, event in enumerate(events)]
    )
    page.goto("/curation/queues/bevestigen/")
    expect(page.get_by_role("button", name="Start")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#event-name")).to_have_text("Concert 0")
    wait_for_scripts(page)
    return events


@pytest.mark.browser
def test_a_note_with_s_and_n_never_skips_or_passes_and_is_saved(page, alice):
    log_in(page, "alice", PASSWORD)
    events = start_confirm_queue(page)
    task_url = page.url
    note = page.locator("#decision-form textarea[name=note]")

    page.keyboard.press("e")  # the note key focuses the note
    expect(note).to_be_focused()
    page.keyboard.type("snel nakijken: s en n zijn tekst")
    expect(note).to_have_value("snel nakijken: s en n zijn tekst")
    expect(page.locator("#skip-section")).to_be_hidden()
    page.keyboard.press("Escape")  # leaves the note, keeps the task
    expect(note).not_to_be_focused()
    assert page.url == task_url

    # On the unfocused page "s" and "n" ask first, since the note would be lost.
    for key in ("s", "n"):
        page.keyboard.press(key)
        expect(page.locator("#confirm-leave")).to_be_visible()
        expect(page.locator("#confirm-leave")).to_contain_text("notitie")
        page.keyboard.press("Escape")  # "stay on this task"
        expect(page.locator("#confirm-leave")).to_be_hidden()
    page.keyboard.press("n")
    page.keyboard.press("Enter")  # the dialog's focused button is "stay" too
    expect(page.locator("#confirm-leave")).to_be_hidden()
    expect(page.locator("#skip-section")).to_be_hidden()
    assert page.url == task_url

    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#event-name")).to_have_text("Concert 1")
    task = Task.objects.get(event=events[0])
    assert task.state == TaskState.DECIDED
    assert task.decisions.get().note == "snel nakijken: s en n zijn tekst"
    assert not Task.objects.filter(state=TaskState.SKIPPED).exists()


@pytest.mark.browser
def test_without_a_note_n_passes_and_question_mark_shows_the_shared_key_map(page, alice):
    log_in(page, "alice", PASSWORD)
    start_confirm_queue(page)
    page.keyboard.press("?")
    expect(page.locator("#keymap")).to_be_visible()
    expect(page.locator("#keymap")).to_contain_text("dubbel")  # moderation's letter, shown here
    page.keyboard.press("?")
    expect(page.locator("#keymap")).to_be_hidden()
    page.keyboard.press("n")
    expect(page.locator("#event-name")).to_have_text("Concert 1")


@pytest.mark.browser
def test_leaving_anyway_after_the_question_passes_the_task(page, alice):
    log_in(page, "alice", PASSWORD)
    start_confirm_queue(page)
    page.keyboard.press("e")
    page.keyboard.type("nog te bekijken")
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    page.locator("#confirm-leave-yes").click()
    expect(page.locator("#event-name")).to_have_text("Concert 1")


@pytest.mark.browser
def test_check_now_shows_the_result_without_a_reload_in_dutch(page, alice, monkeypatch):
    from curation import tasks
    from curation.models import UrlCheck

    def check_at_once(event_id):
        UrlCheck.objects.create(
            event_id=event_id,
            url="https://nergens.invalid/",
            checked_at=timezone.now(),
            ok=False,
            error="nergens.invalid does not resolve: Name or service not known",
        )

    monkeypatch.setattr(tasks.check_event_url, "delay", check_at_once)
    queue = QueueFactory(kind=QueueKind.VIRTUAL, slug="virtueel")
    event = EventFactory(name_text="Webinar", online_url="https://nergens.invalid/")
    Task.objects.create(queue=queue, event=event)
    log_in(page, "alice", PASSWORD)
    page.goto("/curation/queues/virtueel/")
    page.get_by_role("button", name="Start").click()
    wait_for_scripts(page)
    before = page.url
    page.get_by_role("button", name="nu nakijken").click()
    expect(page.locator("#url-check")).to_contain_text("nergens.invalid bestaat niet")
    assert page.url == before
