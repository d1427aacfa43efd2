"""One event's family label explained: the rule's points, the model's score and the features
that weighed most, and who decided (a curator's label wins over both)."""

from __future__ import annotations

from family.models import FamilyModel, FamilyRule
from family.services.features import MODEL_FIELDS
from family.services.model import TOP_FEATURES, compiled_model
from family.services.rule import EVENT_FIELDS, compiled_rule


def family_explanation(event, rule: FamilyRule, model: FamilyModel | None, curated) -> dict:
    """`family_explain`'s JSON object for `event` (with MODEL_FIELDS loaded); `curated` is the
    curator's label or None. `score` is the model's log-odds: its intercept plus every
    feature's contribution (`top_features` are the largest five of them)."""
    values = tuple(getattr(event, name) for name in MODEL_FIELDS)
    result = compiled_rule(rule).classify_values(values[: len(EVENT_FIELDS)])
    explanation = {"id": event.udb_id, **result.as_json()}
    score = threshold = version = None
    top: list[dict] = []
    label = result.label
    if model is not None:
        compiled = compiled_model(model)
        score, parts = compiled.contributions(values, result)
        threshold, version, label = model.threshold, model.version, score >= model.threshold
        top = [
            {"feature": part.feature, "contribution": round(part.contribution, 4)}
            for part in parts[:TOP_FEATURES]
        ]
    source = "curator" if curated is not None else ("model" if model is not None else "rule")
    return {
        **explanation,
        "label": curated if curated is not None else label,
        "source": source,
        "score": None if score is None else round(score, 4),
        "threshold": None if threshold is None else round(threshold, 4),
        "version": version,
        "rule_version": rule.version,
        "top_features": top,
    }
