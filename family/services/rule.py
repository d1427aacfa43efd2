"""The family-offer rule itself: checking a rule's values, and classifying one event by it.

No database: `CompiledRule.classify` is a pure function of the rule and the event's columns,
so every caller says the same about the same event. One Aho-Corasick automaton finds every
keyword in the normalised text (case-folded, accents stripped); Python keeps the occurrences
that start a word, each distinct keyword once (docs/family.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

import ahocorasick_rs
from django.utils.translation import gettext as _

from events.services.documents import plain_text

NUMBER_FIELDS = (
    "threshold",
    "keyword_points",
    "min_age_points",
    "min_age_max",
    "max_age_points",
    "max_age_max",
)
KEYWORD_FIELDS = ("keywords", "excluded_keywords")
TERM_FIELDS = {"excluded_event_types": "eventtype", "excluded_themes": "theme"}
# In the order of the JSON form.
RULE_FIELDS = (*NUMBER_FIELDS, "keywords", *TERM_FIELDS, "excluded_keywords")
# The event's columns the rule reads, in the order `classify_values` takes them.
EVENT_FIELDS = ("name_text", "description_text", "event_type_id", "term_ids", "min_age", "max_age")
MAX_POINTS = 1000
MAX_KEYWORDS = 2000
MAX_KEYWORD_LENGTH = 100

_MARKS = re.compile(r"[\u0300-\u036f]+")
# Letters that NFKD does not take apart but that a Dutch or French keyword spells plainly.
_LIGATURES = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "\u0131": "i"})
# Between name and description: a phrase must not run from one into the other.
_SEPARATOR = " | "
# What starts or ends a word: ASCII letters, digits and "_", as the regular expression `\w`
# with re.ASCII says (a rare letter that normalising leaves non-ASCII is not one of them).
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# The distinct sets of matches a compiled rule remembers the keywords of (332 in 20,000
# generated events; the bound keeps odd data from growing it without end).
_MAX_REMEMBERED = 10_000
# ASCII whitespace, as `\s` with re.ASCII and `bytes.split` say, made spaces.
_ASCII_SPACES = bytes.maketrans(b"\t\n\r\x0b\x0c", b"     ")


def normalise(text: str) -> str:
    """Lower case without accents ("Opvoedingsavond" -> "opvoedingsavond", "Crèche" ->
    "creche"); the ASCII fast path keeps this to a few microseconds per event."""
    text = text.casefold()
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).translate(_LIGATURES)


def keyword_key(keyword: str) -> str:
    """A keyword as it is matched: normalised, one space between the words of a phrase."""
    return " ".join(normalise(keyword).split())


# A tuple of the stored row's values in its columns' order: equal to the row read back means
# nothing to write. (A frozen dataclass would cost a microsecond more per event.)
class Classification(NamedTuple):
    rule_version: int
    label: bool
    points: int
    matched_keywords: list[str]  # as the rule spells them, in the rule's order
    min_age_points: int
    max_age_points: int
    excluded_by: str  # "event type <id>", "theme <id>", "keyword <keyword>" or ""

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "points": self.points,
            "matched_keywords": self.matched_keywords,
            "excluded_by": self.excluded_by or None,
        }


# A stored classification's columns, in the order of Classification's fields.
STORED_FIELDS = ("rule_id", *Classification._fields[1:])


class CompiledRule:
    """A rule version ready to classify: its keywords' automaton built once."""

    def __init__(self, rule):
        for name in ("version", *NUMBER_FIELDS, "keywords", "excluded_themes", "excluded_keywords"):
            setattr(self, name, getattr(rule, name))
        self.excluded_event_types = set(rule.excluded_event_types)
        positive = {keyword_key(keyword): index for index, keyword in enumerate(self.keywords)}
        excluded: dict[str, list[int]] = defaultdict(list)
        for index, keyword in enumerate(self.excluded_keywords):
            excluded[keyword_key(keyword)].append(index)
        # A keyword of only whitespace has an empty key: it never matches anything.
        keys = sorted(key for key in {*positive, *excluded} if key)
        # What each key stands for: the positive keyword (the last of a repeated one) and the
        # excluded ones spelled that way.
        self._positive_of_key = [positive.get(key) for key in keys]
        self._excluded_of_key = [excluded.get(key, []) for key in keys]
        # The keywords each set of matched keys found: texts share few sets, and looking one up
        # is faster than making it again.
        self._found_by_keys: dict[frozenset[int], tuple[list[str], list[str]]] = {}
        # Where a word starts: before a key that starts with a word character, the text's
        # previous character must not be one; before a key that starts with another character
        # ("-x", never valid in a rule but possible in a model built by hand) it must be one.
        self._needs_word_before = [key.encode()[0] not in _WORD_BYTES for key in keys]
        self._has_phrases = any(" " in key for key in keys)
        # Every occurrence of every key (overlapping ones too: "oud" inside "jong en oud");
        # the library's own choice of automaton, far smaller than a DFA for the largest rule
        # allowed (2 x 2,000 keywords) and as fast for a rule like the default one.
        self._automaton = (
            ahocorasick_rs.BytesAhoCorasick([key.encode() for key in keys]) if keys else None
        )

    def found(self, text: str) -> tuple[list[str], list[str]]:
        """(positive keywords, excluded keywords) in `text`, as the rule spells them."""
        if self._automaton is None:
            return [], []
        matched = self._keys_at_word_starts(normalise(text))
        found = self._found_by_keys.get(matched)
        if found is None:
            positive = {self._positive_of_key[key] for key in matched} - {None}
            excluded = [index for key in matched for index in self._excluded_of_key[key]]
            found = (
                [self.keywords[index] for index in sorted(positive)],
                [self.excluded_keywords[index] for index in sorted(excluded)],
            )
            if len(self._found_by_keys) < _MAX_REMEMBERED:
                self._found_by_keys[matched] = found
        return found[0][:], found[1][:]  # copies: a caller may change its lists

    def _keys_at_word_starts(self, text: str) -> frozenset[int]:
        """The keys (pattern indexes) that occur in `text` where a word starts.

        For phrases, runs of ASCII whitespace (space, tab, line feed, carriage return, form
        feed, vertical tab: what `bytes.split` splits on) become one space, so a phrase's one
        space matches any run of them; other spaces were made ASCII by `normalise` or do not
        separate words. Without phrases whitespace is only what is not a word character.
        """
        data = text.encode()
        if self._has_phrases:
            data = data.translate(_ASCII_SPACES)
            if b"  " in data:  # joining is slower than translating: only when needed
                data = b" ".join(data.split())
        needs_word_before = self._needs_word_before
        matches = self._automaton.find_matches_as_indexes(data, overlapping=True)
        return frozenset(
            [
                index
                for index, start, _end in matches
                if (start > 0 and data[start - 1] in _WORD_BYTES) is needs_word_before[index]
            ]
        )

    def classify_values(self, values: Sequence) -> Classification:
        """The event's values of EVENT_FIELDS in that order (a `values_list` row): positional,
        without the cost of keywords for each of a million events an import classifies."""
        name, description, event_type_id, term_ids, min_age, max_age = values
        if "<" in name or "&" in name:
            name = plain_text(name)
        matched, excluded = self.found(name + _SEPARATOR + description)
        # "0-" and "-" mean all ages: a minimum of 0 (or none) earns nothing.
        min_points = self.min_age_points if 0 < (min_age or 0) <= self.min_age_max else 0
        max_points = (
            self.max_age_points if max_age is not None and max_age <= self.max_age_max else 0
        )
        points = len(matched) * self.keyword_points + min_points + max_points
        reached = points >= self.threshold
        excluded_by = self._exclusion(event_type_id, term_ids, excluded) if reached else ""
        label = reached and not excluded_by
        return Classification(
            self.version, label, points, matched, min_points, max_points, excluded_by
        )

    def _exclusion(self, event_type_id, term_ids, excluded_keywords: list[str]) -> str:
        """The first exclusion that applies, in the deck's order: type, theme, keyword."""
        if event_type_id in self.excluded_event_types:
            return f"event type {event_type_id}"
        theme = next((theme for theme in self.excluded_themes if theme in (term_ids or ())), None)
        if theme is not None:
            return f"theme {theme}"
        if excluded_keywords:
            return f"keyword {excluded_keywords[0]}"
        return ""


