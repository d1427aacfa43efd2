"""The family model's features: what an event is turned into numbers as (no database).

Text: the event's name and description (HTML removed, lower case, accents stripped), as word
unigrams and bigrams and as character 3- to 5-grams inside each word ("char_wb" in
scikit-learn's terms), tf-idf weighted and scaled to length 1. Signals: the ones the rule uses
(age range, event type, themes, the rule's label, points and exclusion), each a named feature.

One code path serves training and classification: a word's features are looked up once per
word (not per text) and kept, so a million events cost a dictionary lookup per word. Features
are named ("word kind", "chars kin", "event type 0.55.0.0.0"), so every contribution to a score
can be shown.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
from django.utils.timezone import localtime
from scipy import sparse

from events.services.documents import plain_text
from family.services.rule import EVENT_FIELDS, Classification, normalise

# The event's columns the model reads: the rule's, and when it starts (an evening concert
# and a Wednesday afternoon are told apart by the weights learned for the hours and days).
MODEL_FIELDS = (*EVENT_FIELDS, "start", "end")
_DURATIONS = ((1, "up to an hour"), (2, "up to 2 hours"), (4, "up to 4 hours"), (24, "a day"))
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_WORD = re.compile(r"\w+")
CHAR_SIZES = (4,)
# The rule's points count up to this many features' worth (points / scale as the value).
_POINTS_SCALE = 10.0
# The most words a text contributes: a description of a book's length is no better evidence.
_MAX_WORDS = 400
# Words remembered by a vectoriser (their feature indices); past this, looked up afresh.
_MAX_REMEMBERED_WORDS = 500_000


def text_words(name: str, description: str) -> list[str]:
    if "<" in name or "&" in name:
        name = plain_text(name)
    return _WORD.findall(normalise(name + " \n " + description))[:_MAX_WORDS]


def word_features(word: str) -> list[str]:
    """The word itself and its character n-grams, as features are named."""
    padded = f" {word} "
    grams = [
        padded[start : start + size]
        for size in CHAR_SIZES
        for start in range(max(len(padded) - size + 1, 1))
    ]
    return [f"word {word}", *(f"chars {gram}" for gram in dict.fromkeys(grams))]


def signal_features(values: Sequence, rule: Classification) -> list[tuple[str, float]]:
    """The rule's signals and when the event starts: `values` are the event's MODEL_FIELDS,
    `rule` the rule's result."""
    _name, _description, event_type_id, term_ids, min_age, max_age, start, end = values
    signals = []
    if start is not None and end is not None:
        hours = (end - start).total_seconds() / 3600
        bucket = next((label for limit, label in _DURATIONS if hours <= limit), "days")
        signals.append((f"lasts {bucket}", 1.0))
    if start is not None:
        start = localtime(start)
        signals.append((f"starts at {start.hour:02}h", 1.0))
        signals.append((f"starts on {_DAYS[start.weekday()]}", 1.0))
    if min_age is None and max_age is None:
        signals.append(("age range none", 1.0))
    if max_age is not None:
        signals.append(("age max 12 or less" if max_age <= 12 else "age max over 12", 1.0))
    if min_age:
        signals.append(("age min 1 to 12" if min_age <= 12 else "age min over 12", 1.0))
    if event_type_id:
        signals.append((f"event type {event_type_id}", 1.0))
    signals.extend((f"theme {term}", 1.0) for term in (term_ids or ()) if term != event_type_id)
    if rule.label:
        signals.append(("rule label", 1.0))
    if rule.points:
        signals.append(("rule points", min(rule.points, 30) / _POINTS_SCALE))
    if rule.excluded_by:
        signals.append((f"rule excluded by {rule.excluded_by.rsplit(' ', 1)[0]}", 1.0))
    return signals


class Vectoriser:
    """Events -> a sparse matrix of features (rows scaled as described above).

    Built either growing (training: every feature seen gets an index) or fixed (a stored
    vocabulary: unknown features are dropped). `idf` weights the text columns; signal columns
    keep their values.
    """

    def __init__(self, vocabulary: dict[str, int] | None = None, idf=None):
        self.grow = vocabulary is None
        self.vocabulary: dict[str, int] = {} if vocabulary is None else vocabulary
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)
        self._words: dict[str, list[int]] = {}

    @property
    def names(self) -> list[str]:
        names = [""] * len(self.vocabulary)
        for name, index in self.vocabulary.items():
            names[index] = name
        return names

    def _index(self, name: str) -> int | None:
        index = self.vocabulary.get(name)
        if index is None and self.grow:
            index = self.vocabulary[name] = len(self.vocabulary)
        return index

    def _word(self, word: str) -> list[int]:
        found = self._words.get(word)
        if found is None:
            found = [i for i in map(self._index, word_features(word)) if i is not None]
            if len(self._words) < _MAX_REMEMBERED_WORDS:
                self._words[word] = found
        return found

    def counts(self, rows: Iterable[tuple[Sequence, Classification]]):
        """(text counts, signal values) as two CSR matrices with the vocabulary's columns."""
        text_indices, text_indptr = array("q"), [0]
        signal_indices, signal_values, signal_indptr = [], [], [0]
        word, known = self._word, self._words
        index = self._index if self.grow else self.vocabulary.get
        extend = text_indices.extend
        for values, rule in rows:
            words = text_words(values[0], values[1])
            for token in words:
                found = known.get(token)
                extend(word(token) if found is None else found)
            for first, second in pairwise(words):
                found = index(f"word {first} {second}")
                if found is not None:
                    text_indices.append(found)
            text_indptr.append(len(text_indices))
            for name, value in signal_features(values, rule):
                found = index(name)
                if found is not None:
                    signal_indices.append(found)
                    signal_values.append(value)
            signal_indptr.append(len(signal_indices))
        shape = (len(text_indptr) - 1, len(self.vocabulary))
        indices = np.frombuffer(text_indices, dtype=np.int64) if text_indices else []
        text = sparse.csr_matrix((np.ones(len(indices)), indices, text_indptr), shape=shape)
        text.sum_duplicates()
        signals = sparse.csr_matrix((signal_values, signal_indices, signal_indptr), shape=shape)
        return text, signals

    def transform(self, rows: Iterable[tuple[Sequence, Classification]]):
        text, signals = self.counts(rows)
        return weighted(text, signals, self.idf)


def weighted(text, signals, idf):
    """tf-idf of the text counts, each row scaled to length 1, plus the signals."""
    width = text.shape[1]
    if len(idf) < width:
        idf = np.concatenate([idf, np.zeros(width - len(idf))])
    text = text @ sparse.diags(idf[:width])
    norms = np.sqrt(np.asarray(text.multiply(text).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ text + signals).tocsr()


def idf_of(text, keep) -> np.ndarray:
    """scikit-learn's smooth idf from the document frequencies in `text` (rows: documents),
    zero for columns not kept (too rare, or not text)."""
    documents = text.shape[0]
    frequency = np.bincount(text.indices, minlength=text.shape[1])
    idf = np.log((1 + documents) / (1 + frequency)) + 1.0
    return np.where(keep, idf, 0.0)
