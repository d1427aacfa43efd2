"""Learning the family model from curated labels (no database): cross-validation, the threshold,
the figures, and the weights as plain data.

The model is scikit-learn's logistic regression on the features of `features.py`. Every fold
fits its own idf and its own rare-feature cut on its training part only, so no figure leans on
the events it is measured on. The threshold is the one that keeps precision at or above the
floor with the highest recall, chosen on the out-of-fold scores of all folds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from family.services.features import idf_of, weighted

FOLDS = 5
SEED = 20
# Fixed before looking at any figure: usual values for tf-idf text with a few thousand
# examples (an inner cross-validation over C chose the same order of magnitude; see
# docs/family.md). Balanced class weights: family offer is the minority in real data.
C = 10.0
MIN_DF = 2


@dataclass
class Figures:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tn: int

    @classmethod
    def of(cls, predicted, truth) -> Figures:
        predicted, truth = np.asarray(predicted, bool), np.asarray(truth, bool)
        tp = int((predicted & truth).sum())
        fp = int((predicted & ~truth).sum())
        fn = int((~predicted & truth).sum())
        tn = int((~predicted & ~truth).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(round(precision, 4), round(recall, 4), round(f1, 4), tp, fp, fn, tn)

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class Weights:
    """A fitted model as data: feature i's idf (0 for signals and cut features) and weight."""

    idf: np.ndarray
    coefficients: np.ndarray
    intercept: float
    blocks: np.ndarray  # each feature's block (features.column_blocks), not stored: derived


def fit(text, signals, labels, rows=None, *, blocks, c: float = C, min_df: int = MIN_DF) -> Weights:
    """Fit on `rows` (all by default) of the count matrices from `Vectoriser.counts`
    (`blocks`: the vectoriser's)."""
    if rows is not None:
        text, signals, labels = text[rows], signals[rows], np.asarray(labels)[rows]
    frequency = np.bincount(text.indices, minlength=text.shape[1])
    idf = idf_of(text, frequency >= min_df)
    from sklearn.linear_model import LogisticRegression  # training only: some 1 s and 70 MB to load

    model = LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", random_state=SEED, max_iter=1000
    )
    model.fit(weighted(text, signals, idf, blocks), np.asarray(labels, bool))
    return Weights(idf, model.coef_[0].copy(), float(model.intercept_[0]), blocks)


def scores(weights: Weights, text, signals) -> np.ndarray:
    """The log-odds of family offer: the intercept plus every feature's contribution."""
    matrix = weighted(text, signals, weights.idf, weights.blocks)
    return matrix @ weights.coefficients + weights.intercept


def folds(labels, seed: int = SEED, n_folds: int = FOLDS) -> list[tuple]:
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    labels = np.asarray(labels, bool)
    return list(splitter.split(np.zeros(len(labels)), labels))


def out_of_fold_scores(text, signals, labels, split, **options) -> np.ndarray:
    """Each event's score from the model fitted on the other folds."""
    result = np.zeros(text.shape[0])
    for train, test in split:
        weights = fit(text, signals, labels, train, **options)
        result[test] = scores(weights, text[test], signals[test])
    return result


def choose_threshold(values, labels, min_precision: float) -> float:
    """The score from which an event is labelled: the lowest that keeps precision at or above
    `min_precision` (so the highest recall). When none does, the highest score plus a little
    (nothing labelled)."""
    values, labels = np.asarray(values, float), np.asarray(labels, bool)
    order = np.argsort(-values, kind="stable")
    ranked, truth = values[order], labels[order]
    true_positives = np.cumsum(truth)
    precision = true_positives / np.arange(1, len(truth) + 1)
    # Only where the next score differs: a threshold cannot split equal scores.
    last_of_equal = np.r_[ranked[1:] != ranked[:-1], True]
    holding = np.flatnonzero(last_of_equal & (precision >= min_precision))
    if not len(holding):
        return float(ranked[0] + 1.0) if len(ranked) else 0.0
    return float(ranked[holding[-1]])


def curve(values, labels) -> list[dict]:
    """The precision-recall curve: one point per distinct score, highest first."""
    values, labels = np.asarray(values, float), np.asarray(labels, bool)
    order = np.argsort(-values, kind="stable")
    ranked, truth = values[order], labels[order]
    true_positives = np.cumsum(truth)
    positives = max(int(truth.sum()), 1)
    last_of_equal = np.r_[ranked[1:] != ranked[:-1], True]
    return [
        {
            "threshold": round(float(ranked[i]), 4),
            "precision": round(float(true_positives[i] / (i + 1)), 4),
            "recall": round(float(true_positives[i] / positives), 4),
        }
        for i in np.flatnonzero(last_of_equal)
    ]


CURVE_POINTS = 200


def thinned_curve(values, labels, threshold: float) -> list[dict]:
    """The curve with at most about CURVE_POINTS points: what a version stores, however many
    labels it learned from."""
    points = curve(values, labels)
    keep, _at = thin(points, threshold, CURVE_POINTS)
    return [points[i] for i in keep]


def thin(points: list[dict], threshold: float, most: int) -> tuple[list[int], int]:
    """(indices of about `most` points spread evenly by rank, the last and the threshold's
    among them; the threshold's index)."""
    if not points:
        return [], -1
    at = min(range(len(points)), key=lambda i: abs(points[i]["threshold"] - threshold))
    step = max(len(points) // most, 1)
    return sorted({*range(0, len(points), step), len(points) - 1, at}), at


@dataclass
class CrossValidation:
    examples: int
    family: int
    threshold: float
    rule: Figures
    model: Figures
    scores: np.ndarray  # out of fold

    def as_json(self) -> dict:
        return {
            "examples": self.examples,
            "family": self.family,
            "threshold": round(self.threshold, 6),
            "rule": self.rule.as_json(),
            "model": self.model.as_json(),
        }


def cross_validate(text, signals, labels, rule_labels, min_precision: float, **options):
    """Rule and model on the same stratified folds; the model at the threshold chosen on the
    out-of-fold scores (the same scores it is then measured on: the figures say how the
    threshold holds on these folds; `nested_cross_validate` measures it on unseen folds)."""
    labels = np.asarray(labels, bool)
    values = out_of_fold_scores(text, signals, labels, folds(labels), **options)
    threshold = choose_threshold(values, labels, min_precision)
    return CrossValidation(
        examples=len(labels),
        family=int(labels.sum()),
        threshold=threshold,
        rule=Figures.of(rule_labels, labels),
        model=Figures.of(values >= threshold, labels),
        scores=values,
    )


def nested_cross_validate(text, signals, labels, min_precision: float, **options) -> Figures:
    """The shipped procedure measured on folds it never saw: in each outer fold, the threshold
    is chosen on inner out-of-fold scores of the training part alone, then the model fitted on
    the whole training part labels the held-out fold."""
    labels = np.asarray(labels, bool)
    predicted = np.zeros(len(labels), bool)
    for train, test in folds(labels):
        inner = folds(labels[train])
        inner_scores = out_of_fold_scores(
            text[train], signals[train], labels[train], inner, **options
        )
        threshold = choose_threshold(inner_scores, labels[train], min_precision)
        weights = fit(text, signals, labels, train, **options)
        predicted[test] = scores(weights, text[test], signals[test]) >= threshold
    return Figures.of(predicted, labels)
