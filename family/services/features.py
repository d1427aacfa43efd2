"""The family model's features: what an event is turned into numbers as (no database).

Text: the event's name and description (HTML removed, lower case, accents stripped), as word
unigrams and bigrams and as character 4-grams inside each word ("char_wb" in scikit-learn's
terms); the name once more on its own ("name word ...", "name chars ...": names say a lot).
tf-idf weighted; each of the four blocks (words, characters, name words, name characters)
scaled to length 1 on its own, so that no block drowns another. Signals: the ones the rule uses
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
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from scipy import sparse

from events.services.documents import plain_text
from family.services.rule import EVENT_FIELDS, Classification, normalise

# The event's columns the model reads: the rule's, and when it starts (an evening concert
# and a Wednesday afternoon are told apart by the weights learned for the hours and days).
MODEL_FIELDS = (*EVENT_FIELDS, "start", "end")
_DURATIONS = ((1, "up to an hour"), (2, "up to 2 hours"), (4, "up to 4 hours"), (24, "a day"))
_DAYS = tuple(
    f"starts on {day}"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
_HOURS = tuple(f"starts at {hour:02}h" for hour in range(24))


@cache
def _local_zone() -> ZoneInfo:
    """The site's time zone, read once (Django's localtime() looks it up per call)."""
    return ZoneInfo(settings.TIME_ZONE)


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


# A name's words are told from the text's by this mark (never in a \w+ word).
_NAME = "\x01"
_MAX_NAME_WORDS = 40


def name_words(name: str) -> list[str]:
    if "<" in name or "&" in name:
        name = plain_text(name)
    return [_NAME + word for word in _WORD.findall(normalise(name))[:_MAX_NAME_WORDS]]


def word_features(word: str) -> list[str]:
    """The word itself and its character n-grams, as features are named ("name ..." for a
    word of the name block)."""
    prefix = ""
    if word.startswith(_NAME):
        prefix, word = "name ", word[1:]
    padded = f" {word} "
    grams = [
        padded[start : start + size]
        for size in CHAR_SIZES
        for start in range(max(len(padded) - size + 1, 1))
    ]
    return [f"{prefix}word {word}", *(f"{prefix}chars {gram}" for gram in dict.fromkeys(grams))]


def pair_feature(first: str, second: str) -> str:
    if first.startswith(_NAME):
        return f"name word {first[1:]} {second[1:]}"
    return f"word {first} {second}"


# The text blocks, each scaled to length 1 on its own (0: signals, kept as they are).
_BLOCKS = ("word ", "chars ", "name word ", "name chars ")


def column_blocks(names: list[str]) -> np.ndarray:
    """Each feature's block: 1 to 4 for the text blocks (in _BLOCKS' order), 0 for signals."""
    blocks = np.zeros(len(names), np.int64)
    for number, prefix in enumerate(_BLOCKS, start=1):
        blocks[[i for i, name in enumerate(names) if name.startswith(prefix)]] = number
    return blocks


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
        start = start.astimezone(_local_zone())
        signals.append((_HOURS[start.hour], 1.0))
        signals.append((_DAYS[start.weekday()], 1.0))
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


class _Growing:
    """An int64 array appended to in place (capacity doubled as needed)."""

    def __init__(self):
        self.data = np.zeros(1024, np.int64)
        self.size = 0

    def extend(self, values) -> None:
        end = self.size + len(values)
        if end > len(self.data):
            self.data = np.resize(self.data, max(end, 2 * len(self.data)))
        self.data[self.size : end] = values
        self.size = end

    def view(self) -> np.ndarray:
        return self.data[: self.size]


# A pair of word ids as one int64 key: first * _PAIR + second.
_PAIR = 1 << 31


class Vectoriser:
    """Events -> a sparse matrix of features (rows scaled as described above).

    Built either growing (training: every feature seen gets an index) or fixed (a stored
    vocabulary: unknown features are dropped). `idf` weights the text columns; signal columns
    keep their values.

    Each distinct word gets an id and its features' indices once; a text is then only its
    words' ids, and the chunk's features are gathered from them with numpy (word pairs too,
    looked up as pairs of ids), so the cost per event is the tokenising and one dictionary
    lookup per word.
    """

    def __init__(self, vocabulary: dict[str, int] | None = None, idf=None):
        self.grow = vocabulary is None
        self.vocabulary: dict[str, int] = {} if vocabulary is None else vocabulary
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)
        self._blocks = None if self.grow else column_blocks(self.names)
        self._forget_words()

    def _forget_words(self) -> None:
        self._ids: dict[str, int] = {}
        self._words: list[str] = []
        self._starts, self._counts, self._flat = _Growing(), _Growing(), _Growing()
        self._in_name = _Growing()  # 1 for a word of the name block
        self._pairs: dict[int, int] = {}  # pair key -> feature index
        if not self.grow:
            for name, index in self.vocabulary.items():
                parts = name.split(" ")
                if parts[0] == "name" and len(parts) == 4 and parts[1] == "word":
                    key = self._id(_NAME + parts[2]) * _PAIR + self._id(_NAME + parts[3])
                    self._pairs[key] = index
                elif len(parts) == 3 and parts[0] == "word":
                    key = self._id(parts[1]) * _PAIR + self._id(parts[2])
                    self._pairs[key] = index
        self._pair_table()

    def _pair_table(self) -> None:
        keys = np.fromiter(self._pairs, np.int64, len(self._pairs))
        order = np.argsort(keys)
        self._pair_keys = keys[order]
        self._pair_values = np.fromiter(self._pairs.values(), np.int64, len(self._pairs))[order]

    @property
    def names(self) -> list[str]:
        names = [""] * len(self.vocabulary)
        for name, index in self.vocabulary.items():
            names[index] = name
        return names

    @property
    def blocks(self) -> np.ndarray:
        """Each column's block (see column_blocks)."""
        return column_blocks(self.names) if self._blocks is None else self._blocks

    def _index(self, name: str) -> int | None:
        index = self.vocabulary.get(name)
        if index is None and self.grow:
            index = self.vocabulary[name] = len(self.vocabulary)
        return index

    def _id(self, word: str) -> int:
        """The word's id, its features' indices stored the first time it is met."""
        found = self._ids.get(word)
        if found is None:
            found = self._ids[word] = len(self._words)
            self._words.append(word)
            indices = [i for i in map(self._index, word_features(word)) if i is not None]
            self._starts.extend([self._flat.size])
            self._counts.extend([len(indices)])
            self._flat.extend(indices)
            self._in_name.extend([word.startswith(_NAME)])
        return found

    def counts(self, rows: Iterable[tuple[Sequence, Classification]]):
        """(text counts, signal values) as two CSR matrices with the vocabulary's columns."""
        if not self.grow and len(self._words) > _MAX_REMEMBERED_WORDS:
            self._forget_words()
        word_ids, lengths = array("q"), []
        signal_indices, signal_values, signal_indptr = [], [], [0]
        known, new_id = self._ids.get, self._id
        index = self._index if self.grow else self.vocabulary.get
        for values, rule in rows:
            words = text_words(values[0], values[1]) + name_words(values[0])
            ids = [known(word) for word in words]
            if None in ids:
                ids = [new_id(word) for word in words]
            word_ids.extend(ids)
            lengths.append(len(ids))
            for name, value in signal_features(values, rule):
                found = index(name)
                if found is not None:
                    signal_indices.append(found)
                    signal_values.append(value)
            signal_indptr.append(len(signal_indices))
        rows_of, features = self._text_features(np.array(word_ids, np.int64), lengths)
        shape = (len(lengths), len(self.vocabulary))
        text = sparse.coo_matrix((np.ones(len(features)), (rows_of, features)), shape=shape)
        signals = sparse.csr_matrix((signal_values, signal_indices, signal_indptr), shape=shape)
        return text.tocsr(), signals  # tocsr() sums a feature's repeats in a row

    def _text_features(self, ids: np.ndarray, lengths: list[int]):
        """(row, feature index) of every word's features and every known pair of words."""
        row_of_word = np.repeat(np.arange(len(lengths)), lengths)
        counts = self._counts.view()[ids]
        starts = self._starts.view()[ids]
        before = np.cumsum(counts) - counts
        positions = np.arange(counts.sum()) - np.repeat(before - starts, counts)
        features = self._flat.view()[positions]
        rows_of = np.repeat(row_of_word, counts)
        in_name = self._in_name.view()[ids]
        same_text = (row_of_word[1:] == row_of_word[:-1]) & (in_name[1:] == in_name[:-1])
        keys = ids[:-1][same_text] * _PAIR + ids[1:][same_text]
        pair_rows = row_of_word[:-1][same_text]
        if self.grow:
            self._new_pairs(np.unique(keys))
        at = np.searchsorted(self._pair_keys, keys)
        at[at == len(self._pair_keys)] = 0
        hit = self._pair_keys[at] == keys if len(self._pair_keys) else np.zeros(len(keys), bool)
        return (
            np.concatenate([rows_of, pair_rows[hit]]),
            np.concatenate([features, self._pair_values[at[hit]]]),
        )

    def _new_pairs(self, keys: np.ndarray) -> None:
        new = [int(key) for key in keys if int(key) not in self._pairs]
        for key in new:
            first, second = self._words[key // _PAIR], self._words[key % _PAIR]
            self._pairs[key] = self._index(pair_feature(first, second))
        if new:
            self._pair_table()

    def transform(self, rows: Iterable[tuple[Sequence, Classification]]):
        text, signals = self.counts(rows)
        return weighted(text, signals, self.idf, self.blocks)


def weighted(text, signals, idf, blocks):
    """tf-idf of the text counts, each row's block (`blocks`: each column's, see
    column_blocks) scaled to length 1, plus the signals."""
    width = text.shape[1]
    if len(idf) < width:
        idf = np.concatenate([idf, np.zeros(width - len(idf))])
    if len(blocks) < width:
        blocks = np.concatenate([blocks, np.zeros(width - len(blocks), np.int64)])
    text = text.copy()
    text.data *= idf[text.indices]
    per_row = np.diff(text.indptr)
    rows = np.repeat(np.arange(text.shape[0]), per_row)
    keys = rows * (len(_BLOCKS) + 1) + blocks[text.indices]
    size = text.shape[0] * (len(_BLOCKS) + 1)
    norms = np.sqrt(np.bincount(keys, weights=text.data**2, minlength=size))
    norms[norms == 0] = 1.0
    text.data /= norms[keys]
    return (text + signals).tocsr()


def idf_of(text, keep) -> np.ndarray:
    """scikit-learn's smooth idf from the document frequencies in `text` (rows: documents),
    zero for columns not kept (too rare, or not text)."""
    documents = text.shape[0]
    frequency = np.bincount(text.indices, minlength=text.shape[1])
    idf = np.log((1 + documents) / (1 + frequency)) + 1.0
    return np.where(keep, idf, 0.0)
