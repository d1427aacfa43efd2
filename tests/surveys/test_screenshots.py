"""The pages of docs/screenshots/, in Debian's Chromium. The suite runs them every time; the PNGs
are written only when SCREENSHOTS_DIR is set:

    SCREENSHOTS_DIR=docs/screenshots make test PYTEST_ARGS=tests/surveys/test_screenshots.py
"""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from dashboards.periods import add_months, month_start
from surveys import demo
from tests.dashboards.factories import SurveyData, member, rebuilt, visits
from tests.museumpas.factories import MuseumFactory, VisitFactory
from tests.support.browser import log_in
from tests.support.users import PASSWORD
from tests.surveys.factories import CampaignFactory, invitation_with_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


def shoot(target, name: str) -> None:
    """Save a screenshot of a page (its viewport) or of one element, when asked for."""
    directory = os.environ.get("SCREENSHOTS_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        target.screenshot(path=Path(directory) / f"{name}.png", animations="disabled")


def test_the_survey_editor(page, sofie):
    survey = demo._survey()  # the demo survey: real questions in three languages
    log_in(page, "sofie", PASSWORD)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/surveys/editor/surveys/{survey.pk}/")
    assert page.locator("#id_name").input_value() == survey.name
    # The questions as rows: the third has its choices as rows too.
    page.locator("#question-row-3").evaluate("row => row.scrollIntoView()")
    shoot(page, "survey-editor")


def test_a_campaign_in_the_editor_with_its_reach(page, sofie):
    campaign = CampaignFactory(name="Najaar 2026", survey=demo._survey())
    for name, count in [("Museum aan de Stroom", 14), ("MSK Gent", 9), ("Design Museum Gent", 4)]:
        VisitFactory.create_batch(count, museum=MuseumFactory(name=name))
    log_in(page, "sofie", PASSWORD)
    page.set_viewport_size(DESKTOP)
    page.goto(f"/surveys/editor/campaigns/{campaign.pk}/")
    assert page.locator(".reach-visits").inner_text() == "27"
    shoot(page, "campaign-editor")


def test_a_museum_dashboard_with_a_hidden_month_and_the_running_month(page, charlie):
    museum = MuseumFactory(name="Museum aan de Stroom")
    member(charlie, museum)
    survey = SurveyData()
    this_month = month_start(timezone.localdate())
    months = [add_months(this_month, back) for back in range(-5, 1)]
    # The third and fourth months form one run of five responses: each is hidden on its own.
    scores = [10, 9, 9, 8, 7, 6, 10, 3, 9]
    for month, count in zip(months, [9, 7, 2, 3, 8, 6], strict=True):
        visits(museum, 40, day=month)
        survey.responses(museum, count, month=month, nps=scores[:count], multiple=["family"])
    rebuilt()
    log_in(page, "charlie", PASSWORD)
    page.set_viewport_size(DESKTOP)
    page.goto(
        f"/dashboards/museums/{museum.pk}/?period=custom"
        f"&from={months[0]:%Y-%m}&to={months[-1]:%Y-%m}"
    )
    nps = page.locator("section.card", has=page.locator('canvas[data-chart-json="chart-nps"]'))
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector("
        "'canvas[data-chart-json=\"chart-nps\"]'))"
    )
    assert "is de lopende maand" in nps.locator(".chart-note").inner_text()
    nps.scroll_into_view_if_needed()
    shoot(nps, "dashboard-hidden-and-running-month")


def test_the_survey_on_a_phone(page):
    museum = MuseumFactory(name="Museum aan de Stroom")
    campaign = CampaignFactory(survey=demo._survey())
    _, token = invitation_with_link(campaign=campaign, visit=VisitFactory(museum=museum))
    page.set_viewport_size(PHONE)
    page.goto(f"/s/{token}/")
    assert page.locator("h1").inner_text() == "Hoe was je museumbezoek?"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "survey-phone")
