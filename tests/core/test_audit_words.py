"""The admin shows audit rows, decisions and stored lists in words, in the reader's language:
no raw JSON, no True/None, no primary keys where a name exists."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.models import AuditEntry
from curation.models import Decision, QueueKind, Task
from curation.services.decisions import task_decide
from curation.services.queues import task_claim_next
from tests.curation.factories import QueueFactory
from tests.events.factories import EventFactory
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db
RAW = ("True", "False", "None", "{", "[", '"')


def _dutch(admin_client, url) -> str:
    response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    return response.content.decode()


def _cells(html: str, name: str) -> list[str]:
    """The list's cells of one column (Django's class field-<name>), or a change page's
    read-only value of that field."""
    cells = re.findall(rf'<t[dh] class="field-{name}[^"]*">(.*?)</t[dh]>', html, re.DOTALL)
    values = re.findall(rf'field-{name}.*?<div class="readonly">(.*?)</div>', html, re.DOTALL)
    return [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells or values]


def test_a_switched_schedule_reads_in_words_in_the_audit_list(admin_client):
    crontab = CrontabSchedule.objects.create(minute="0", hour="3")
    nightly = PeriodicTask.objects.create(name="nightly", task="core.tasks.ping", crontab=crontab)
    admin_client.post(
        "/admin/django_celery_beat/periodictask/",
        {"action": "disable_tasks", "_selected_action": [nightly.pk]},
    )

    html = _dutch(admin_client, "/admin/core/auditentry/")

    [what] = _cells(html, "what")
    [changes] = _cells(html, "changes")
    assert what == "periodieke taak gewijzigd"
    assert changes == "Aan: ja → nee"
    assert not any(raw in changes for raw in RAW)


def test_a_roles_permissions_are_written_by_name_not_by_key(admin_client):
    role = Group.objects.get(name="curator")
    before = sorted(role.permissions.values_list("pk", flat=True))
    added = Permission.objects.exclude(pk__in=before).order_by("pk").first()
    url = f"/admin/auth/group/{role.pk}/change/"
    data = {**admin_form_data(admin_client, url), "permissions": [*before, added.pk]}
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="auth.group_changed")

    page = _dutch(admin_client, f"/admin/core/auditentry/{entry.pk}/change/")
    listing = _dutch(admin_client, "/admin/core/auditentry/")

    [changes] = _cells(listing, "changes")
    assert str(added) in changes and f", {added.pk}," not in changes
    assert changes.startswith("rechten: ")
    assert str(added) in page and "groep gewijzigd" in page


def test_a_decisions_values_and_an_events_labels_read_in_words(admin_client, alice):
    event = EventFactory(labels=["uitpas", "zomer"], hidden_labels=[])
    queue = QueueFactory(kind=QueueKind.FAMILY)
    Task.objects.create(queue=queue, event=event)
    task = task_claim_next(queue=queue, curator=alice)
    task_decide(task=task, curator=alice, values={"family": True})
    decision = Decision.objects.get(event=event)

    decision_page = _dutch(admin_client, f"/admin/curation/decision/{decision.pk}/change/")
    event_page = _dutch(admin_client, f"/admin/events/event/{event.pk}/change/")
    audit_list = _dutch(admin_client, "/admin/core/auditentry/?action=task.decided")

    [values] = _cells(decision_page, "values_display")
    assert values == "familieaanbod (gecureerd): ja"
    [labels] = _cells(event_page, "labels_display")
    assert labels == "uitpas, zomer"
    [what] = _cells(audit_list, "what")
    assert what == "beslist"
