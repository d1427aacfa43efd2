"""Reads of the family-offer rule: an event's label explained (task page, admin, API) and the
evaluation of rule versions against the curators' decisions.

The curator's decision wins over the rule: `final` is the curated value where there is one,
else the automatic label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from curation.models import EventCuration
from curation.selectors import register_event_page_panel, register_task_page_panel
from events.selectors import term_map
from family.models import FamilyClassification, FamilyRule
from family.queue import in_audit_share
from family.services.rule import EVENT_FIELDS, STORED_FIELDS, Classification, compiled_rule

# Explaining one event --------------------------------------------------------------------


def exclusion_label(excluded_by: str) -> str:
    """ "theme 1.37.0.0.0" -> "theme Opvoeding (1.37.0.0.0)", in the user's language."""
    kind, _space, value = excluded_by.partition(" ")
    if kind == "keyword":
        return _("keyword %(keyword)s") % {"keyword": value}
    kind, _space, term_id = excluded_by.rpartition(" ")
    what = _("event type") if kind == "event type" else _("theme")
    return f"{what} {term_map([term_id])[term_id].label} ({term_id})"


@dataclass
class FamilyExplanation:
    """Why the rule labels an event as it does: "kind +1, gezin +1, minimum age 4 +2 = 4"."""

    items: list[tuple[str, int]]
    points: int
    label: bool
    threshold: int
    excluded_by: str
    rule_version: int

    @property
    def verdict(self) -> str:
        if self.excluded_by:
            exclusion = exclusion_label(self.excluded_by)
            return _("not family: excluded by %(exclusion)s") % {"exclusion": exclusion}
        if self.label:
            return _("family")
        message = _("not family (below the threshold of %(threshold)s)")
        return message % {"threshold": self.threshold}

    @property
    def text(self) -> str:
        items = ", ".join(f"{name} +{points}" for name, points in self.items)
        return f"{items or _('nothing')} = {self.points}: {self.verdict}"


def explain(classification: FamilyClassification, event) -> FamilyExplanation:
    """`classification` with its rule; `event` for its ages."""
    c, matched = classification, classification.matched_keywords
    each = (c.points - c.min_age_points - c.max_age_points) // len(matched) if matched else 0
    items = [(keyword, each) for keyword in matched]
    if c.min_age_points:
        items.append((_("minimum age %(age)s") % {"age": event.min_age}, c.min_age_points))
    if c.max_age_points:
        items.append((_("maximum age %(age)s") % {"age": event.max_age}, c.max_age_points))
    return FamilyExplanation(items, c.points, c.label, c.rule.threshold, c.excluded_by, c.rule_id)


@dataclass
class FamilyState:
    explanation: FamilyExplanation | None  # None: not classified yet
    curated: bool | None

    @property
    def automatic(self) -> bool | None:
        return self.explanation.label if self.explanation else None

    @property
    def final(self) -> bool | None:
        return self.curated if self.curated is not None else self.automatic


def family_state(event, classification) -> FamilyState:
    """The event's family offer, automatic and curated: `classification` with its rule, `event`
    with its `curation` selected (see FAMILY_RELATED)."""
    curation = getattr(event, "curation", None)
    explanation = classification and explain(classification, event)
    return FamilyState(explanation, curation.family if curation else None)


FAMILY_RELATED = ("family_classification__rule", "curation")


def family_as_json(event) -> dict:
    """`family` of /api/events/<id>/."""
    classification = getattr(event, "family_classification", None)
    state = family_state(event, classification)
    decided_at = event.curation.family_decided_at if state.curated is not None else None
    return {
        "label": state.automatic,
        "points": classification.points if classification else None,
        "matched_keywords": classification.matched_keywords if classification else [],
        "min_age_points": classification.min_age_points if classification else None,
        "max_age_points": classification.max_age_points if classification else None,
        "excluded_by": (classification.excluded_by or None) if classification else None,
        "rule_version": classification.rule_id if classification else None,
        "explanation": state.explanation.text if state.explanation else None,
        "curated": state.curated,
        "curated_at": decided_at and decided_at.isoformat(),
        "final": state.final,
    }


@register_task_page_panel("family", "family/task_panel.html")
def family_task_extra(task) -> dict:
    """The task page's explanation: one query (the classification with its rule version)."""
    return family_event_panel(task.event)


@register_event_page_panel("family/task_panel.html")
def family_event_panel(event) -> dict:
    """The explanation and the matched words, on family tasks and on the event page (`event`
    with its `curation` selected)."""
    classifications = FamilyClassification.objects.select_related("rule")
    classification = classifications.filter(event=event.pk).first()
    words = classification.matched_keywords if classification else []
    return {"family": family_state(event, classification), "family_words": words}


