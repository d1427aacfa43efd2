import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.channels.conftest import B_VIEWS

QUERY = {"from": "2026-02", "to": "2026-04"}


@pytest.mark.django_db
def test_the_summary_gives_each_month_alive_new_lost_consultations_and_requests(
    client, alice, two_partners
):
    client.force_login(alice)
    body = client.get(reverse("channels_api:summary"), QUERY).json()
    assert (body["from"], body["to"]) == ("2026-02", "2026-04")
    march = body["months"][1]
    assert march["month"] == "2026-03"
    assert (march["alive"], march["new"], march["lost"]) == (2, 2, 0)
    assert march["consultations"] == B_VIEWS + 3 and march["api_requests"] == 0
    assert body["months"][0]["alive"] == 0


@pytest.mark.django_db
def test_the_summary_refuses_a_bad_month_and_non_staff(client, alice, erik_a):
    client.force_login(alice)
    bad = client.get(reverse("channels_api:summary"), {"from": "2026-13"})
    assert bad.status_code == 400 and "from" in bad.json()
    client.force_login(erik_a)
    assert client.get(reverse("channels_api:summary")).status_code == 403


@pytest.mark.django_db
def test_a_partner_reads_their_channel_by_token_and_gets_404_for_another(
    client, erik_a, two_partners
):
    own, other = two_partners
    token = Token.objects.create(user=erik_a)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    body = client.get(reverse("channels_api:channel", args=[own.pk]), QUERY, **auth).json()
    assert body["name"] == "UiT in Aalst" and body["months"][1]["consultations"] == 3
    assert body["municipality"] == "Aalst"
    response = client.get(reverse("channels_api:channel", args=[other.pk]), QUERY, **auth)
    assert response.status_code == 404


@pytest.mark.django_db
def test_both_routes_are_in_the_openapi_schema(client, alice):
    client.force_login(alice)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/channels/summary/" in schema["paths"]
    assert "/api/channels/{channel_id}/" in schema["paths"]
