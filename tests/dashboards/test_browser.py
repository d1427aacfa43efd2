"""A museum user's dashboard in Debian's Chromium: the charts are drawn by Chart.js."""

import pytest
from django.utils import timezone

from dashboards.periods import add_months, month_start
from tests.dashboards.factories import SurveyData, member, passes, rebuilt, visits
from tests.museumpas.factories import MuseumFactory
from tests.support.browser import log_in
from tests.support.users import PASSWORD

pytestmark = pytest.mark.browser

DRAWN = """() => {
    const canvases = Array.from(document.querySelectorAll("canvas[data-chart]"));
    return canvases.length > 0 && canvases.every(canvas => {
        const chart = window.Chart && Chart.getChart(canvas);
        return Boolean(chart) && canvas.width > 0 && chart.data.datasets.length > 0;
    });
}"""


@pytest.mark.django_db(transaction=True)
def test_a_museum_user_sees_the_charts_and_switches_the_period(page, charlie):
    museum = MuseumFactory(name="Museum aan de Stroom")
    member(charlie, museum)
    survey = SurveyData()
    this_month = month_start(timezone.localdate())
    for back in range(3):
        month = add_months(this_month, -back)
        visits(museum, 20 + back, day=month)
        passes(museum, 2 + back, day=month)
        survey.responses(museum, 12, month=month, multiple=["family"], text="Mooi")
    rebuilt()

    log_in(page, "charlie", PASSWORD)
    page.goto("/dashboards/")
    page.wait_for_url(f"**/dashboards/museums/{museum.pk}/")
    assert page.locator("h1").inner_text() == "Museum aan de Stroom"
    page.wait_for_function(DRAWN)
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 8
    # Each chart has its numbers beside it, in a table.
    assert page.locator("#table-visits tbody th").text_content() == "Bezoeken"
    twelve_months = page.locator("#table-visits thead th").count()
    assert twelve_months == 13

    page.get_by_role("link", name="Deze maand").click()
    page.wait_for_url("**period=month**")
    page.wait_for_function(DRAWN)
    assert page.locator("#table-visits thead th").count() == 2
    assert page.locator("#table-visits tbody td").text_content() == "20"
    label = page.locator("#period-label").inner_text()
    assert str(this_month.year) in label

    page.select_option("#id_period", "quarter")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url("**period=quarter**")
    page.wait_for_function(DRAWN)
    assert page.locator("#table-visits thead th").count() == 4