# Evaluating rule versions against the curators' decisions --------------------------------


@dataclass
class Metric:
    name: str
    value: float | None
    denominator: int  # of the true positives: the numerator
    meaning: str

    @property
    def percent(self) -> str:
        return "-" if self.value is None else f"{self.value:.0%}"


@dataclass
class Confusion:
    """Rows: the curators; columns: the rule (the deck's table)."""

    true_positive: int = 0  # curators: family; rule: family
    false_negative: int = 0  # curators: family; rule: not
    false_positive: int = 0  # curators: not; rule: family
    true_negative: int = 0

    def add(self, curated: bool, predicted: bool) -> None:
        if curated:
            self.true_positive += predicted
            self.false_negative += not predicted
        else:
            self.false_positive += predicted
            self.true_negative += not predicted

    @property
    def total(self) -> int:
        return self.true_positive + self.false_negative + self.false_positive + self.true_negative

    @property
    def predicted(self) -> int:
        return self.true_positive + self.false_positive

    @property
    def predicted_not(self) -> int:
        return self.false_negative + self.true_negative

    @property
    def family(self) -> int:
        return self.true_positive + self.false_negative

    @property
    def not_family(self) -> int:
        return self.false_positive + self.true_negative

    @property
    def precision(self) -> float | None:
        return self.true_positive / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positive / self.family if self.family else None

    @property
    def f1(self) -> float | None:
        precision, recall = self.precision, self.recall
        if not precision or not recall:
            return 0.0 if precision is not None and recall is not None else None
        return 2 * precision * recall / (precision + recall)

    @property
    def metrics(self) -> list[Metric]:
        return [
            Metric(
                _("precision"),
                self.precision,
                self.predicted,
                _("when the rule says family, the curators agree"),
            ),
            Metric(
                _("recall"),
                self.recall,
                self.family,
                _("of the events the curators call family, the rule finds"),
            ),
            Metric(_("F1"), self.f1, self.total, _("the harmonic mean of precision and recall")),
        ]


@dataclass
class KeywordCount:
    events: int = 0  # decided events whose text holds the keyword
    family: int = 0  # of those, the curators said family

    @property
    def precision(self) -> float | None:
        return self.family / self.events if self.events else None

    def add(self, curated: bool) -> None:
        self.events += 1
        self.family += curated


@dataclass
class RuleEvaluation:
    rule: FamilyRule
    all: Confusion = field(default_factory=Confusion)
    audit: Confusion = field(default_factory=Confusion)
    keywords: dict[str, KeywordCount] = field(default_factory=lambda: defaultdict(KeywordCount))
    exclusions: dict[str, KeywordCount] = field(default_factory=lambda: defaultdict(KeywordCount))

    def add(self, result: Classification, curated: bool, audited: bool) -> None:
        self.all.add(curated, result.label)
        if audited:
            self.audit.add(curated, result.label)
        for keyword in result.matched_keywords:
            self.keywords[keyword].add(curated)
        if result.excluded_by:
            self.exclusions[result.excluded_by].add(curated)

    def keyword_rows(self) -> list[tuple[str, KeywordCount]]:
        return [(keyword, self.keywords[keyword]) for keyword in self.rule.keywords]

    def exclusion_rows(self) -> list[tuple[str, KeywordCount]]:
        """Each exclusion that removed a label, with how many of those curators said family."""
        return sorted(
            ((exclusion_label(key), count) for key, count in self.exclusions.items()),
            key=lambda row: (-row[1].events, row[0]),
        )


def family_evaluation(rules: list[FamilyRule]) -> list[RuleEvaluation]:
    """Each rule version against the same decisions: every event with a curated family value
    (the latest decision on it), so a draft is measured exactly like the active one. Where the
    event's stored classification is by that version (the active one, kept current by the
    import and the recompute) it is used as stored; otherwise the event is classified again
    here. One query, streamed."""
    evaluations = [RuleEvaluation(rule) for rule in rules]
    compiled = [compiled_rule(rule) for rule in rules]
    stored_columns = [f"event__family_classification__{name}" for name in STORED_FIELDS]
    input_columns = [f"event__{name}" for name in EVENT_FIELDS]
    rows = EventCuration.objects.filter(family__isnull=False).order_by("event_id")
    rows = rows.values_list("event_id", "family", *stored_columns, *input_columns)
    for event_id, curated, *values in rows.iterator(chunk_size=2000):
        audited = in_audit_share(event_id)
        stored, inputs = Classification(*values[: len(STORED_FIELDS)]), values[len(STORED_FIELDS) :]
        for evaluation, rule in zip(evaluations, compiled, strict=True):
            result = stored if stored.rule_version == rule.version else rule.classify_values(inputs)
            evaluation.add(result, curated, audited)
    return evaluations
