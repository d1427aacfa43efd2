"""At 1366 px, the staff comparison's "Per museum" table shows every number column, and its
numbers are a scroll region the keyboard reaches."""

import datetime

import pytest

from tests.dashboards.factories import rebuilt, visits
from tests.museumpas.factories import MuseumFactory
from tests.support.browser import log_in
from tests.support.users import PASSWORD

pytestmark = pytest.mark.browser

QUERY = (
    "before_from=2026-01-01&before_to=2026-01-10&during_from=2026-02-01&during_to=2026-02-20"
    "&after_from=2026-03-01&after_to=2026-03-31"
)


@pytest.mark.django_db(transaction=True)
def test_the_per_museum_table_fits_1366_pixels(page, alice):
    museum = MuseumFactory(
        name="Koninklijk Museum voor Schone Kunsten Antwerpen", size_class="large"
    )
    visits(museum, 10, day=datetime.date(2026, 1, 10))
    visits(museum, 30, day=datetime.date(2026, 3, 10))
    rebuilt()
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, "alice", PASSWORD)
    page.goto(f"/dashboards/staff/comparison/?{QUERY}")
    section = page.locator("section#per-museum")
    # A table without a chart shows its numbers open.
    assert section.locator("details").get_attribute("open") is not None
    container = section.locator(".table-container")
    assert container.get_attribute("tabindex") == "0"
    assert container.get_attribute("role") == "region"
    fits = container.evaluate("element => element.scrollWidth <= element.clientWidth")
    box = container.bounding_box()
    headers = section.locator("thead th.number")
    assert headers.count() == 5
    for index in range(headers.count()):
        header = headers.nth(index).bounding_box()
        assert header["x"] + header["width"] <= box["x"] + box["width"] + 1
    assert fits and box["width"] > 600
    # The keyboard reaches the numbers: Tab from the "numbers" toggle lands on them.
    section.locator("summary").focus()
    page.keyboard.press("Tab")
    active = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region", active
    assert page.evaluate("document.activeElement.closest('section').id") == "per-museum"
