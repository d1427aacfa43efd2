"""Reads of the family-offer rule: an event's label explained (task page, admin, API) and the
evaluation of rule versions against the curators' decisions.

The curator's decision wins over the rule: `final` is the curated value where there is one,
else the automatic label.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Func, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from curation.models import EventCuration
from curation.selectors import (
    register_event_page_panel,
    register_overview_panel,
    register_task_page_panel,
)
from events.selectors import term_map
from family.models import FamilyClassification, FamilyModel, FamilyRule
from family.queue import in_audit_share
from family.services.learning import thin
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
    model_label: bool | None = None  # the learned model's label, where a model scored it

    @property
    def automatic(self) -> bool | None:
        """The model's label where a model scored the event, else the rule's."""
        if self.model_label is not None:
            return self.model_label
        return self.explanation.label if self.explanation else None

    @property
    def source(self) -> str | None:
        """Who gives the final label: curator, model or rule."""
        if self.curated is not None:
            return "curator"
        if self.model_label is not None:
            return "model"
        return "rule" if self.explanation else None

    @property
    def final(self) -> bool | None:
        return self.curated if self.curated is not None else self.automatic


def family_state(event, classification) -> FamilyState:
    """The event's family offer, automatic and curated: `classification` with its rule, `event`
    with its `curation` selected (see FAMILY_RELATED)."""
    curation = getattr(event, "curation", None)
    explanation = classification and explain(classification, event)
    model_label = classification.model_label if classification else None
    return FamilyState(explanation, curation.family if curation else None, model_label)


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
        "rule_label": state.explanation.label if state.explanation else None,
        "score": classification.score if classification else None,
        "model_version": classification.model_version if classification else None,
        "source": state.source,
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
    return {
        "family": family_state(event, classification),
        "family_words": words,
        "family_model": model_explanation(event, classification),
    }


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


# The model's side of the explanation, in a curator's words ---------------------------------


@dataclass
class ModelExplanation:
    version: int
    score: float
    threshold: float
    label: bool
    reasons: list[tuple[str, float]]  # (what, contribution), the largest first

    @property
    def certainty(self) -> int:
        """The model's probability of family offer, in per cent."""
        return round(100 / (1 + math.exp(-self.score)))

    @property
    def threshold_percent(self) -> int:
        return round(100 / (1 + math.exp(-self.threshold)))

    @property
    def text(self) -> str:
        verdict = _("family") if self.label else _("not family")
        message = _(
            "The model (version %(version)s) gives %(certainty)s %% for family offer; from "
            "%(threshold)s %% it says family: %(verdict)s."
        )
        return message % {
            "version": self.version,
            "certainty": self.certainty,
            "threshold": self.threshold_percent,
            "verdict": verdict,
        }


def model_explanation(event, classification) -> ModelExplanation | None:
    """The stored model verdict explained (`event` with MODEL_FIELDS loaded), or None when no
    model scored the event. The model version is read once per process (versions never
    change)."""
    from family.services.features import MODEL_FIELDS
    from family.services.model import TOP_FEATURES, model_version

    if classification is None or classification.model_version is None:
        return None
    model = model_version(classification.model_version)
    if model is None:
        return None
    values = tuple(getattr(event, name) for name in MODEL_FIELDS)
    result = compiled_rule(classification.rule).classify_values(values[: len(EVENT_FIELDS)])
    score, parts = model.contributions(values, result)
    reasons = [(feature_words(part.feature), part.contribution) for part in parts[:TOP_FEATURES]]
    return ModelExplanation(
        model.version, score, model.threshold, score >= model.threshold, reasons
    )


def feature_words(feature: str) -> str:
    """A feature's name as a curator reads it: 'word kind' -> 'the word "kind"'."""
    kind, _space, value = feature.partition(" ")
    if kind == "name":
        return _("in the name: %(words)s") % {"words": feature_words(value)}
    if kind == "word":
        return _('the word "%(word)s"') % {"word": value}
    if kind == "chars":
        return _('words with "%(letters)s"') % {"letters": value.strip()}
    if feature.startswith(("event type ", "theme ")):
        term_id = feature.rsplit(" ", 1)[1]
        label = term_map([term_id])[term_id].label
        what = _("event type") if feature.startswith("event type") else _("theme")
        return f"{what} {label}"
    return str(_FEATURE_WORDS.get(feature) or _signal_words(feature))


def _signal_words(feature: str) -> str:
    if feature.startswith("starts at "):
        return _("starts at %(hour)s") % {"hour": feature.removeprefix("starts at ")}
    if feature.startswith("starts on "):
        day = str(_DAY_WORDS.get(feature.removeprefix("starts on "), feature))
        return _("starts on a %(day)s") % {"day": day}
    if feature.startswith("lasts "):
        return str(_DURATION_WORDS.get(feature, feature))
    if feature.startswith("rule excluded by "):
        return _("the rule's exclusion (%(kind)s)") % {
            "kind": feature.removeprefix("rule excluded by ")
        }
    return feature


