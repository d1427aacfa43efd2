"""The family-offer rule, point by point (docs/family.md).

Pure functions: no database. Each test builds the rule it needs.
"""

import pytest
from django.utils import translation

from family.models import FamilyRule
from family.services.rule import (
    EVENT_FIELDS,
    CompiledRule,
    RuleDataError,
    keyword_key,
    normalise,
    rule_values,
)

LECTURE, FAIR, CONCERT = "0.3.2.0.0", "0.6.0.0.0", "0.50.4.0.0"
PARENTING, JAZZ = "1.37.0.0.0", "1.8.2.0.0"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):  # the messages are checked in the source language
        yield


def rule(**overrides) -> CompiledRule:
    values = {
        "version": 1,
        "threshold": 3,
        "keyword_points": 1,
        "min_age_points": 2,
        "min_age_max": 12,
        "max_age_points": 3,
        "max_age_max": 12,
        "keywords": ["kind", "kids", "gezin", "familie", "jong en oud", "crèche"],
        "excluded_event_types": [LECTURE, FAIR],
        "excluded_themes": [PARENTING],
        "excluded_keywords": ["opvoed", "puber", "kanker"],
    }
    return CompiledRule(FamilyRule(**{**values, **overrides}))


def classify(compiled=None, *, name="Activiteit", description="", **event):
    fields = {"event_type_id": CONCERT, "term_ids": [CONCERT], "min_age": None, "max_age": None}
    values = {"name_text": name, "description_text": description, **fields, **event}
    return (compiled or rule()).classify_values([values[field] for field in EVENT_FIELDS])


# Keywords ------------------------------------------------------------------------------------


def test_each_distinct_keyword_counts_once_however_often_it_occurs():
    result = classify(name="Kids, kids, kids!", description="Voor kids en het hele gezin. Gezin!")
    assert result.matched_keywords == ["kids", "gezin"]
    assert result.points == 2


def test_a_keyword_matches_where_a_word_starts_with_it():
    assert classify(description="Kinderen welkom").matched_keywords == ["kind"]
    assert classify(description="kindvriendelijk").matched_keywords == ["kind"]
    assert classify(description="een ouder-kindactiviteit").matched_keywords == ["kind"]


def test_a_keyword_inside_a_word_does_not_match():
    assert classify(description="Hij was bekind en gekend.").matched_keywords == []
    assert classify(description="Superkids").matched_keywords == []


def test_an_excluded_keyword_matches_at_a_word_start_too():
    compiled = rule()
    assert compiled.found("Opvoedingsavond voor ouders") == ([], ["opvoed"])
    assert compiled.found("Een avond voor pubers") == ([], ["puber"])
    assert compiled.found("Een heropvoeding") == ([], [])


def test_case_and_accents_do_not_matter_on_either_side():
    assert classify(description="FAMÍLIE-DAG en KIDS").matched_keywords == ["kids", "familie"]
    assert classify(description="De creche en de CRÈCHE").matched_keywords == ["crèche"]
    assert normalise("Ébène Œuvre") == "ebene oeuvre"
    assert keyword_key("  Jong   EN oud ") == "jong en oud"


def test_a_phrase_matches_across_any_whitespace_but_not_from_name_into_description():
    assert classify(description="Voor jong\n  en oud").matched_keywords == ["jong en oud"]
    assert classify(name="Voor jong en", description="oud").matched_keywords == []


def test_a_keyword_that_starts_another_matches_with_it_as_the_rule_says():
    # "kind" occurs where "kinderen" does: with both listed, that word counts twice. The
    # default list therefore holds "kind" only (curation/family_defaults.py).
    compiled = rule(keywords=["kinderen", "kind"])
    assert classify(compiled, description="Voor kinderen").matched_keywords == ["kinderen", "kind"]
    assert classify(compiled, description="Met je kind").matched_keywords == ["kind"]


def test_html_in_the_name_is_removed_before_matching():
    result = classify(name="<b>Gezinsdag</b>&nbsp;&amp;&nbsp;<i>kids</i>")
    assert result.matched_keywords == ["kids", "gezin"]
    assert classify(name="<span class='kids'>Concert</span>").matched_keywords == []


def test_matched_keywords_follow_the_rules_order():
    result = classify(description="Het gezin, jong en oud, kids en kinderen")
    assert result.matched_keywords == ["kind", "kids", "gezin", "jong en oud"]


# Ages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("min_age", "points"), [(None, 0), (0, 0), (1, 2), (4, 2), (12, 2), (13, 0), (18, 0)]
)
def test_a_minimum_age_above_0_and_at_most_12_earns_2_points(min_age, points):
    result = classify(min_age=min_age)
    assert (result.min_age_points, result.points) == (points, points)


@pytest.mark.parametrize(("max_age", "points"), [(None, 0), (4, 3), (12, 3), (13, 0), (18, 0)])
def test_a_maximum_age_of_at_most_12_earns_3_points(max_age, points):
    result = classify(max_age=max_age)
    assert (result.max_age_points, result.points) == (points, points)


def test_both_ages_add_up_and_reach_the_threshold_alone():
    result = classify(min_age=6, max_age=12)
    assert (result.points, result.label) == (5, True)


def test_the_age_limits_and_points_are_the_rules():
    compiled = rule(min_age_max=6, min_age_points=1, max_age_max=10, max_age_points=4)
    assert classify(compiled, min_age=7).points == 0
    assert classify(compiled, min_age=6).points == 1
    assert classify(compiled, max_age=10).points == 4


