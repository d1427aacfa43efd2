"""The data each chart gets: axes that fit the measure, withheld months marked as such, the
running month marked as not over (static/js/charts.js draws what it is handed)."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.periods import add_months, month_start
from tests.dashboards.factories import SurveyData, member, rebuilt, visits
from tests.museumpas.factories import MuseumFactory
from tests.support.browser import log_in
from tests.support.users import PASSWORD

# Responses per month, oldest first, the last the running month: the two in the middle form
# one run of five (dashboards.privacy), so each is hidden on its own.
RESPONSES = [6, 2, 3, 6, 6]


def chart_json(page: str, slug: str) -> dict:
    match = re.search(rf'<script id="chart-{slug}" type="application/json">(.*?)</script>', page)
    assert match, f"no chart data for {slug}"
    return json.loads(match.group(1))


@pytest.fixture
def dashboard_months(db, charlie):
    museum = MuseumFactory(name="Museum aan de Stroom")
    member(charlie, museum)
    survey = SurveyData()
    this_month = month_start(timezone.localdate())
    months = [add_months(this_month, back) for back in range(-4, 1)]
    for month, count in zip(months, RESPONSES, strict=True):
        visits(museum, 10, day=month)
        survey.responses(museum, count, month=month, multiple=["family"])
    rebuilt()
    query = {"period": "custom", "from": f"{months[0]:%Y-%m}", "to": f"{months[-1]:%Y-%m}"}
    return museum, query


@pytest.mark.django_db
def test_each_chart_gets_an_axis_that_fits_its_measure_and_the_withheld_months(
    client, charlie, dashboard_months
):
    museum, query = dashboard_months
    client.force_login(charlie)
    html = client.get(reverse("dashboards:museum", args=[museum.pk]), query).content.decode()

    nps = chart_json(html, "nps")
    assert nps["scale"] == "nps"
    axes = {series["label"]: series["axis"] for series in nps["series"]}
    assert axes.pop("NPS") == "nps"
    assert set(axes.values()) == {"percent"}
    score = nps["series"][0]
    assert score["values"][1] is None and score["values"][2] is None
    assert score["hidden"] == [None, "responses", "responses", None, None]
    assert score["values"][0] == 100  # six promoters, never a withheld month's zero
    assert nps["text"]["responses"] == "verborgen: minder dan 5 antwoorden"
    assert nps["incomplete"] == 4

    assert chart_json(html, "ratings")["scale"] == "rating"
    choices = re.search(r'id="chart-(choices-\d+)"', html).group(1)
    assert chart_json(html, choices)["scale"] == "percent"
    assert chart_json(html, "visits")["scale"] == "count"
    assert chart_json(html, "visits")["series"][0]["hidden"] == [None] * 5
    assert "is de lopende maand: nog niet volledig." in html


@pytest.mark.django_db
def test_the_comment_search_returns_to_the_comments(client, charlie, dashboard_months):
    museum, query = dashboard_months
    client.force_login(charlie)
    html = client.get(reverse("dashboards:museum", args=[museum.pk]), query).content.decode()
    assert 'class="comment-search" role="search" action="#comments-heading"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_browser_draws_the_nps_on_its_own_axis_and_marks_hidden_months(
    page, charlie, dashboard_months
):
    museum, query = dashboard_months
    log_in(page, "charlie", PASSWORD)
    page.goto(
        f"/dashboards/museums/{museum.pk}/?period=custom&from={query['from']}&to={query['to']}"
    )
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector("
        "'canvas[data-chart-json=\"chart-nps\"]'))"
    )
    nps = page.evaluate(
        """() => {
        const chart = Chart.getChart(document.querySelector('canvas[data-chart-json="chart-nps"]'));
        const ratings = Chart.getChart(
            document.querySelector('canvas[data-chart-json="chart-ratings"]'));
        const hidden = chart.data.datasets[chart.data.datasets.length - 1];
        return {
            y: [chart.scales.y.min, chart.scales.y.max],
            percent: [chart.scales.percent.min, chart.scales.percent.max],
            rating: [ratings.scales.y.min, ratings.scales.y.max],
            legend: chart.legend.legendItems.map(item => item.text),
            marks: hidden.data,
            tick: chart.scales.x.getLabelForValue(4),
            ticks: chart.scales.x.ticks.map(tick => tick.label),
        };
    }"""
    )
    assert nps["y"] == [-100, 100] and nps["percent"] == [0, 100] and nps["rating"] == [1, 5]
    assert "verborgen: minder dan 5 antwoorden" in nps["legend"]
    assert nps["marks"][1] == -100 and nps["marks"][0] is None
    assert nps["ticks"][4].endswith(" *")
