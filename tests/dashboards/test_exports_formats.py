"""Exports people open: CSV as Flemish and French Excel reads it (byte-order mark, `;`, decimal
comma), XLSX with numbers as numbers; both with the page's headers and withheld cells."""

import pytest
from django.urls import reverse

from tests.dashboards.factories import MONTH, member, rebuilt, visits
from tests.dashboards.test_exports import FORMULA, MINUS_TWENTY
from tests.museumpas.factories import MuseumFactory
from tests.support.exports import read_csv, read_xlsx

MARCH = {"period": "month", "from": "2026-03"}
COMPARISON = {
    "before_from": "2026-02-01",
    "before_to": "2026-02-28",
    "during_from": "2026-03-01",
    "during_to": "2026-03-31",
    "after_from": "2026-04-01",
    "after_to": "2026-04-30",
}


@pytest.fixture
def museum(charlie, survey_data):
    museum = MuseumFactory(name="Museum aan de Stroom")
    member(charlie, museum)
    survey_data.responses(museum, 10, nps=MINUS_TWENTY, rating=[4, 4, 5, 4, 4, 4, 4, 4, 4, 4])
    rebuilt()
    return museum


def page_table(client, museum, slug, query=MARCH):
    dashboard = client.get(reverse("dashboards:museum", args=[museum.pk]), query).context
    return dashboard["dashboard"].table(slug)


def export(client, kind, museum, slug, query=MARCH):
    return client.get(reverse(f"dashboards:museum-{kind}", args=[museum.pk, slug]), query)


def test_a_dutch_csv_has_a_bom_semicolons_and_decimal_commas(client, charlie, museum):
    client.force_login(charlie)
    table = page_table(client, museum, "nps")
    rows = read_csv(export(client, "csv", museum, "nps"), delimiter=";")
    assert rows[0] == [table.label_header or table.title, *table.columns]
    assert rows[1] == ["NPS", "-20"]
    assert rows[4] == [table.rows[3].label, "40,0"]


def test_a_french_csv_has_semicolons_too_and_english_keeps_commas(client, charlie, museum):
    client.force_login(charlie)
    client.cookies["django_language"] = "fr"
    assert read_csv(export(client, "csv", museum, "nps"), delimiter=";")[4][1] == "40,0"
    client.cookies["django_language"] = "en"
    rows = read_csv(export(client, "csv", museum, "nps"), delimiter=",")
    assert rows[4] == ["Detractors (%)", "40.0"]


def test_every_dashboard_table_exports_as_xlsx_with_the_pages_headers_and_numbers(
    client, charlie, museum
):
    client.force_login(charlie)
    dashboard = client.get(reverse("dashboards:museum", args=[museum.pk]), MARCH).context
    numbers = 0
    for table in dashboard["dashboard"].tables:
        assert table.xlsx_url.startswith(
            reverse("dashboards:museum-xlsx", args=[museum.pk, table.slug])
        )
        rows = read_xlsx(export(client, "xlsx", museum, table.slug))
        assert rows[0] == [table.label_header or table.title, *table.columns], table.slug
        assert [row[0] for row in rows[1:]] == [row.label for row in table.rows], table.slug
        for row, page_row in zip(rows[1:], table.rows, strict=True):
            for value, cell in zip(row[1:], page_row.cells, strict=True):
                if cell.hidden:  # as the page: "<5" responses, a dash for too few museums
                    assert value == ("\u2013" if cell.reason == "museums" else "<5"), table.slug
                elif isinstance(cell.value, int | float):
                    assert value == cell.value and isinstance(value, int | float), table.slug
                    numbers += 1
    assert numbers >= 10
    nps = read_xlsx(export(client, "xlsx", museum, "nps"))
    assert nps[1] == ["NPS", -20]


def test_withheld_cells_are_written_as_the_page_writes_them(client, charlie, survey_data):
    thin = MuseumFactory(name="Klein museum")
    member(charlie, thin)
    survey_data.responses(thin, 3)
    rebuilt()
    client.force_login(charlie)
    page = client.get(reverse("dashboards:museum", args=[thin.pk]), MARCH)
    assert "&lt;5</abbr>" in page.content.decode()
    table = page.context["dashboard"].table("responses")
    hidden = [index for index, row in enumerate(table.rows, 1) if row.cells[0].hidden]
    assert hidden
    sheet = read_xlsx(export(client, "xlsx", thin, "responses"))
    csv_rows = read_csv(export(client, "csv", thin, "responses"), delimiter=";")
    for index in hidden:
        assert sheet[index][1] == "<5" and csv_rows[index][1] == "<5"


def test_an_xlsx_never_holds_a_formula(client, charlie, survey_data):
    museum = MuseumFactory(name="Formule")
    member(charlie, museum)
    survey_data.responses(museum, 10, nps=MINUS_TWENTY, text=FORMULA)
    rebuilt()
    client.force_login(charlie)
    rows = read_xlsx(export(client, "xlsx", museum, "comments"))
    assert all(row[1].startswith(f"'{FORMULA}") for row in rows[1:]) and len(rows) == 11


def test_the_staff_overview_exports_museum_names_and_numbers(client, sofie, survey_data):
    museum = MuseumFactory(name="Museum aan de Stroom", city="Antwerpen", region="flanders")
    visits(museum, 12)
    survey_data.responses(museum, 10, nps=MINUS_TWENTY)
    rebuilt()
    client.force_login(sofie)
    page = client.get(reverse("dashboards:staff"), MARCH)
    header = [str(column.header) for column in page.context["table"].columns]
    assert "export=xlsx" in page.content.decode()
    rows = read_xlsx(client.get(reverse("dashboards:staff"), {**MARCH, "export": "xlsx"}))
    assert rows[0] == header and rows[0][0] == "Museum"
    row = next(row for row in rows[1:] if row[0] == "Museum aan de Stroom")
    assert row[1:3] == ["Antwerpen", "Vlaanderen"]
    assert row[4] == 12 and row[-2] == -20
    csv_rows = read_csv(
        client.get(reverse("dashboards:staff"), {**MARCH, "export": "csv"}), delimiter=";"
    )
    assert csv_rows[0] == header
    assert client.get(reverse("dashboards:staff"), {**MARCH, "export": "pdf"}).status_code == 400


def test_the_comparison_exports_museum_names_and_numbers(client, alice):
    museum = MuseumFactory(name="Museum aan de Stroom")
    visits(museum, 10, day=MONTH)
    rebuilt()
    client.force_login(alice)
    page = client.get(reverse("dashboards:comparison"), COMPARISON)
    table = next(table for table in page.context["tables"] if table.slug == "per-museum")
    assert "format=xlsx" in table.xlsx_url
    query = {**COMPARISON, "export": "per-museum", "format": "xlsx"}
    rows = read_xlsx(client.get(reverse("dashboards:comparison"), query))
    assert rows[0] == [table.label_header or table.title, *table.columns]
    assert rows[1][0] == "Museum aan de Stroom"
    assert rows[1][1:4] == [0.0, 0.3, 0.0]
    csv_rows = read_csv(
        client.get(reverse("dashboards:comparison"), {**COMPARISON, "export": "per-museum"}),
        delimiter=";",
    )
    assert csv_rows[1][1:4] == ["0,0", "0,3", "0,0"]
    bad = {**COMPARISON, "export": "per-museum", "format": "exe"}
    assert client.get(reverse("dashboards:comparison"), bad).status_code == 404
