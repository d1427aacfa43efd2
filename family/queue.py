"""The family queue. Without a model: what the rule labels, plus a random audit share. With an
active model: the events it is unsure of (score within FAMILY_UNSURE_MARGIN of its threshold),
the least sure first, plus the audit share of the others; the rest are automatic labels."""

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Mod

from curation.models import Queue, QueueKind
from curation.services.feeders import (
    SAMPLE_SCALE,
    SAMPLE_SPREAD,
    register_feeder,
    register_positions,
)
from events.models import Event
from family.models import FamilyClassification, FamilyModel


def _active_model() -> FamilyModel | None:
    return FamilyModel.objects.filter(is_active=True).only("version", "threshold").first()


@register_feeder(QueueKind.FAMILY)
def family_feeder(queue: Queue, events: QuerySet[Event]) -> QuerySet[Event]:
    """Events no curator decided yet: see the module. The audit share lets the evaluation
    measure recall honestly: a queue of only what the machine proposes (or doubts) would
    never show what it misses."""
    undecided = events.exclude(curation__family__isnull=False).alias(audit_slot=_AUDIT_SLOT)
    audited = Q(audit_slot__lt=_audit_threshold())
    model = _active_model()
    if model is None:
        labelled = Q(family_classification__label=True)
        return undecided.filter(labelled | Q(family_classification__label=False) & audited)
    margin = settings.FAMILY_UNSURE_MARGIN
    unsure = Q(
        family_classification__score__gt=model.threshold - margin,
        family_classification__score__lt=model.threshold + margin,
    )
    scored = undecided.filter(family_classification__model_version=model.version)
    return scored.filter(unsure | audited)


@register_positions(QueueKind.FAMILY)
def family_positions(queue: Queue, event_ids: list[int]) -> dict[int, int] | None:
    """With an active model: the distance of the score from the threshold (in millionths),
    so curators see first what the model is least sure of; None keeps the queue's order."""
    model = _active_model()
    if model is None:
        return None
    scores = FamilyClassification.objects.filter(
        event_id__in=event_ids, model_version=model.version
    ).values_list("event_id", "score")
    return {pk: round(abs(score - model.threshold) * 1_000_000) for pk, score in scores}


# The audit share is drawn by event id alone, with its own salt: the same events whatever
# the rule version, so a draft rule is measured on the same random events as the active one,
# and raising the share keeps the events already in it.
_AUDIT_SALT = 7919
_AUDIT_SLOT = Mod(F("id") * SAMPLE_SPREAD + _AUDIT_SALT, SAMPLE_SCALE)


def in_audit_share(event_id: int) -> bool:
    """The feeder's test in Python (the evaluation page)."""
    return (event_id * SAMPLE_SPREAD + _AUDIT_SALT) % SAMPLE_SCALE < _audit_threshold()


def _audit_threshold() -> int:
    return settings.CURATION_FAMILY_AUDIT_PERCENT * SAMPLE_SCALE // 100
