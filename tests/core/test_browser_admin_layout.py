"""At 1366 px, every admin list fits the window; a list wider than its place scrolls inside a
region the keyboard reaches, never the whole page."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from tests.support.browser import log_in
from tests.support.users import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_every_admin_list_fits_1366_pixels(page):
    call_command("seed_demo", stdout=StringIO())
    make_user("beheerder", is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, "beheerder", PASSWORD)
    checked = scrolled = 0
    for model in admin.site._registry:
        opts = model._meta
        page.goto(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, f"{opts.label}: the page is {width} px wide"
        results = page.locator("#changelist-form .results")
        if results.count():
            assert results.get_attribute("tabindex") == "0", opts.label
            assert results.get_attribute("role") == "region", opts.label
            checked += 1
            if results.evaluate("e => e.scrollWidth > e.clientWidth"):
                results.focus()
                page.keyboard.press("ArrowRight")
                assert _scrolled(page, results), opts.label
                scrolled += 1
    # The demo fills most lists, and some are wider than their place (the event list is).
    assert checked >= 15 and scrolled >= 1


def _scrolled(page, region) -> bool:
    """Whether the region scrolled right; keyboard scrolling is animated, so wait up to 2 s."""
    for _attempt in range(20):
        if region.evaluate("e => e.scrollLeft") > 0:
            return True
        page.wait_for_timeout(100)
    return False
