"""A curator works through a queue in Chromium with the keyboard alone."""

import pytest
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
