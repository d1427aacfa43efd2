"""The demo: charlie sees MAS with charts and some figures withheld; dora's MSK is not his."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import User
from dashboards.models import MonthSummary, MuseumMembership
from museumpas.models import Museum


@pytest.mark.django_db
def test_the_demo_museum_users_see_their_own_dashboard_only(client):
    call_command("seed_demo", stdout=StringIO())
    charlie = User.objects.get(username="charlie")
    mas, msk = (
        Museum.objects.get(external_id="demo-mas"),
        Museum.objects.get(external_id="demo-msk"),
    )
    assert list(MuseumMembership.objects.filter(user=charlie).values_list("museum", flat=True)) == [
        mas.pk
    ]
    assert MuseumMembership.objects.filter(user__username="dora", museum=msk).exists()

    client.force_login(charlie)
    response = client.get(reverse("dashboards:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboards:museum", args=[mas.pk])
    dashboard = response.context["dashboard"]
    # Every chart has something to draw.
    for table in dashboard.tables:
        if table.chart:
            values = [cell.value for row in table.rows for cell in row.cells]
            assert any(values), table.slug
    # Somewhere a figure is withheld: a month of MAS with three responses.
    responses = dashboard.table("responses").rows[1].cells
    assert any(cell.hidden for cell in responses)
    assert "&lt;5" in response.content.decode()
    assert dashboard.comments_shown
    assert client.get(reverse("dashboards:museum", args=[msk.pk])).status_code == 404
    assert MonthSummary.objects.exists() and MuseumMembership.objects.count() == 2
