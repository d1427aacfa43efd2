"""The family queue: what the family-offer rule proposes, plus a random audit share."""

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Mod

from curation.models import Queue, QueueKind
from curation.services.feeders import SAMPLE_SCALE, SAMPLE_SPREAD, register_feeder
from events.models import Event


@register_feeder(QueueKind.FAMILY)
def family_feeder(queue: Queue, events: QuerySet[Event]) -> QuerySet[Event]:
    """Events the family-offer rule labels, plus the audit share of those it does not, that
    no curator decided yet. The audit share lets the evaluation measure recall honestly: a
    queue of only what the rule proposes would never show what it misses."""
    undecided = events.exclude(curation__family__isnull=False).alias(audit_slot=_AUDIT_SLOT)
    audited = Q(family_classification__label=False, audit_slot__lt=_audit_threshold())
    return undecided.filter(Q(family_classification__label=True) | audited)


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