# Threshold -----------------------------------------------------------------------------------


def test_three_points_label_an_event_as_family_offer_and_two_do_not():
    assert classify(description="Kids en het gezin").label is False
    assert classify(description="Kids, het gezin, jong en oud").label is True
    assert classify(description="Voor het gezin", min_age=4).label is True


def test_the_threshold_and_keyword_points_are_the_rules():
    assert classify(rule(threshold=2), description="Kids en het gezin").label is True
    result = classify(rule(keyword_points=2), description="Kids en het gezin")
    assert (result.points, result.label) == (4, True)


# Exclusions ----------------------------------------------------------------------------------


def test_an_excluded_event_type_removes_the_label():
    result = classify(event_type_id=LECTURE, term_ids=[LECTURE], min_age=6, max_age=12)
    assert (result.label, result.points, result.excluded_by) == (False, 5, "event type 0.3.2.0.0")


def test_an_excluded_theme_removes_the_label():
    result = classify(term_ids=[CONCERT, JAZZ, PARENTING], max_age=10)
    assert (result.label, result.excluded_by) == (False, "theme 1.37.0.0.0")


def test_an_excluded_keyword_removes_the_label():
    result = classify(name="Infoavond", description="Over pubers en het gezin", max_age=12)
    assert (result.label, result.excluded_by) == (False, "keyword puber")


def test_the_first_exclusion_named_is_type_then_theme_then_keyword():
    both = classify(
        event_type_id=FAIR, term_ids=[FAIR, PARENTING], description="opvoeding", max_age=8
    )
    assert both.excluded_by == "event type 0.6.0.0.0"
    assert classify(term_ids=[PARENTING], description="opvoeding", max_age=8).excluded_by == (
        "theme 1.37.0.0.0"
    )


def test_an_exclusion_is_named_only_when_it_removed_a_label():
    result = classify(event_type_id=LECTURE, term_ids=[LECTURE], description="Over kanker")
    assert (result.label, result.excluded_by) == (False, "")


def test_the_explain_form_has_the_issues_keys():
    result = classify(description="Voor kids en het gezin", min_age=4)
    assert result.as_json() == {
        "label": True,
        "points": 4,
        "matched_keywords": ["kids", "gezin"],
        "excluded_by": None,
    }


# Checking a rule's values --------------------------------------------------------------------

KNOWN = {LECTURE: "eventtype", FAIR: "eventtype", PARENTING: "theme", JAZZ: "theme"}
GOOD = {
    "threshold": 3,
    "keyword_points": 1,
    "min_age_points": 2,
    "min_age_max": 12,
    "max_age_points": 3,
    "max_age_max": 12,
    "keywords": ["kinderen", "gezin"],
    "excluded_event_types": [LECTURE, FAIR],
    "excluded_themes": [PARENTING],
    "excluded_keywords": ["kanker", "opvoed"],
}


def test_good_values_pass_with_whitespace_tidied():
    values = rule_values({**GOOD, "keywords": [" jong   en oud ", "kids"]}, KNOWN)
    assert values["keywords"] == ["jong en oud", "kids"]
    assert values["excluded_themes"] == [PARENTING]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"threshold": "3"}, "threshold: '3' is not a whole number from 1 to 1000"),
        ({"threshold": 0}, "threshold: 0 is not a whole number from 1 to 1000"),
        ({"min_age_points": -1}, "min_age_points: -1 is not a whole number from 0 to 1000"),
        ({"keywords": "kinderen"}, "keywords: must be a list of text"),
        ({"keywords": ["kind", 3]}, "keywords[1]: 3 is not text"),
        ({"keywords": ["kind", " "]}, "keywords[1]: ' ' is not text"),
        ({"keywords": ["kind", "KIND"]}, "keywords[1]: 'KIND' repeats keywords[0]"),
        ({"keywords": ["+kind"]}, "keywords[0]: '+kind' must start with a letter or digit"),
        ({"excluded_keywords": ["a" * 101]}, "excluded_keywords[0]: longer than 100 characters"),
        (
            {"excluded_themes": ["9.9.9"]},
            "excluded_themes[0]: '9.9.9' is not a term of the taxonomy",
        ),
        (
            {"excluded_event_types": [PARENTING]},
            "excluded_event_types[0]: '1.37.0.0.0' is a term of the domain theme, not eventtype",
        ),
        ({"excluded_themes": [JAZZ, JAZZ]}, "excluded_themes[1]: '1.8.2.0.0' is listed twice"),
        ({"colour": "red"}, "colour: unknown key"),
    ],
)
def test_each_problem_is_named_with_where_it_is(change, problem):
    with pytest.raises(RuleDataError) as refused:
        rule_values({**GOOD, **change}, KNOWN)
    assert any(str(found).startswith(problem) for found in refused.value.problems), refused.value


def test_every_problem_is_listed_not_only_the_first():
    data = {key: value for key, value in GOOD.items() if key != "threshold"}
    with pytest.raises(RuleDataError) as refused:
        rule_values({**data, "keywords": [1, 2]}, KNOWN)
    assert [str(problem) for problem in refused.value.problems] == [
        "threshold: missing",
        "keywords[0]: 1 is not text",
        "keywords[1]: 2 is not text",
    ]


def test_a_file_that_is_not_one_object_is_refused():
    with pytest.raises(RuleDataError, match="one JSON object"):
        rule_values([GOOD], KNOWN)
