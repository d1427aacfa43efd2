"""Finding the rule's keywords in an event's text (docs/family.md): every keyword that
occurs where a word starts counts, for every text and every keyword list.

`DomainRule` below says it in the plainest way, one regular expression a keyword, as the
reference for the Aho-Corasick scan. Pure functions: no database.
"""

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from family.models import FamilyRule
from family.services.rule import CompiledRule, keyword_key, normalise


def compiled(keywords, excluded_keywords=()) -> CompiledRule:
    return CompiledRule(
        FamilyRule(
            version=1,
            threshold=3,
            keyword_points=1,
            min_age_points=2,
            min_age_max=12,
            max_age_points=3,
            max_age_max=12,
            keywords=list(keywords),
            excluded_event_types=[],
            excluded_themes=[],
            excluded_keywords=list(excluded_keywords),
        )
    )


class DomainRule:
    """A keyword is found where a word of the normalised text starts with it: after an ASCII
    word boundary, its words apart by any run of ASCII whitespace. The positive keywords in
    the rule's order (the last of a repeated one), the excluded ones as listed."""

    def __init__(self, keywords, excluded_keywords=()):
        self.keywords = list(keywords)
        self.excluded_keywords = list(excluded_keywords)

    def found(self, text: str) -> tuple[list[str], list[str]]:
        text = normalise(text)
        positive = {keyword_key(keyword): index for index, keyword in enumerate(self.keywords)}
        positive_found = sorted(index for key, index in positive.items() if _occurs(key, text))
        excluded_found = [
            keyword for keyword in self.excluded_keywords if _occurs(keyword_key(keyword), text)
        ]
        return [self.keywords[index] for index in positive_found], excluded_found


def _occurs(key: str, text: str) -> bool:
    if not key:
        return False
    words = r"[ \t\n\r\f\v]+".join(re.escape(word) for word in key.split(" "))
    return re.search(r"\b" + words, text, re.ASCII) is not None


def expected(keywords, excluded_keywords, text):
    return DomainRule(keywords, excluded_keywords).found(text)


# Generated keyword lists and texts -----------------------------------------------------------

WORDS = ["kind", "kinderen", "ki", "k", "kids", "jong", "en", "oud", "ouder", "grootouder"]
WORDS += ["gezin", "a", "ab", "b", "crèche", "œuvre", "straße", "zee", "0", "12"]
ODD_KEYWORDS = ["-kind", "kind-x", "_k", "k_", "ж", "жk", "0-3 jaar", "x.y", "  ", "é"]
ASCII_SPACES = [" ", "  ", "\t", "\n", "\r", "\f", "\v", " \r\n ", "\r\f"]
UNICODE_SPACES = ["\u00a0", "\u2003", "\u3000", "\u1680", "\u2028", "\x85", "\x1c", "\u200b"]
PUNCTUATION = ["-", ".", ",", "'", "|", "_", "(", "/", "!", " | "]
LETTERS = ["é", "È", "ï", "ç", "ж", "ø", "ß", "ﬁ", "İ", "x", "X", "3", "ǅ"]

words = st.sampled_from(WORDS)
# Phrases from few short words, so that one phrase often ends with the word another starts with.
phrase_words = st.sampled_from(["kind", "en", "oud", "jong", "ki", "a", "ab"])
keyword = st.one_of(
    words,
    st.lists(phrase_words, min_size=2, max_size=3).map(" ".join),
    st.builds(
        lambda parts, space, upper: space.join(parts).upper() if upper else space.join(parts),
        st.lists(words, min_size=2, max_size=3),
        st.sampled_from([" ", "  ", "\t", "\u00a0"]),
        st.booleans(),
    ),
    st.sampled_from(ODD_KEYWORDS),
)
keywords = st.lists(keyword, max_size=6)


def _case(word: str, how: int) -> str:
    return (word, word.upper(), word.capitalize())[how]


text_piece = st.one_of(
    st.builds(_case, words, st.integers(0, 2)),
    st.builds(lambda word: "x" + word, words),  # inside a word: no match
    st.builds(lambda word: word + "eren", words),  # a word that starts with a keyword
    st.sampled_from(ASCII_SPACES),
    st.sampled_from(UNICODE_SPACES),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(LETTERS),
    st.sampled_from(ODD_KEYWORDS),
)


