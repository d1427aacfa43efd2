"""Family-offer model versions: trained from every curated family label, stored as data,
activated by hand or by the nightly job when it does at least as well as the active one.

The weights are JSON arrays (feature names, idf, coefficients) read back into numpy arrays:
nothing is ever unpickled (see tests/family/test_model.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.services import audit_record
from curation.models import EventCuration
from family.models import FamilyModel, FamilyRule
from family.services import learning
from family.services.features import MODEL_FIELDS, Vectoriser
from family.services.rule import EVENT_FIELDS, Classification, compiled_rule
from family.services.versions import activate_version

logger = logging.getLogger(__name__)
TOP_FEATURES = 5


class NotEnoughLabels(Exception):
    """Cross-validation needs both labels in every fold."""


def active_model() -> FamilyModel | None:
    return FamilyModel.objects.filter(is_active=True).first()


def active_version() -> tuple[int, float] | None:
    """(version, threshold) of the active model, without reading its weights."""
    return FamilyModel.objects.filter(is_active=True).values_list("version", "threshold").first()


@dataclass
class TrainingSet:
    values: list[tuple]  # MODEL_FIELDS
    results: list[Classification]  # the rule's
    labels: list[bool]
    languages: list[str]


def training_set(rule: FamilyRule) -> TrainingSet:
    """Every event a curator labelled: its MODEL_FIELDS, the rule's result, the label."""
    compiled = compiled_rule(rule)
    rows = EventCuration.objects.filter(family__isnull=False).order_by("event_id")
    fields = (f"event__{name}" for name in MODEL_FIELDS)
    rows = rows.values_list("family", "event__main_language", *fields)
    found = TrainingSet([], [], [], [])
    for family, language, *inputs in rows.iterator(chunk_size=5000):
        found.values.append(tuple(inputs))
        found.results.append(compiled.classify_values(inputs[: len(EVENT_FIELDS)]))
        found.labels.append(family)
        found.languages.append(language)
    return found


def family_model_train(*, actor=None, min_precision: float | None = None) -> FamilyModel:
    """Cross-validate, fit on every label and store a new version (not active)."""
    floor = settings.FAMILY_MIN_PRECISION if min_precision is None else min_precision
    rule = FamilyRule.objects.get(is_active=True)
    data = training_set(rule)
    values, results, labels = data.values, data.results, data.labels
    family = sum(labels)
    if min(family, len(labels) - family) < learning.FOLDS:
        raise NotEnoughLabels(
            f"{len(labels)} labels, {family} family: at least {learning.FOLDS} of each needed"
        )
    vectoriser = Vectoriser()
    text, signals = vectoriser.counts(zip(values, results, strict=True))
    rule_labels = [result.label for result in results]
    blocks = vectoriser.blocks
    cv = learning.cross_validate(text, signals, labels, rule_labels, floor, blocks=blocks)
    weights = learning.fit(text, signals, labels, blocks=blocks)
    kept = _kept_columns(weights)
    names = vectoriser.names
    figures = {
        **cv.as_json(),
        "curve": learning.thinned_curve(cv.scores, labels, cv.threshold),
        "languages": _per_language(data, cv),
    }
    return _store(
        actor=actor,
        rule=rule,
        floor=floor,
        cv=cv,
        weights=weights,
        features=[names[i] for i in kept],
        kept=kept,
        figures=figures,
    )


def _kept_columns(weights: learning.Weights) -> np.ndarray:
    """The features a score can use: text features with an idf (not cut as too rare) and
    every signal with a weight."""
    keep = np.where(weights.blocks > 0, weights.idf > 0, weights.coefficients != 0)
    return np.flatnonzero(keep)


