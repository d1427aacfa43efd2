from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from channels.models import Channel, ChannelMonth
from core.models import User


@pytest.mark.django_db
def test_the_demo_has_dying_and_new_channels_and_a_partner_user_who_sees_only_theirs(client):
    call_command("seed_demo", stdout=StringIO())
    assert Channel.objects.count() >= 30
    assert (
        ChannelMonth.objects.filter(new=True)
        .exclude(month=ChannelMonth.objects.earliest("month").month)
        .exists()
    )
    assert ChannelMonth.objects.filter(lost=True).exists()
    elke = User.objects.get(username="elke")
    client.force_login(elke)
    response = client.get(reverse("channels:home"), follow=True)
    assert response.context["channel"].name == "UiT in Aalst"
    other = Channel.objects.get(name="UiT in Gent")
    assert client.get(reverse("channels:channel", args=[other.pk])).status_code == 404
    assert elke.check_password("elke-demo-2026")

    client.force_login(User.objects.get(username="alice"))
    staff = client.get(reverse("channels:staff"))
    alive = staff.context["tables"][0].rows[0].cells
    assert max(cell.value for cell in alive) >= 20