_FEATURE_WORDS = {
    "age range none": gettext_lazy("no age range"),
    "age max 12 or less": gettext_lazy("age range up to 12 at most"),
    "age max over 12": gettext_lazy("age range beyond 12"),
    "age min 1 to 12": gettext_lazy("minimum age from 1 to 12"),
    "age min over 12": gettext_lazy("minimum age above 12"),
    "rule label": gettext_lazy("the rule says family"),
    "rule points": gettext_lazy("the rule's points"),
}
_DAY_WORDS = {
    "Monday": gettext_lazy("Monday"),
    "Tuesday": gettext_lazy("Tuesday"),
    "Wednesday": gettext_lazy("Wednesday"),
    "Thursday": gettext_lazy("Thursday"),
    "Friday": gettext_lazy("Friday"),
    "Saturday": gettext_lazy("Saturday"),
    "Sunday": gettext_lazy("Sunday"),
}
_DURATION_WORDS = {
    "lasts up to an hour": gettext_lazy("lasts up to an hour"),
    "lasts up to 2 hours": gettext_lazy("lasts up to 2 hours"),
    "lasts up to 4 hours": gettext_lazy("lasts up to 4 hours"),
    "lasts a day": gettext_lazy("lasts up to a day"),
    "lasts days": gettext_lazy("lasts several days"),
}


# The learned model on the evaluation page ---------------------------------------------------


@dataclass
class ModelEvaluation:
    model: FamilyModel
    decisions_since: int  # curated labels decided after the model was trained
    audit_recall: float | None  # the model's recall on the decided audit share, now
    audit_family: int  # family events among the decided audit share scored by the model
    curve: list[dict]  # precision-recall points, out of fold, thinned; one marked
    chart_points: str  # the curve as SVG polyline points in a 100 x 100 box

    @property
    def figures(self) -> list[tuple[str, dict]]:
        return [(_("rule"), self.model.figures["rule"]), (_("model"), self.model.figures["model"])]

    @property
    def languages(self) -> list[tuple[str, dict]]:
        return sorted(self.model.figures.get("languages", {}).items())

    @property
    def threshold_point(self) -> dict | None:
        return next((point for point in self.curve if point["marked"]), None)


CURVE_POINTS = 25


def model_evaluation() -> ModelEvaluation | None:
    """The active model's cross-validated figures (stored when it was trained), and what the
    curators decided since: two queries."""
    weights = ("features", "idf", "coefficients")
    model = FamilyModel.objects.filter(is_active=True).defer(*weights).first()
    if model is None:
        return None
    rows = EventCuration.objects.filter(family__isnull=False).values_list(
        "event_id",
        "family",
        "family_decided_at",
        "event__family_classification__model_version",
        "event__family_classification__model_label",
    )
    since = found = family = 0
    for event_id, curated, decided_at, version, label in rows.iterator(chunk_size=5000):
        since += decided_at is not None and decided_at > model.trained_at
        if curated and version == model.version and in_audit_share(event_id):
            family += 1
            found += bool(label)
    curve = _thinned(model.figures.get("curve", []), model.threshold)
    return ModelEvaluation(
        model=model,
        decisions_since=since,
        audit_recall=found / family if family else None,
        audit_family=family,
        curve=curve,
        chart_points=" ".join(f"{point['x']},{point['y']}" for point in curve),
    )


@register_overview_panel("family/overview_panel.html")
def family_overview_panel() -> dict:
    """The curation overview's line for the family queue: the active model's version and how
    many family decisions arrived after it was trained (so whether training again is worth
    it). One query; nothing without an active model."""
    decided_since = EventCuration.objects.filter(
        family__isnull=False, family_decided_at__gt=OuterRef("trained_at")
    ).order_by()
    count = decided_since.annotate(count=Func("pk", function="COUNT")).values("count")
    active = FamilyModel.objects.filter(is_active=True).annotate(since=Subquery(count))
    return {"family_learned": active.values("version", "since").first()}


def _thinned(curve: list[dict], threshold: float) -> list[dict]:
    """At most CURVE_POINTS points of the stored curve, with the threshold's marked."""
    keep, marked = thin(curve, threshold, CURVE_POINTS)
    # SVG coordinates as text: a localised number ("12,5") would not be one.
    return [
        {
            **curve[i],
            "marked": i == marked,
            "x": f"{curve[i]['recall'] * 100:.1f}",
            "y": f"{100 - curve[i]['precision'] * 100:.1f}",
        }
        for i in keep
    ]
