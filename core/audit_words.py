"""Audit rows in words: what was done, and each changed value by its field's label.

Apps name their own actions in `<app>/audit_words.py` (a dict `ACTIONS`); configuration saved
through the admin is written as "<model> created / changed / deleted"."""

from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.app_modules import app_modules
from core.models import AuditEntry

CONFIG_VERBS = {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}
ACTIONS = {
    "accounts.password_reset": _("asked for a password reset"),
    "core.user_password_set": _("set a user's password"),
    "events.imported": _("imported events"),
    "terms.loaded": _("loaded the terms"),
}


@cache
def _actions() -> dict:
    actions = dict(ACTIONS)
    for module in app_modules("audit_words"):
        actions.update(getattr(module, "ACTIONS", {}))
    return actions


def action_words(entry: AuditEntry) -> str:
    if entry.action in _actions():
        return str(_actions()[entry.action])
    model, verb = _config_action(entry)
    if model is not None:
        return f"{model._meta.verbose_name} {CONFIG_VERBS[verb]}"
    return entry.action


def changes_words(entry: AuditEntry, *, extra_models=(), names=None) -> str:
    """The changed values as "label: before → after", or "label: value" where there was no
    value before. `names` maps related models to {pk: name} to write objects by their name."""
    keys = sorted(set(entry.old_values) | set(entry.new_values))
    models_ = (entry_model(entry), *extra_models)
    changes = (_change(key, entry, models_, names or {}) for key in keys)
    return "; ".join(change for change in changes if change)


def values_words(values: dict, models_) -> str:
    """Stored values ({field name: value}) as "label: value; ...", by the models' fields."""
    parts = []
    for key, value in values.items():
        label, words = _field(key, models_, {})
        parts.append(f"{label}: {words(value)}")
    return "; ".join(parts) or "-"


def related_names(entries) -> dict:
    """{related model: {pk: name}} for the objects the entries' values refer to, one query per
    related model: how the admin's audit page writes a group or a schedule by its name."""
    wanted: dict = {}
    for entry in entries:
        model = entry_model(entry)
        for values in (entry.old_values, entry.new_values):
            for key, value in values.items():
                field = _get_field(model, key)
                if field is not None and field.is_relation and field.related_model:
                    pks = value if isinstance(value, list) else [value]
                    wanted.setdefault(field.related_model, set()).update(pks)
    return {
        model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=pks - {None})}
        for model, pks in wanted.items()
    }


def _change(key: str, entry: AuditEntry, models_, names) -> str:
    label, words = _field(key, models_, names)
    after = words(entry.new_values.get(key))
    if key not in entry.old_values:
        return f"{label}: {after}"
    before = words(entry.old_values[key])
    return f"{label}: {before} → {after}" if before != after else ""


def _field(key: str, models_, names):
    """The field's label and a function that writes its values in words."""
    for model in models_:
        field = _get_field(model, key)
        if field is None:
            continue
        choices = dict(field.flatchoices) if field.choices else {}
        if field.is_relation and field.related_model:
            choices = names.get(field.related_model, {})
        return field.verbose_name, lambda value, choices=choices: value_words(value, choices)
    return KEYS.get(key, key), value_words


KEYS = {"task": _("task"), "queue": _("queue"), "decision": _("decision")}


def value_words(value, choices=None) -> str:
    """A stored value in words: a choice by its label, yes or no, a list joined, "-" for none."""
    choices = choices or {}
    if isinstance(value, list):
        return ", ".join(value_words(item, choices) for item in value) or "-"
    value = choices.get(value, value) if isinstance(value, str | int) else value
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_words(item)}" for key, item in value.items()) or "-"
    return str(value)


def entry_model(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def _config_action(entry: AuditEntry):
    label, _dot, verb = entry.action.rpartition("_")
    model = entry_model(entry)
    if verb in CONFIG_VERBS and model is not None and label == model._meta.label_lower:
        return model, verb
    return None, None


def _get_field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
