from typing import Any

from django import forms
from django.db import models, transaction

from core.models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    old_values: dict[str, Any] | None = None,
    new_values: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write the audit row of a state change; call it inside the change's own transaction."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        old_values=old_values or {},
        new_values=new_values or {},
        note=note,
    )


def config_save(*, form: forms.ModelForm, actor) -> models.Model:
    """Save a configuration form's object (many-to-many included) with its audit row: the
    changed fields' old and new values, or every value of a new object."""
    created = form.instance._state.adding
    old, new = ({}, {}) if created else _changes(form)
    with transaction.atomic():
        instance = form.save()
        if created:
            _config_audit(instance, "created", actor, new=_values(instance))
        elif new:
            _config_audit(instance, "changed", actor, old=old, new=new)
    return instance


def config_formset_save(*, formset: forms.BaseModelFormSet, actor) -> None:
    """Save an inline formset of configuration, with an audit row per object it creates,
    changes or deletes."""
    deleted = [form.instance for form in formset.deleted_forms if form.instance.pk is not None]
    changed = [
        (form.instance, *_changes(form))
        for form in formset.initial_forms
        if form.has_changed() and form not in formset.deleted_forms
    ]
    with transaction.atomic():
        for instance in deleted:
            _config_audit(instance, "deleted", actor, old=_values(instance))
        formset.save()
        for instance, old, new in changed:
            _config_audit(instance, "changed", actor, old=old, new=new)
        for instance in formset.new_objects:
            _config_audit(instance, "created", actor, new=_values(instance))


def config_update(*, instance: models.Model, values: dict[str, Any], actor) -> None:
    """Set fields of a configuration object (an admin action's switch), with its audit row."""
    old = {name: _plain(getattr(instance, name)) for name in values}
    with transaction.atomic():
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save(update_fields=list(values))
        new = {name: _plain(value) for name, value in values.items()}
        _config_audit(instance, "changed", actor, old=old, new=new)


def config_delete(*, instance: models.Model, actor) -> None:
    """Delete a configuration object, with an audit row of its values."""
    with transaction.atomic():
        _config_audit(instance, "deleted", actor, old=_values(instance))
        instance.delete()


def _config_audit(instance: models.Model, verb: str, actor, old=None, new=None) -> None:
    opts = instance._meta
    action = f"{opts.app_label}.{opts.model_name}_{verb}"
    audit_record(actor=actor, action=action, target=instance, old_values=old, new_values=new)


# Secrets stay out of the audit trail, hashed or not.
NEVER_AUDITED = {"password", "password1", "password2"}


def _changes(form: forms.ModelForm) -> tuple[dict, dict]:
    names = [name for name in form.changed_data if name not in NEVER_AUDITED]
    old = {name: _plain(form.get_initial_for_field(form.fields[name], name)) for name in names}
    return old, {name: _plain(form.cleaned_data.get(name)) for name in names}


def _values(instance: models.Model) -> dict[str, Any]:
    opts = instance._meta
    fields = [*opts.concrete_fields, *(opts.many_to_many if instance.pk is not None else ())]
    return {
        field.name: _plain(field.value_from_object(instance))
        for field in fields
        if field.name not in NEVER_AUDITED
    }


def _plain(value) -> Any:
    """A value as JSON holds it: objects by primary key, dates and numbers as text."""
    if isinstance(value, models.Model):
        return _plain(value.pk)
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool | dict):
        return value
    return str(value)
