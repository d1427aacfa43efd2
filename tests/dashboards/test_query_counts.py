"""The dashboard and the staff pages read a fixed number of queries, whatever the network."""

import pytest
from django.urls import reverse

from tests.dashboards.factories import member, passes, rebuilt, visits
from tests.museumpas.factories import MuseumFactory

PERIOD = {"period": "custom", "from": "2026-01", "to": "2026-06"}
WINDOWS = {
    "before_from": "2026-01-01",
    "before_to": "2026-01-31",
    "during_from": "2026-02-01",
    "during_to": "2026-02-28",
    "after_from": "2026-03-01",
    "after_to": "2026-03-31",
}
FILTERED = {**PERIOD, "language": "fr", "q": "Mooi"}
# Session, user, roles, the museum (with the membership), then the summaries and questions
# (the museum's responses per month over its history, for its runs of months, and the network's
# answers per month, for the benchmarks' museums per month among them), then the comments in a
# transaction of their own (begin or savepoint, a setting, the read, the end: three of them
# counted besides the read).
DASHBOARD_QUERIES = 17
# A filter also reads the answers per question cut by the filter, for the privacy rule.
FILTERED_DASHBOARD_QUERIES = DASHBOARD_QUERIES + 1
# Session, user, roles, then museums, their totals and their NPS answers.
OVERVIEW_QUERIES = 6
COMPARISON_QUERIES = 6


def add_museums(survey_data, count: int) -> None:
    for index in range(count):
        museum = MuseumFactory(size_class=("small", "medium", "large")[index % 3])
        visits(museum, 10)
        passes(museum, 2, channel="online")
        survey_data.responses(museum, 6, nps=index % 11, multiple=["alone"], text="Goed")
        survey_data.invitations(museum, 8, responded=6)


@pytest.fixture
def pages(survey_data, charlie, alice):
    own = MuseumFactory(name="Own museum")
    member(charlie, own)
    visits(own, 30)
    survey_data.responses(own, 12, text="Mooi", multiple=["family"])
    survey_data.responses(own, 12, text="Mooi", language="fr")
    return [
        (charlie, reverse("dashboards:museum", args=[own.pk]), PERIOD, DASHBOARD_QUERIES),
        (
            charlie,
            reverse("dashboards_api:museum-dashboard", args=[own.pk]),
            PERIOD,
            DASHBOARD_QUERIES,
        ),
        (
            charlie,
            reverse("dashboards:museum", args=[own.pk]),
            FILTERED,
            FILTERED_DASHBOARD_QUERIES,
        ),
        (alice, reverse("dashboards:staff"), PERIOD, OVERVIEW_QUERIES),
        (alice, reverse("dashboards:comparison"), WINDOWS, COMPARISON_QUERIES),
    ]


@pytest.mark.parametrize("museums", [2, 50])
def test_the_dashboard_and_the_staff_pages_cost_the_same_with_2_and_50_museums(
    client, survey_data, pages, museums, django_assert_num_queries
):
    add_museums(survey_data, museums - 1)
    rebuilt()
    for user, url, query, queries in pages:
        client.force_login(user)
        with django_assert_num_queries(queries):
            response = client.get(url, query)
        assert response.status_code == 200
    if museums == 50:  # the benchmarks are shown now, from the same queries
        user, api_url, _query, _queries = pages[1]
        client.force_login(user)
        body = client.get(api_url, PERIOD).json()
        assert body["tables"]["key-figures"]["rows"][0]["values"][2] is not None
