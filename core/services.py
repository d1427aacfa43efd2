from typing import Any

from django.db import models

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
