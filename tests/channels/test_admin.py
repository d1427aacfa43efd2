"""Administrators link partner users to their organisation; each change is audited."""

import pytest
from django.urls import reverse

from channels.models import Partner, PartnerMembership
from core.models import AuditEntry, User
from tests.support.users import make_user


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", "root@example.be", "x")


def test_an_administrator_adds_and_removes_a_partner_membership(client, admin_user, two_partners):
    erik = make_user("erik")
    partner = Partner.objects.get(municipality="Aalst")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:channels_partnermembership_add"), {"user": erik.pk, "partner": partner.pk}
    )
    assert response.status_code == 302
    membership = PartnerMembership.objects.get(user=erik, partner=partner)
    granted = AuditEntry.objects.get(action="channels.membership_granted")
    assert granted.actor == admin_user and granted.new_values == {"user": "erik"}
    response = client.post(
        reverse("admin:channels_partnermembership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not PartnerMembership.objects.exists()
    assert AuditEntry.objects.get(action="channels.membership_revoked").old_values == {
        "user": "erik"
    }


def test_channels_are_read_only_in_the_admin(client, admin_user, two_partners):
    client.force_login(admin_user)
    own = two_partners[0]
    assert client.get(reverse("admin:channels_channel_changelist")).status_code == 200
    assert client.get(reverse("admin:channels_channel_add")).status_code == 403
    page = client.get(reverse("admin:channels_channel_change", args=[own.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
