"""Months and dates from the query string: outside a plausible range or malformed, they are a
form error (pages) or a 400 (CSV, API), never a server error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from dashboards.periods import plausible_months

# Beyond the range (9999-12 was a 500: the next period's month does not exist), before it, and
# malformed.
OUT_OF_RANGE = ["9999-12", "0001-01", "1900-01", "2017-12", "2099-01"]
MALFORMED = ["99999-01", "2026-13", "2026-00", "20261", "\x00", "2026-03\x00", "x" * 500]
BAD_MONTHS = OUT_OF_RANGE + MALFORMED
KINDS = ["month", "quarter", "year", "custom"]


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def _latest() -> str:
    return plausible_months()[1].strftime("%Y-%m")


def _queries():
    for month in BAD_MONTHS:
        for kind in KINDS:
            yield {"period": kind, "from": month}
        yield {"period": "custom", "from": "2026-01", "to": month}


def test_the_plausible_months_run_from_the_museumpas_start_to_the_end_of_next_year(settings):
    first, last = plausible_months(datetime.date(2026, 3, 15))
    assert (first, last) == (datetime.date(2018, 1, 1), datetime.date(2027, 12, 1))
    settings.MUSEUMPAS_EARLIEST_DATE = datetime.date(2020, 5, 3)
    assert plausible_months(datetime.date(2026, 3, 15))[0] == datetime.date(2020, 5, 1)


def test_the_dashboard_page_explains_a_month_out_of_range_and_shows_the_default(
    client, charlie_a, museum_a
):
    client.force_login(charlie_a)
    url = reverse("dashboards:museum", args=[museum_a.pk])
    for query in _queries():
        response = client.get(url, query)
        assert response.status_code == 200, query
        assert len(response.context["dashboard"].period.months) == 12, query
        assert response.context["period_form"].errors, query
    page = client.get(url, {"period": "month", "from": "9999-12"}).content.decode()
    assert f"Enter a month from 2018-01-01 to {plausible_months()[1].isoformat()}." in page


def test_the_dashboard_csv_and_api_answer_400_to_a_month_out_of_range(client, charlie_a, museum_a):
    client.force_login(charlie_a)
    csv_url = reverse("dashboards:museum-csv", args=[museum_a.pk, "key-figures"])
    api_url = reverse("dashboards_api:museum-dashboard", args=[museum_a.pk])
    for query in _queries():
        assert client.get(csv_url, query).status_code == 400, query
        assert client.get(api_url, query).status_code == 400, query
    body = client.get(api_url, {"from": "9999-12"}).json()
    assert body == {"from": [f"Enter a month from 2018-01-01 to {plausible_months()[1]}."]}
    response = client.get(csv_url, {"from": "2026-03", "age_group": "200+"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_extremes_of_the_range_are_answered(client, charlie_a, museum_a):
    client.force_login(charlie_a)
    url = reverse("dashboards:museum", args=[museum_a.pk])
    csv_url = reverse("dashboards:museum-csv", args=[museum_a.pk, "key-figures"])
    api_url = reverse("dashboards_api:museum-dashboard", args=[museum_a.pk])
    for kind in KINDS:
        for month in ("2018-01", _latest()):
            query = {"period": kind, "from": month}
            page = client.get(url, query)
            assert page.status_code == 200 and not page.context["period_form"].errors, query
            assert client.get(csv_url, query).status_code == 200, query
            assert client.get(api_url, query).status_code == 200, query
    # The whole range: at most 120 months are answered, more are a clear 400.
    longest = client.get(api_url, {"period": "custom", "from": "2018-01", "to": _latest()})
    assert longest.status_code == 200 or "at most 120 months" in str(longest.json())


def test_the_staff_overview_explains_a_bad_month_and_its_csv_answers_400(client, sofie):
    client.force_login(sofie)
    url = reverse("dashboards:staff")
    for query in _queries():
        page = client.get(url, query)
        assert page.status_code == 200 and page.context["period_form"].errors, query
        assert client.get(url, {**query, "export": "csv"}).status_code == 400, query


def test_the_period_comparison_explains_dates_out_of_range(client, alice):
    client.force_login(alice)
    good = {
        "before_from": "2026-01-01",
        "before_to": "2026-01-31",
        "during_from": "2026-02-01",
        "during_to": "2026-02-28",
        "after_from": "2026-03-01",
        "after_to": "2026-03-31",
    }
    extremes = [
        ("0001-01-01", "0001-01-31"),
        ("1900-01-01", "1900-01-31"),
        ("9999-12-01", "9999-12-31"),
        ("2026-02-30", "2026-03-01"),
        ("\x00", "2026-03-01"),
    ]
    for window in ("before", "during", "after"):
        for first, last in extremes:
            query = {**good, f"{window}_from": first, f"{window}_to": last}
            page = client.get(reverse("dashboards:comparison"), query)
            assert page.status_code == 200, query
            assert page.context["form"].errors and page.context["tables"] == [], query
