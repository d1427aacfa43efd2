"""Roles and beat schedules are configuration: a change in the admin, by its form or its
switches, leaves an audit row with the old and new values."""

import pytest
from django.contrib.auth.models import Group, Permission
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.models import AuditEntry, User
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


def test_a_users_roles_changed_in_the_admin_are_audited_without_the_password(admin_client):
    from tests.support.users import make_user

    bob = make_user("bob")
    curator = Group.objects.get(name="curator")
    url = f"/admin/core/user/{bob.pk}/change/"
    data = {**admin_form_data(admin_client, url), "groups": [curator.pk]}
    assert admin_client.post(url, data).status_code == 302

    row = AuditEntry.objects.get(action="core.user_changed", object_id=str(bob.pk))
    assert (row.old_values, row.new_values) == ({"groups": []}, {"groups": [curator.pk]})
    assert row.actor.username == "ada"


def test_a_user_added_or_given_a_password_in_the_admin_leaves_no_password_in_the_audit(
    admin_client,
):
    created = admin_client.post(
        "/admin/core/user/add/",
        {"username": "nieuw", "password1": "Zeer-geheim-2026!", "password2": "Zeer-geheim-2026!"},
    )
    assert created.status_code == 302
    user = User.objects.get(username="nieuw")
    url = f"/admin/core/user/{user.pk}/password/"
    new_password = {"password1": "Nog-geheimer-2026!", "password2": "Nog-geheimer-2026!"}
    assert admin_client.post(url, new_password).status_code == 302

    rows = AuditEntry.objects.filter(object_type="core.user", object_id=str(user.pk))
    assert [row.action for row in rows.order_by("id")] == [
        "core.user_created",
        "core.user_password_set",
    ]
    stored = str([(row.old_values, row.new_values) for row in rows])
    user.refresh_from_db()
    assert user.check_password("Nog-geheimer-2026!")
    assert "password" not in stored and "geheim" not in stored and user.password not in stored
