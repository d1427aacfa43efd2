"""A UiTPAS partner's KSB dashboard in Debian's Chromium: the charts are drawn by Chart.js,
each beside its table, and a withheld count shows as <5."""

import pytest

from tests.dashboards.test_browser import DRAWN
from tests.support.browser import log_in
from tests.support.users import PASSWORD
from tests.uitpas.factories import published_of

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_partner_sees_the_ksb_dashboard_drawn(page, region, partner_7):
    log_in(page, "paula", PASSWORD)
    page.goto("/uitpas/")
    page.get_by_role("link", name="Alfa", exact=True).click()
    page.wait_for_url("**/uitpas/municipalities/11001/")
    assert page.locator("h1").inner_text() == "Alfa"
    page.wait_for_function(DRAWN)
    assert page.locator("canvas[data-chart]").count() >= 2
    assert page.locator("#table-ratios tbody th").first.text_content() == "Pashouders per inwoner"

    page.select_option("#id_period", "quarter")
    page.fill("#id_start", "2026-01")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url("**period=quarter**")
    page.wait_for_function(DRAWN)
    # 6 holders shown (as published); 3 savers withheld, with the museum dashboards' mark.
    counts = page.locator("#table-counts tbody tr")
    six = published_of("h1", "h2", "h3", "h4", "h5", "h6")
    assert counts.nth(0).locator("td").first.text_content() == str(six)
    assert counts.nth(2).locator("td").first.text_content() == "<5"
    assert page.locator("#table-trend thead th").count() == 13  # 12 months to March
