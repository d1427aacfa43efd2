"""Versions of the family-offer rule: create and change a draft, activate, import from JSON,
export. Activation swaps the active flag in one transaction under the active row's lock; a
version that was ever active is never changed again. Every change leaves an audit row.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.services import audit_record
from events.selectors import term_map
from family.models import FamilyRule
from family.services.rule import RULE_FIELDS, rule_values

logger = logging.getLogger(__name__)


class RuleNotEditable(Exception):
    """Only drafts (versions never active) may change."""


def known_terms() -> dict[str, str]:
    """Term id -> domain, for checking a rule's excluded types and themes."""
    return {term.id: term.domain for term in term_map().values() if not term.unknown}


def rule_as_json(rule: FamilyRule) -> dict:
    """The rule's values in the JSON form `family_rules export` writes and `import` reads."""
    return {name: getattr(rule, name) for name in RULE_FIELDS}


def family_rule_create(*, values: dict, actor=None, note: str = "") -> FamilyRule:
    """A new draft version with the next number (checked values, see `rule_values`)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version = (FamilyRule.objects.aggregate(last=Max("version"))["last"] or 0) + 1
                created_by = actor if actor is not None and actor.is_authenticated else None
                rule = FamilyRule.objects.create(
                    version=version, note=note, created_by=created_by, **values
                )
                audit_record(
                    actor=actor,
                    action="family_rule.created",
                    target=rule,
                    new_values={"version": version, **values},
                    note=note,
                )
                return rule
        except IntegrityError:
            continue  # someone took that number at the same moment: take the next
    raise RuntimeError("could not number a new family-offer rule version")


def family_rule_update(*, rule: FamilyRule, values: dict, actor=None) -> None:
    """Change a draft's values (and `note`, if given); RuleNotEditable for any other."""
    with transaction.atomic():
        current = FamilyRule.objects.select_for_update().get(pk=rule.pk)
        if not current.is_draft:
            raise RuleNotEditable(f"version {rule.version} was active once; make a new version")
        old = {name: getattr(current, name) for name in values}
        FamilyRule.objects.filter(pk=rule.pk).update(**values)
        audit_record(
            actor=actor,
            action="family_rule.changed",
            target=rule,
            old_values=old,
            new_values=values,
        )
    for name, value in values.items():
        setattr(rule, name, value)


def family_rule_activate(*, rule: FamilyRule, actor=None) -> FamilyRule | None:
    """Make `rule` the active version; returns the version it replaced (None if it already
    was). The events are classified again by a Celery task after the commit (and nightly)."""
    return activate_version(rule, actor, "family_rule.activated")


def activate_version(instance, actor, action: str):
    """Make `instance` (a rule or model version: `is_active`, `activated_at`) the active one of
    its kind, with its audit row; the version it replaced, None if it already was active. The
    events are classified again by a Celery task after the commit."""
    now = timezone.now()
    versions = type(instance).objects
    with transaction.atomic():
        previous = versions.select_for_update().filter(is_active=True).first()
        if previous is not None and previous.pk == instance.pk:
            return None
        versions.filter(is_active=True).update(is_active=False)
        versions.filter(pk=instance.pk).update(
            is_active=True, activated_at=instance.activated_at or now
        )
        audit_record(
            actor=actor,
            action=action,
            target=instance,
            old_values={"active_version": previous.version if previous else None},
            new_values={"active_version": instance.version},
        )
        transaction.on_commit(_queue_classification)
    instance.is_active, instance.activated_at = True, instance.activated_at or now
    return previous


def family_rule_import(*, data, actor=None, note: str = "") -> FamilyRule:
    """Check `data` (the JSON form), then create a version from it and activate it, in one
    transaction. RuleDataError when anything is wrong: nothing is written."""
    values = rule_values(data, known_terms())
    with transaction.atomic():
        rule = family_rule_create(values=values, actor=actor, note=note)
        family_rule_activate(rule=rule, actor=actor)
    return rule


def _queue_classification() -> None:
    from family.tasks import classify_family

    try:
        classify_family.delay()
    except Exception:
        logger.exception("could not queue the family-offer classification; the nightly run will")
