"""The statistics page: one way to write a day, today marked as not over, tables fit 1366 px."""

import json
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from curation.models import QueueKind, Task
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory
from tests.support.browser import log_in, wait_for_scripts
from tests.support.users import PASSWORD

LONG_NAMES = (
    "Kwaliteitscontrole Museumpas-tentoonstellingen en vaste collecties",
    "Virtueel aanbod: livestreams, webinars en virtuele tours",
    "Permanent en periodiek aanbod niet bevestigd sinds zes maanden",
)


def queues_with_a_task_each():
    for index, name in enumerate(LONG_NAMES):
        queue = QueueFactory(kind=QueueKind.CONFIRM, name=name, slug=f"wachtrij-{index}")
        Task.objects.create(queue=queue, event=EventFactory(), position=0)


def chart_data(html: str) -> dict:
    script = html.split('id="backlog-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(script)


@pytest.mark.django_db
def test_the_chart_and_the_tables_write_each_day_the_same_way_and_mark_today(client, alice):
    queues_with_a_task_each()
    client.force_login(alice)

    response = client.get("/curation/statistics/")

    html = response.content.decode()
    chart = chart_data(html)
    backlog = [column.header for column in response.context["backlog_table"].columns][1:]
    per_day = [column.header for column in response.context["per_day_table"].columns][1:-1]
    with override("nl"):
        today = date_format(timezone.localdate(), "D j/n")
    assert len(chart["labels"]) == 14 and chart["labels"][-1] == today
    assert all(re.fullmatch(r"\w+ \d{1,2}/\d{1,2}", label) for label in chart["labels"])
    # The same words as the chart's, and only today's column carries the mark.
    assert backlog == [*chart["labels"][:-1], f"{today} *"]
    assert per_day == backlog
    assert chart["incomplete"] == 13
    assert chart["text"]["incomplete"] == "vandaag, nog niet voorbij"
    assert html.count(f"* {today} is vandaag: nog niet voorbij.") == 2


@pytest.mark.browser
def test_the_backlog_table_fits_1366_px_and_scrolls_by_keyboard_where_it_cannot(page, alice):
    queues_with_a_task_each()
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, "alice", PASSWORD)
    page.goto("/curation/statistics/")
    wait_for_scripts(page)

    last_header = page.locator("#backlog-table thead th").last
    expect(last_header).to_contain_text("*")
    box = last_header.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    container = page.locator(".stats-table:has(#backlog-table)")
    expect(container).to_have_attribute("role", "region")
    expect(container).to_have_accessible_name("Achterstand per wachtrij, laatste 14 dagen")
    expect(container).to_have_attribute("tabindex", "0")
    container.focus()
    expect(container).to_be_focused()