def _per_language(data: TrainingSet, cv: learning.CrossValidation) -> dict:
    """Rule and model figures per main language of the event (out of fold)."""
    languages = np.asarray(data.languages)
    labels = np.asarray(data.labels, bool)
    rule = np.asarray([result.label for result in data.results], bool)
    model = cv.scores >= cv.threshold
    return {
        language: {
            "examples": int((languages == language).sum()),
            "rule": learning.Figures.of(
                rule[languages == language], labels[languages == language]
            ).as_json(),
            "model": learning.Figures.of(
                model[languages == language], labels[languages == language]
            ).as_json(),
        }
        for language in sorted(set(data.languages))
    }


def _store(*, actor, rule, floor, cv, weights, features, kept, figures) -> FamilyModel:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = FamilyModel.objects.aggregate(last=Max("version"))["last"] or 0
                model = FamilyModel.objects.create(
                    version=last + 1,
                    trained_at=timezone.now(),
                    trained_by=actor if actor is not None and actor.is_authenticated else None,
                    examples=cv.examples,
                    family_examples=cv.family,
                    rule_version=rule.version,
                    min_precision=floor,
                    threshold=cv.threshold,
                    intercept=weights.intercept,
                    features=features,
                    idf=weights.idf[kept].tolist(),
                    coefficients=weights.coefficients[kept].tolist(),
                    figures=figures,
                )
                audit_record(
                    actor=actor,
                    action="family_model.trained",
                    target=model,
                    new_values={"version": model.version, **cv.as_json()},
                )
                return model
        except IntegrityError:
            continue  # someone took that number at the same moment: take the next
    raise RuntimeError("could not number a new family-offer model version")


def family_model_activate(*, model: FamilyModel, actor=None) -> FamilyModel | None:
    return activate_version(model, actor, "family_model.activated")


def family_model_nightly() -> tuple[FamilyModel, bool]:
    """Train a version; activate it only when its cross-validated recall at the precision
    floor is at least the active version's. (model, activated)."""
    model = family_model_train()
    active = active_model()
    if active is not None and model.recall < active.recall:
        logger.info(
            "family model %s kept: recall %s below the active version's %s",
            model.version,
            model.recall,
            active.recall,
        )
        return model, False
    family_model_activate(model=model)
    return model, True


@dataclass
class Contribution:
    feature: str
    contribution: float


class CompiledModel:
    """A stored version ready to score: its vectoriser and weights as arrays."""

    def __init__(self, model: FamilyModel):
        self.version = model.version
        self.threshold = model.threshold
        self.intercept = model.intercept
        self.features = model.features
        vocabulary = {name: index for index, name in enumerate(model.features)}
        self.vectoriser = Vectoriser(vocabulary, model.idf)
        self.coefficients = np.asarray(model.coefficients, dtype=np.float64)

    def scores(self, rows) -> np.ndarray:
        """(MODEL_FIELDS values, rule result) pairs -> log-odds of family offer."""
        matrix = self.vectoriser.transform(rows)
        return matrix @ self.coefficients + self.intercept

    def contributions(self, values, result: Classification) -> tuple[float, list[Contribution]]:
        """(score, every feature's contribution, largest first); the score is the intercept
        plus their sum."""
        row = self.vectoriser.transform([(values, result)])
        parts = [
            Contribution(self.features[index], float(value * self.coefficients[index]))
            for index, value in zip(row.indices, row.data, strict=True)
        ]
        parts.sort(key=lambda part: -abs(part.contribution))
        score = self.intercept + sum(part.contribution for part in parts)
        return score, parts


_compiled: dict[int, CompiledModel] = {}


def model_version(version: int) -> CompiledModel | None:
    """The compiled model of `version`, read from the database only the first time."""
    found = _compiled.get(version)
    if found is None:
        model = FamilyModel.objects.filter(version=version).first()
        found = model and compiled_model(model)
    return found


def compiled_model(model: FamilyModel) -> CompiledModel:
    """Kept per version (a version's weights never change)."""
    found = _compiled.get(model.version)
    if found is None:
        _compiled.clear()
        found = _compiled[model.version] = CompiledModel(model)
    return found
