"""The pages, their CSV exports and the API, as their users meet them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token

from tests.dashboards.factories import member, passes, rebuilt, visits
from tests.museumpas.factories import MuseumFactory
from tests.support.exports import read_csv


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def dashboard_url(museum, **query):
    return reverse("dashboards:museum", args=[museum.pk])


def test_a_museum_user_with_one_museum_goes_straight_to_its_dashboard(client, charlie_a, museum_a):
    client.force_login(charlie_a)
    response = client.get(reverse("dashboards:home"))
    assert response.status_code == 302
    assert response["Location"] == dashboard_url(museum_a)


def test_a_museum_user_of_several_museums_chooses_one(client, charlie_a, museum_a, museum_b):
    member(charlie_a, museum_b)
    client.force_login(charlie_a)
    page = client.get(reverse("dashboards:home")).content.decode()
    assert dashboard_url(museum_a) in page and dashboard_url(museum_b) in page


def test_a_museum_user_without_a_museum_is_told_so(client, charlie):
    client.force_login(charlie)
    assert "not linked to a museum" in client.get(reverse("dashboards:home")).content.decode()


def test_staff_start_from_the_overview_of_all_museums(client, alice):
    client.force_login(alice)
    assert client.get(reverse("dashboards:home"))["Location"] == reverse("dashboards:staff")


def test_the_dashboard_draws_each_chart_from_a_table_of_its_numbers(client, charlie_a, two_museums):
    museum_a, _museum_b = two_museums
    client.force_login(charlie_a)
    response = client.get(dashboard_url(museum_a), {"period": "month", "from": "2026-03"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "vendor/chart.js/chart.umd.min.js" in page and "js/charts.js" in page
    assert 'data-chart="bar" data-chart-json="chart-visits"' in page
    assert '<table id="table-visits">' in page
    # A chart of some rows of its table reads them from JSON next to the table.
    assert 'data-chart-json="chart-responses"' in page
    assert '<script id="chart-responses" type="application/json">' in page
    # 40 visits, and 30 more whose holders were invited to the survey.
    assert response.context["dashboard"].table("visits").rows[0].cells[0].value == 70


def test_the_period_is_a_month_a_quarter_a_year_or_a_range_of_months(client, charlie_a, museum_a):
    client.force_login(charlie_a)
    url = dashboard_url(museum_a)
    cases = (
        ({"period": "month", "from": "2026-02"}, 1, datetime.date(2026, 2, 1)),
        ({"period": "quarter", "from": "2026-05"}, 3, datetime.date(2026, 4, 1)),
        ({"period": "year", "from": "2025-07"}, 12, datetime.date(2025, 1, 1)),
        ({"period": "custom", "from": "2025-11", "to": "2026-02"}, 4, datetime.date(2025, 11, 1)),
    )
    for query, months, first in cases:
        period = client.get(url, query).context["dashboard"].period
        assert (len(period.months), period.first) == (months, first), query


def test_a_bad_period_is_explained_and_the_default_shown(client, charlie_a, museum_a):
    client.force_login(charlie_a)
    url = dashboard_url(museum_a)
    response = client.get(url, {"period": "custom", "from": "2026-13"})
    assert response.status_code == 200
    assert "Enter a month like 2026-03." in response.content.decode()
    backwards = client.get(url, {"period": "custom", "from": "2026-05", "to": "2026-01"})
    assert "The end of the period is before its start." in backwards.content.decode()
    assert len(backwards.context["dashboard"].period.months) == 12


def test_previous_and_next_keep_the_length_of_the_period_and_the_filters(
    client, charlie_a, museum_a
):
    client.force_login(charlie_a)
    response = client.get(
        dashboard_url(museum_a), {"period": "quarter", "from": "2026-04", "language": "fr"}
    )
    assert response.context["previous_query"] == "period=quarter&from=2026-01&language=fr"
    assert response.context["next_query"] == "period=quarter&from=2026-07&language=fr"


def test_every_table_of_the_dashboard_exports_as_csv(client, charlie_a, two_museums, survey_data):
    museum_a, _museum_b = two_museums
    survey_data.responses(museum_a, 3, month=datetime.date(2026, 4, 1))
    rebuilt()
    client.force_login(charlie_a)
    query = {"period": "custom", "from": "2026-03", "to": "2026-04"}
    dashboard = client.get(dashboard_url(museum_a), query).context["dashboard"]
    assert len(dashboard.tables) >= 9
    for table in dashboard.tables:
        url = reverse("dashboards:museum-csv", args=[museum_a.pk, table.slug])
        response = client.get(url, query)
        rows = read_csv(response, delimiter=",")  # English: the comma
        assert rows[0][1:] == table.columns
        assert [row[0] for row in rows[1:]] == [row.label for row in table.rows]
    responses = client.get(reverse("dashboards:museum-csv", args=[museum_a.pk, "responses"]), query)
    rows = read_csv(responses, delimiter=",")
    # April's three responses, and March beside them, are withheld in the export too.
    assert rows[2] == ["Responses", "<5", "<5"]
    missing = reverse("dashboards:museum-csv", args=[museum_a.pk, "no-such-table"])
    assert client.get(missing).status_code == 404


def test_comments_are_searched_from_the_page(client, charlie_a, two_museums):
    museum_a, _museum_b = two_museums
    client.force_login(charlie_a)
    page = client.get(dashboard_url(museum_a), {"from": "2026-03", "q": "Mooi 11"})
    comments = page.context["dashboard"].table("comments")
    assert [row.cells[0].value for row in comments.rows] == ["Mooi 11"]


def test_a_refused_filter_says_why(client, charlie_a, museum_a, survey_data):
    survey_data.responses(museum_a, 20, age_group="36-45")
    survey_data.responses(museum_a, 2, age_group="66+")
    rebuilt()
    client.force_login(charlie_a)
    page = client.get(dashboard_url(museum_a), {"from": "2026-03", "age_group": "66+"})
    assert "fewer than 5 responses: the feedback is hidden" in page.content.decode()
    assert "groups too small in this period" in page.content.decode()


def test_the_api_answers_the_museums_own_user_by_token(client, charlie_a, two_museums):
    museum_a, _museum_b = two_museums
    token = Token.objects.create(user=charlie_a)
    url = reverse("dashboards_api:museum-dashboard", args=[museum_a.pk])
    response = client.get(
        url, {"from": "2026-03", "to": "2026-03"}, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"kind": "custom", "from": "2026-03-01", "to": "2026-03-31"}
    key_figures = {row["label"]: row["values"][0] for row in body["tables"]["key-figures"]["rows"]}
    assert key_figures["Visits with the pass"] == 70
    assert key_figures["Responses"] == 12
    assert key_figures["Response rate (%)"] == 40.0


def test_the_api_marks_what_it_withholds(client, charlie_a, museum_a, survey_data):
    survey_data.responses(museum_a, 4)
    rebuilt()
    client.force_login(charlie_a)
    url = reverse("dashboards_api:museum-dashboard", args=[museum_a.pk])
    body = client.get(url, {"from": "2026-03", "to": "2026-03"}).json()
    responses = body["tables"]["key-figures"]["rows"][4]
    # Its own four responses; the benchmarks: one museum alone is no benchmark.
    assert responses == {
        "label": "Responses",
        "values": [None, None, None],
        "suppressed": [True, True, True],
    }


def test_the_api_refuses_a_bad_period_with_a_clear_message(client, charlie_a, museum_a):
    client.force_login(charlie_a)
    url = reverse("dashboards_api:museum-dashboard", args=[museum_a.pk])
    response = client.get(url, {"from": "last year"})
    assert response.status_code == 400
    assert response.json() == {"from": ["Enter a month like 2026-03."]}
    assert client.get(url, {"from": "2026-03", "language": "de"}).status_code == 400


def test_the_api_serves_staff_and_no_one_anonymous(client, alice, museum_a):
    url = reverse("dashboards_api:museum-dashboard", args=[museum_a.pk])
    assert client.get(url).status_code in (401, 403)
    client.force_login(alice)
    assert client.get(url).status_code == 200


def test_the_staff_overview_sorts_exports_and_flags_potential(client, sofie, survey_data):
    museums = {
        name: MuseumFactory(name=name)
        for name in ("Busy, few sales", "Quiet, many sales", "Middle 1", "Middle 2")
    }
    for name, (visit_count, sold) in {
        "Busy, few sales": (90, 1),
        "Quiet, many sales": (5, 30),
        "Middle 1": (30, 10),
        "Middle 2": (40, 12),
    }.items():
        visits(museums[name], visit_count)
        passes(museums[name], sold)
    survey_data.responses(museums["Middle 1"], 3, nps=10)
    survey_data.responses(museums["Middle 2"], 6, nps=10)
    rebuilt()
    client.force_login(sofie)
    query = {"period": "month", "from": "2026-03"}
    page = client.get(reverse("dashboards:staff"), {**query, "sort": "-visits"})
    rows = page.context["table"].rows
    assert [row.record["name"] for row in rows] == [
        "Busy, few sales",
        "Middle 2",
        "Middle 1",
        "Quiet, many sales",
    ]
    flags = {row.record["name"]: row.record["flags"] for row in rows}
    assert flags == {
        "Busy, few sales": ["sell"],
        "Quiet, many sales": ["visit"],
        "Middle 1": [],
        "Middle 2": [],
    }
    html = page.content.decode()
    assert f'href="{dashboard_url(museums["Middle 1"])}?period=month&amp;from=2026-03"' in html

    export = client.get(reverse("dashboards:staff"), {**query, "export": "csv"})
    rows = read_csv(export, delimiter=",")
    assert rows[0][:5] == ["Museum", "City", "Region", "Size", "Visits"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Busy, few sales"][4:8] == ["90", "1", "1.1", "0"]
    assert by_name["Middle 1"][-2:] == ["<5", ""]  # three NPS answers: withheld
    assert by_name["Middle 2"][-2:] == ["100", ""]
    assert by_name["Busy, few sales"][-1] == "many visits, few sales"


def test_the_staff_overview_shows_each_museums_cells_under_their_headings(
    client, sofie, survey_data
):
    museum = MuseumFactory(name="Hidden NPS", city="Gent", region="wallonia", size_class="large")
    other = MuseumFactory(name="No visits", city="Brugge", region="flanders", size_class="small")
    visits(museum, 40)
    passes(museum, 2)
    passes(other, 3, renewal=True)
    survey_data.responses(museum, 3, nps=10)
    rebuilt()
    client.force_login(sofie)
    html = client.get(reverse("dashboards:staff"), {"period": "month", "from": "2026-03"})
    html = html.content.decode()
    headings = re.findall(r"<th(?:\s[^>]*)?>\s*(?:<a[^>]*>)?([^<]+)", html)
    assert [heading.strip() for heading in headings] == [
        "Museum",
        "City",
        "Region",
        "Size",
        "Visits",
        "Passes sold",
        "Sales per 100 visits",
        "Renewals",
        "Responses",
        "NPS",
        "Potential",
    ]

    def cells(name):
        row = re.search(rf"<tr>((?:(?!</tr>).)*{name}.*?)</tr>", html, re.S).group(1)
        return [
            re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]

    assert cells("Hidden NPS") == [
        "Hidden NPS", "Gent", "Wallonia", "large", "40", "2", "5.0", "0", "3", "&lt;5",
        "many visits, few sales",
    ]  # fmt: skip
    assert cells("No visits") == [
        "No visits", "Brugge", "Flanders", "small", "0", "3", "\u2013", "3", "0", "\u2013",
        "many sales, few visits",
    ]  # fmt: skip


def test_museum_users_do_not_reach_the_staff_pages(client, charlie_a):
    client.force_login(charlie_a)
    assert client.get(reverse("dashboards:staff")).status_code == 403
    assert client.get(reverse("dashboards:comparison")).status_code == 403


def test_the_period_comparison_compares_visits_per_day_in_three_windows(client, alice):
    small, large = MuseumFactory(size_class="small"), MuseumFactory(size_class="large")
    visits(small, 10, day=datetime.date(2026, 1, 10))
    visits(small, 2, day=datetime.date(2026, 2, 10))
    visits(large, 40, day=datetime.date(2026, 3, 10))
    rebuilt()
    client.force_login(alice)
    query = {
        "before_from": "2026-01-01",
        "before_to": "2026-01-10",
        "during_from": "2026-02-01",
        "during_to": "2026-02-20",
        "after_from": "2026-03-01",
        "after_to": "2026-03-31",
    }
    page = client.get(reverse("dashboards:comparison"), query)
    tables = {table.slug: table for table in page.context["tables"]}
    by_size = {row.label: [cell.value for cell in row.cells] for row in tables["by-size"].rows}
    assert by_size["Before"] == [1.0, 0.0, 0.0]  # 10 visits in 10 days, small museums
    assert by_size["During"] == [0.1, 0.0, 0.0]
    assert by_size["After"] == [0.0, 0.0, 1.3]
    assert by_size["During vs before (%)"][0] == -90.0
    ages = {row.label: [cell.value for cell in row.cells] for row in tables["by-age-group"].rows}
    assert ages["Before"][4] == 1.0  # the visitors were born in 1970: 56-65
    export = client.get(reverse("dashboards:comparison"), {**query, "export": "per-museum"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")


def test_a_window_that_ends_before_it_starts_is_explained(client, alice):
    client.force_login(alice)
    page = client.get(
        reverse("dashboards:comparison"),
        {
            "before_from": "2026-01-10",
            "before_to": "2026-01-01",
            "during_from": "2026-02-01",
            "during_to": "2026-02-20",
            "after_from": "2026-03-01",
            "after_to": "bad",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and page.context["tables"] == []
    assert "The window ends before it starts." in html and "Enter a valid date." in html


def test_the_period_comparison_starts_with_three_windows_of_four_weeks(client, alice):
    client.force_login(alice)
    page = client.get(reverse("dashboards:comparison"))
    assert len(page.context["tables"]) == 5