@lru_cache(maxsize=8)
def _compiled(values: tuple) -> CompiledRule:
    return CompiledRule(
        SimpleNamespace(**dict(zip(("version", *RULE_FIELDS), values, strict=True)))
    )


def compiled_rule(rule) -> CompiledRule:
    """The rule compiled, kept per distinct set of values (a draft edited is compiled anew)."""
    values = (getattr(rule, name) for name in ("version", *RULE_FIELDS))
    return _compiled(tuple(tuple(value) if isinstance(value, list) else value for value in values))


# Checking a rule's values (the JSON import and the admin form) ---------------------------


@dataclass(frozen=True)
class Problem:
    field: str
    where: str  # "keywords[3]" in the JSON form, "line 4" in the admin's text box
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}"


class RuleDataError(ValueError):
    """Everything wrong with a rule's values, each problem with where it is."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def rule_values(data, known_terms: dict[str, str], position="{}[{}]".format) -> dict:
    """The values of a rule from its JSON form, checked; RuleDataError lists every problem.

    `known_terms` maps term ids to their domain: excluded event types and themes must be
    terms of the taxonomy of the right domain (a typo would exclude nothing, silently).
    `position(field, index)` says where an entry of a list is, for the messages ("keywords[3]"
    by default).
    """
    if not isinstance(data, dict):
        raise RuleDataError(
            [Problem("", _("the file"), _("must hold one JSON object, like the one export writes"))]
        )
    problems = [Problem(key, key, _("unknown key")) for key in data if key not in RULE_FIELDS]
    problems += [Problem(key, key, _("missing")) for key in RULE_FIELDS if key not in data]
    checked = [name for name in (*NUMBER_FIELDS, *KEYWORD_FIELDS, *TERM_FIELDS) if name in data]
    for name in checked:
        for index, message in _problems(name, data[name], known_terms, position):
            where = name if index is None else position(name, index)
            problems.append(Problem(name, where, message))
    if problems:
        raise RuleDataError(problems)
    values = {name: data[name] for name in checked}
    for name in (*KEYWORD_FIELDS, *TERM_FIELDS):  # all text, checked: tidy their spaces
        values[name] = [" ".join(item.split()) for item in values[name]]
    return values


def _problems(name: str, value, known_terms: dict[str, str], position):
    """(index of the list's entry or None, message) for each problem of one field's value."""
    if name in NUMBER_FIELDS:
        minimum = 1 if name == "threshold" else 0
        if type(value) is not int or not minimum <= value <= MAX_POINTS:
            message = _("%(value)r is not a whole number from %(minimum)s to %(maximum)s")
            yield None, message % {"value": value, "minimum": minimum, "maximum": MAX_POINTS}
        return
    if not isinstance(value, list):
        yield None, _("must be a list of text")
        return
    if len(value) > MAX_KEYWORDS:
        message = _("%(count)s entries; at most %(maximum)s")
        yield None, message % {"count": len(value), "maximum": MAX_KEYWORDS}
        return
    texts = []  # (index, the entry with its spaces tidied)
    for index, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            texts.append((index, " ".join(item.split())))
        else:
            yield index, _("%(item)r is not text") % {"item": item}
    seen: dict[str, int] = {}
    for index, text in texts:
        if name in KEYWORD_FIELDS:
            yield from _keyword_problems(name, index, text, seen, position)
            continue
        if (found := known_terms.get(text)) is None:
            yield index, _("%(id)r is not a term of the taxonomy") % {"id": text}
        elif found != TERM_FIELDS[name]:
            message = _("%(id)r is a term of the domain %(found)s, not %(domain)s")
            yield index, message % {"id": text, "found": found, "domain": TERM_FIELDS[name]}
        elif text in seen:
            yield index, _("%(id)r is listed twice") % {"id": text}
        seen.setdefault(text, index)


def _keyword_problems(name: str, index: int, keyword: str, seen: dict[str, int], position):
    key = keyword_key(keyword)
    if len(keyword) > MAX_KEYWORD_LENGTH:
        yield index, _("longer than %(maximum)s characters") % {"maximum": MAX_KEYWORD_LENGTH}
    elif not key[:1].isascii() or not key[:1].isalnum():
        message = _(
            "%(keyword)r must start with a letter or digit (keywords match where a word starts)"
        )
        yield index, message % {"keyword": keyword}
    elif key in seen:
        other = position(name, seen[key])
        yield index, _("%(keyword)r repeats %(other)s") % {"keyword": keyword, "other": other}
    seen.setdefault(key, index)
