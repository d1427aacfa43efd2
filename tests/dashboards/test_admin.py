"""Administrators link museum users to their museums in the admin; each change is audited."""

import pytest
from django.urls import reverse

from core.models import AuditEntry, User
from dashboards.models import MuseumMembership
from tests.museumpas.factories import MuseumFactory


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", "root@example.be", "x")


def test_an_administrator_adds_and_removes_a_membership(client, admin_user, charlie):
    museum = MuseumFactory(name="MAS")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:dashboards_museummembership_add"),
        {"user": charlie.pk, "museum": museum.pk},
    )
    assert response.status_code == 302
    membership = MuseumMembership.objects.get(user=charlie, museum=museum)
    granted = AuditEntry.objects.get(action="dashboards.membership_granted")
    assert granted.actor == admin_user and granted.new_values == {"user": "charlie"}

    changelist = client.get(reverse("admin:dashboards_museummembership_changelist"))
    assert "MAS" in changelist.content.decode()

    response = client.post(
        reverse("admin:dashboards_museummembership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not MuseumMembership.objects.exists()
    revoked = AuditEntry.objects.get(action="dashboards.membership_revoked")
    assert revoked.old_values == {"user": "charlie"}


def test_a_membership_is_not_added_twice(client, admin_user, charlie):
    museum = MuseumFactory()
    MuseumMembership.objects.create(user=charlie, museum=museum)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:dashboards_museummembership_add"),
        {"user": charlie.pk, "museum": museum.pk},
    )
    assert response.status_code == 200
    assert MuseumMembership.objects.count() == 1