@st.composite
def rule_and_text(draw):
    """Keyword lists and a text made of pieces: words, the keywords themselves (their words
    apart by any whitespace, in any case), spaces, punctuation and letters."""
    positive, excluded = draw(keywords), draw(keywords)
    pieces = [text_piece]
    if positive or excluded:
        spelled = st.builds(
            lambda keyword, space, how: _case(space.join(keyword.split(" ")), how),
            st.sampled_from(positive + excluded),
            st.sampled_from(ASCII_SPACES + UNICODE_SPACES[:3]),
            st.integers(0, 2),
        )
        pieces.append(spelled)
    text = "".join(draw(st.lists(st.one_of(pieces), max_size=25)))
    return positive, excluded, text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule_and_text())
@example((["ouder kind", "kind"], [], "grootouder kind"))
@example((["kind en", "en oud", "kind"], [], "kind en oud"))
@example((["jong en oud"], [], "jong\ren\foud"))
@example((["  "], ["kind"], "kind"))
def test_the_scan_finds_every_keyword_that_occurs_where_a_word_starts(case):
    positive, excluded, text = case
    assert compiled(positive, excluded).found(text) == expected(positive, excluded, text)


# Examples ------------------------------------------------------------------------------------


def test_a_phrase_spans_any_run_of_ascii_whitespace_but_no_other_space():
    rule = compiled(["jong en oud"])
    assert rule.found("Voor jong \t\n en\r\n\r\noud") == (["jong en oud"], [])
    assert rule.found("jong\u2028en oud") == ([], [])  # a line separator is not \s in ASCII
    assert rule.found("jong\u00a0en\u3000oud") == (["jong en oud"], [])  # normalised to spaces


def test_a_phrase_split_by_carriage_returns_form_feeds_or_vertical_tabs_matches():
    # The regular expression the scan replaced raised KeyError on these.
    rule = compiled(["jong en oud"])
    assert rule.found("jong\ren\roud") == (["jong en oud"], [])
    assert rule.found("jong\fen\voud") == (["jong en oud"], [])


def test_a_keyword_inside_another_keywords_match_counts_too():
    rule = compiled(["kind en", "en oud", "kind"])
    assert rule.found("kind en oud") == (["kind en", "en oud", "kind"], [])
    assert compiled(["jong en oud", "ouders"]).found("voor jong en ouders") == (
        ["jong en oud", "ouders"],
        [],
    )


def test_a_phrase_that_starts_inside_a_word_does_not_count_nor_hide_what_follows():
    rule = compiled(["ouder kind", "kind"])
    assert rule.found("grootouder kind") == (["kind"], [])
    assert rule.found("ouder kinderen") == (["ouder kind", "kind"], [])


def test_a_word_counts_every_keyword_it_starts_with():
    rule = compiled(["kind", "kinderen", "ki"], ["kinderopvang"])
    assert rule.found("kinderen") == (["kind", "kinderen", "ki"], [])
    assert rule.found("kinderopvang") == (["kind", "ki"], ["kinderopvang"])
    assert rule.found("kiosk") == (["ki"], [])


def test_a_word_starts_after_any_character_that_is_not_an_ascii_letter_digit_or_underscore():
    rule = compiled(["kind"])
    assert rule.found("ouder-kind") == (["kind"], [])
    assert rule.found("жkind") == (["kind"], [])  # a non-ASCII letter is no word character
    assert rule.found("ékind") == ([], [])  # "é" is normalised to "e"
    assert rule.found("_kind") == ([], [])
    assert rule.found("3kind") == ([], [])


def test_a_keyword_that_starts_with_a_non_word_character_needs_a_word_before_it():
    # The admin refuses such keywords; a rule built by hand keeps the regex's meaning.
    rule = compiled(["-kind"])
    assert rule.found("ouder-kind") == (["-kind"], [])
    assert rule.found("ouder -kind") == ([], [])
    assert rule.found("-kind") == ([], [])


def test_no_keywords_or_only_blank_ones_find_nothing():
    assert compiled([]).found("kind") == ([], [])
    assert compiled(["  "], ["\t"]).found("kind  en \t") == ([], [])


def test_the_same_matches_again_give_the_same_keywords_as_lists_of_the_callers_own():
    rule = compiled(["kind", "kids"], ["puber"])
    first = rule.found("Kids, kinderen en pubers")
    first[0].append("changed by the caller")
    first[1].clear()
    assert rule.found("kids en kind voor pubers") == (["kind", "kids"], ["puber"])
    assert rule.found("Kids, kinderen en pubers") == (["kind", "kids"], ["puber"])
