"""The curation actions in words (core.audit_words reads ACTIONS), and an event's changes
written with the labels of the curated values and of the task."""

from django.utils.translation import gettext_lazy as _

from core import audit_words
from core.models import AuditEntry
from curation.models import EventCuration, Task

ACTIONS = {
    "task.claimed": _("took the task"),
    "task.assigned": _("assigned the task"),
    "task.released": _("handed the task back"),
    "task.kept": _("kept the task for later"),
    "task.skipped": _("skipped the task"),
    "task.decided": _("decided"),
    "task.decision_amended": _("amended the decision"),
    "task.decision_undone": _("undid the decision"),
    "event.url_checked": _("checked the URL"),
    "events.imported_from_form": _("imported from the virtual-offer form"),
    "queues.built": _("built the queues"),
}


def changes_words(entry: AuditEntry) -> str:
    return audit_words.changes_words(entry, extra_models=(EventCuration, Task))
