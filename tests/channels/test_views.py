import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.channels.conftest import B_VIEWS, DAY
from tests.channels.factories import channel_document, import_channels, views, write_tsv
from tests.dashboards.test_isolation import _routes

MARCH = {"from": "2026-01", "to": "2026-06", "period": "custom"}


@pytest.mark.django_db
def test_staff_see_the_evolution_of_alive_channels_and_consultations(client, alice, two_partners):
    client.force_login(alice)
    response = client.get(reverse("channels:staff"), MARCH)
    assert response.status_code == 200
    tables = {table.slug: table for table in response.context["tables"]}
    march = tables["alive"].columns.index(
        next(c for c in tables["alive"].columns if "2026" in c and ("March" in c or "maart" in c))
    )
    assert tables["alive"].rows[0].cells[march].value == 2  # both alive at March's end
    assert tables["alive"].rows[1].cells[march].value == 2  # and new in March
    assert tables["consultations"].rows[0].cells[march].value == B_VIEWS + 3
    assert {"alive-by-type", "consultations-by-party", "municipalities"} <= set(tables)
    assert b'data-chart="line"' in response.content


@pytest.mark.django_db
def test_the_staff_tables_export_as_xlsx_and_csv(client, alice, two_partners):
    client.force_login(alice)
    xlsx = client.get(reverse("channels:staff-xlsx", args=["consultations"]), MARCH)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Raadplegingen" and B_VIEWS + 3 in rows[1]
    csv = client.get(reverse("channels:staff-csv", args=["consultations"]), MARCH)
    assert csv.content.decode("utf-8").startswith("\ufeff")
    assert client.get(reverse("channels:staff-csv", args=["nothing"]), MARCH).status_code == 404
    bad = client.get(reverse("channels:staff-csv", args=["alive"]), {"from": "2026-99"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_channels_table_filters_sorts_and_exports(client, alice, two_partners, tmp_path):
    recent = views("page-b", timezone.localdate() - datetime.timedelta(days=3), 7)
    call_command("import_widget_events", str(write_tsv(tmp_path, recent, name="recent.tsv")))
    client.force_login(alice)
    url = reverse("channels:list")
    page = client.get(url, {"sort": "-views_30"})
    records = [row.record for row in page.context["table"].page.object_list]
    assert [(r.name, r.views_30) for r in records] == [("UiT in Ninove", 7), ("UiT in Aalst", 0)]
    assert records[0].last_seen == timezone.localdate() - datetime.timedelta(days=3)
    assert [r.record.name for r in client.get(url, {"sort": "-name"}).context["table"].page] == [
        "UiT in Ninove",
        "UiT in Aalst",
    ]
    filtered = client.get(url, {"partner": "aalst"})
    assert [row.record.name for row in filtered.context["table"].page.object_list] == [
        "UiT in Aalst"
    ]
    export = client.get(url, {"partner": "aalst", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Kanaal" and rows[1][0] == "UiT in Aalst" and len(rows) == 2
    csv = client.get(url, {"export": "csv"}).content.decode()
    assert csv.startswith("\ufeff") and "UiT in Ninove" in csv
    assert client.get(url, {"export": "pdf"}).status_code == 400


@pytest.mark.django_db
def test_the_channels_table_keeps_a_fixed_number_of_queries(
    client, alice, two_partners, tmp_path, django_assert_num_queries
):
    client.force_login(alice)
    url = reverse("channels:list")
    client.get(url)
    with django_assert_num_queries(5) as few:
        client.get(url)
    import_channels(
        tmp_path,
        [channel_document(name=f"Extra {i}", city=f"Town {i}") for i in range(30)],
        two_partners[0].status_changes.first().day,
    )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_the_staff_page_and_a_channel_page_keep_a_fixed_number_of_queries(
    client, alice, two_partners, tmp_path, django_assert_num_queries
):
    client.force_login(alice)
    channel = two_partners[0]
    counts = {}
    for name, url in (
        ("staff", reverse("channels:staff")),
        ("channel", reverse("channels:channel", args=[channel.pk])),
    ):
        client.get(url, MARCH)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, MARCH)
        counts[name] = len(captured.captured_queries)
    import_channels(
        tmp_path,
        [channel_document(name=f"More {i}", pages=(f"x{i}",)) for i in range(20)],
        channel.status_changes.first().day,
    )
    for name, url in (
        ("staff", reverse("channels:staff")),
        ("channel", reverse("channels:channel", args=[channel.pk])),
    ):
        with django_assert_num_queries(counts[name]):
            client.get(url, MARCH)
    assert counts["staff"] <= 8 and counts["channel"] <= 10


@pytest.mark.django_db
def test_a_partner_user_sees_their_channel_and_gets_404_for_another(client, erik_a, two_partners):
    own, other = two_partners
    client.force_login(erik_a)
    assert client.get(reverse("channels:home")).url == reverse("channels:channel", args=[own.pk])
    page = client.get(reverse("channels:channel", args=[own.pk]), MARCH)
    assert page.status_code == 200 and b"UiT in Aalst" in page.content
    assert client.get(reverse("channels:channel", args=[other.pk])).status_code == 404
    assert client.get(reverse("channels:staff")).status_code == 403
    assert client.get(reverse("channels:list")).status_code == 403


@pytest.mark.django_db
def test_the_channel_page_shows_pages_history_and_the_events_most_viewed(
    client, alice, two_partners, tmp_path
):
    own = two_partners[0]
    lines = views("page-a", DAY, 2, page_type="event_page", cdbid="evt-123")
    call_command("import_widget_events", str(write_tsv(tmp_path, lines, name="evt.tsv")))
    client.force_login(alice)
    response = client.get(reverse("channels:channel", args=[own.pk]), MARCH)
    assert [event["event_id"] for event in response.context["events"]] == ["evt-123"]
    assert response.context["pages"][0].views == 5
    assert [change.status for change in response.context["history"]] == ["active"]
    trend = response.context["tables"][0]
    assert trend.slug == "trend" and trend.rows[0].label == "Raadplegingen"


def test_every_channel_route_takes_only_a_channel_id_or_a_table():
    for name, kwargs in _routes():
        if name.startswith("channels"):
            assert set(kwargs) <= {"channel_id", "table"}, name
