"""Roles and beat schedules are configuration: a change in the admin, by its form or its
switches, leaves an audit row with the old and new values."""

import pytest
from django.contrib.auth.models import Group, Permission
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.models import AuditEntry
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def nightly(db):
    crontab = CrontabSchedule.objects.create(minute="0", hour="3")
    return PeriodicTask.objects.create(name="nightly", task="core.tasks.ping", crontab=crontab)


def test_a_schedule_changed_in_the_admin_leaves_its_old_and_new_values(admin_client, nightly):
    url = f"/admin/django_celery_beat/crontabschedule/{nightly.crontab_id}/change/"
    data = {**admin_form_data(admin_client, url), "hour": "4"}

    assert admin_client.post(url, data).status_code == 302

    row = AuditEntry.objects.get(action="django_celery_beat.crontabschedule_changed")
    assert (row.old_values, row.new_values) == ({"hour": "3"}, {"hour": "4"})


def test_switching_periodic_tasks_off_in_the_admin_leaves_an_audit_row(admin_client, nightly):
    response = admin_client.post(
        "/admin/django_celery_beat/periodictask/",
        {"action": "disable_tasks", "_selected_action": [nightly.pk]},
        follow=True,
    )

    assert "1 taak uitgeschakeld" in response.content.decode()
    nightly.refresh_from_db()
    row = AuditEntry.objects.get(action="django_celery_beat.periodictask_changed")
    assert nightly.enabled is False and row.object_id == str(nightly.pk)
    assert row.old_values == {"enabled": True, "last_run_at": None}
    assert row.new_values == {"enabled": False, "last_run_at": None}


def test_running_periodic_tasks_from_the_admin_says_so_in_dutch(admin_client):
    sessions = PeriodicTask.objects.get(task="core.clear_expired_sessions")
    response = admin_client.post(
        "/admin/django_celery_beat/periodictask/",
        {"action": "run_tasks", "_selected_action": [sessions.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "1 taak naar de worker gestuurd" in page and "successfully" not in page


def test_a_periodic_task_deleted_in_the_admin_leaves_its_values(admin_client, nightly):
    url = f"/admin/django_celery_beat/periodictask/{nightly.pk}/delete/"

    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    row = AuditEntry.objects.get(action="django_celery_beat.periodictask_deleted")
    assert row.object_id == str(nightly.pk) and row.old_values["name"] == "nightly"


def test_a_roles_permissions_changed_in_the_admin_leave_their_old_and_new_values(admin_client):
    role = Group.objects.get(name="curator")
    before = sorted(role.permissions.values_list("pk", flat=True))
    added = Permission.objects.exclude(pk__in=before).first()
    url = f"/admin/auth/group/{role.pk}/change/"
    data = {**admin_form_data(admin_client, url), "permissions": [*before, added.pk]}

    assert admin_client.post(url, data).status_code == 302

    row = AuditEntry.objects.get(action="auth.group_changed")
    assert set(row.old_values) == set(row.new_values) == {"permissions"}
    assert sorted(row.old_values["permissions"]) == before
    assert sorted(row.new_values["permissions"]) == sorted([*before, added.pk])
