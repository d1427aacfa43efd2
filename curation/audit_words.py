"""An event's audit rows in words: what was done, and each changed value by its label."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

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
}
KEYS = {"task": _("task"), "queue": _("queue"), "decision": _("decision")}


def action_words(entry: AuditEntry) -> str:
    return ACTIONS.get(entry.action, entry.action)


def changes_words(entry: AuditEntry) -> str:
    keys = sorted(set(entry.old_values) | set(entry.new_values))
    changes = (_change(key, entry.old_values, entry.new_values) for key in keys)
    return "; ".join(change for change in changes if change)


def _change(key: str, old: dict, new: dict) -> str:
    label, words = _field(key)
    after = words(new.get(key))
    if key not in old:
        return f"{label}: {after}"
    before = words(old[key])
    return f"{label}: {before} → {after}" if before != after else ""


def _field(key: str):
    """The field's label and a function that writes its values in words."""
    for model in (EventCuration, Task):
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        choices = dict(field.flatchoices) if field.choices else {}
        return field.verbose_name, lambda value, choices=choices: _value(choices.get(value, value))
    return KEYS.get(key, key), _value


def _value(value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "-"
    return str(value)
