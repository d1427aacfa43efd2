import pytest
from django.urls import reverse

from core.models import User
from uitpas import demo


class _Out:
    def write(self, text):
        pass


@pytest.mark.django_db
def test_the_demo_partner_sees_dender_and_not_gent(client):
    demo.seed(out=_Out())
    demo.seed(out=_Out())  # safe to run again
    client.force_login(User.objects.get(username=demo.USERNAME))
    page = client.get(reverse("uitpas:municipality", args=["41002"]))
    assert page.status_code == 200
    assert client.get(reverse("uitpas:municipality", args=["44021"])).status_code == 404
    trend = page.context["page"].table("trend")
    assert any(cell.value for row in trend.rows for cell in row.cells)
    small = client.get(reverse("uitpas:municipality", args=["41011"])).content.decode()
    assert "Verborgen: minder dan 5 pashouders" in small
    profiles = client.get(reverse("uitpas:card-system-profiles", args=[9001]))
    assert any(
        cell.value for row in profiles.context["page"].table("profiles").rows for cell in row.cells
    )
