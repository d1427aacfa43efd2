"""Museums are configuration: a change in the admin leaves an audit row."""

import pytest

from core.models import AuditEntry
from tests.museumpas.factories import MuseumFactory
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def test_a_museum_changed_in_the_admin_leaves_its_old_and_new_values(admin_client):
    museum = MuseumFactory(name="MAS", active=True)
    url = f"/admin/museumpas/museum/{museum.pk}/change/"
    data = {**admin_form_data(admin_client, url), "name": "MAS Antwerpen", "active": ""}

    assert admin_client.post(url, data).status_code == 302

    row = AuditEntry.objects.get(action="museumpas.museum_changed")
    assert row.object_id == str(museum.pk) and row.actor.username == "ada"
    assert row.old_values == {"name": "MAS", "active": True}
    assert row.new_values == {"name": "MAS Antwerpen", "active": False}
