"""family_rules, classify_family and family_explain, alone and together with import_events."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from events.models import Event
from family.models import FamilyClassification, FamilyRule
from family.services.versions import rule_as_json
from tests.events.factories import EventDocumentFactory, EventFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


RULE_KEYS = ("id", "label", "points", "matched_keywords", "excluded_by")


def explained(*ids) -> list[dict]:
    """The rule's keys of each line (the model's are in tests/family/test_model.py)."""
    lines = [json.loads(line) for line in run("family_explain", *ids).splitlines()]
    return [{key: line[key] for key in RULE_KEYS} for line in lines]


def test_rules_import_events_classify_and_explain_work_together(tmp_path):
    rules = tmp_path / "rules.json"
    run("family_rules", "export", str(rules))
    data = json.loads(rules.read_text())
    data.update(threshold=2, keywords=["kinderen", "gezin", "knutsel"])
    rules.write_text(json.dumps(data))
    assert "version 2 created and activated" in run("family_rules", "import", str(rules))

    workshop = EventDocumentFactory(
        name={"nl": "Knutselnamiddag"}, description={"nl": "Voor kinderen."}
    )
    talk = EventDocumentFactory(
        name={"nl": "Opvoedingsavond"},
        description={"nl": "Voor ouders van kinderen, met het gezin."},
    )
    adults = EventDocumentFactory(name={"nl": "Wijnproeverij"}, description={"nl": "Proost."})
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(doc) + "\n" for doc in (workshop, talk, adults)))
    assert (
        run("import_events", str(events))
        .strip()
        .endswith("created 3, updated 0, unchanged 0, rejected 0, findings 0")
    )
    assert set(FamilyClassification.objects.values_list("rule_id", flat=True)) == {2}

    data.update(threshold=3)
    rules.write_text(json.dumps(data))
    run("family_rules", "import", str(rules))
    assert run("classify_family").splitlines()[0] == (
        "classified 3, written 3, unchanged 0, family 0 (rule version 3)"
    )

    ids = [doc["@id"].rsplit("/", 1)[-1] for doc in (workshop, talk, adults)]
    assert explained(*ids) == [
        {
            "id": ids[0],
            "label": False,
            "points": 2,
            "matched_keywords": ["kinderen", "knutsel"],
            "excluded_by": None,
        },
        {
            "id": ids[1],
            "label": False,
            "points": 2,
            "matched_keywords": ["kinderen", "gezin"],
            "excluded_by": None,
        },
        {"id": ids[2], "label": False, "points": 0, "matched_keywords": [], "excluded_by": None},
    ]
    data.update(threshold=2)
    rules.write_text(json.dumps(data))
    run("family_rules", "import", str(rules))
    assert explained(ids[1])[0]["excluded_by"] == "keyword opvoed"
    assert explained(ids[0])[0]["label"] is True


def test_family_explain_prints_one_json_object_a_line_in_the_issues_form():
    event = EventFactory(description_text="Voor kids en het gezin", min_age=4)
    output = run("family_explain", event.udb_id, f"https://io.uitdatabank.be/events/{event.udb_id}")
    lines = output.splitlines()
    assert len(lines) == 2 and lines[0] == lines[1]
    # The rule's keys first, as before the model; without a model its keys are empty.
    assert lines[0] == (
        f'{{"id":"{event.udb_id}","label":true,"points":4,'
        '"matched_keywords":["kids","gezin"],"excluded_by":null,"source":"rule","score":null,'
        '"threshold":null,"version":null,"rule_version":1,"top_features":[]}'
    )


def test_family_explain_names_an_unknown_id_and_exits_1():
    event = EventFactory()
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command(
            "family_explain", "no-such-event", event.udb_id, stdout=io.StringIO(), stderr=err
        )
    assert exit.value.code == 1
    assert "no-such-event: no such event" in err.getvalue()


def test_family_rules_export_writes_the_active_version_as_json(tmp_path):
    target = tmp_path / "rule.json"
    assert run("family_rules", "export", str(target)).strip() == f"version 1 written to {target}"
    data = json.loads(target.read_text())
    assert data == rule_as_json(FamilyRule.objects.get(version=1))
    assert list(data) == [
        "threshold",
        "keyword_points",
        "min_age_points",
        "min_age_max",
        "max_age_points",
        "max_age_max",
        "keywords",
        "excluded_event_types",
        "excluded_themes",
        "excluded_keywords",
    ]
    assert json.loads(run("family_rules", "export", "-")) == data


def test_a_rules_file_with_problems_is_refused_with_each_problem_and_the_active_version_stays(
    tmp_path,
):
    data = rule_as_json(FamilyRule.objects.get(version=1))
    data.update(threshold="drie", excluded_themes=["1.8.2.0.0", "0.6.0.0.0"])
    data["keywords"] = ["kind", 7]
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(data))

    with pytest.raises(CommandError) as refused:
        run("family_rules", "import", str(rules))

    message = str(refused.value)
    assert "was not imported; the active version stays" in message
    assert "threshold: 'drie' is not a whole number from 1 to 1000" in message
    assert "keywords[1]: 7 is not text" in message
    assert "excluded_themes[1]: '0.6.0.0.0' is a term of the domain eventtype, not theme" in message
    assert list(FamilyRule.objects.values_list("version", "is_active")) == [(1, True)]


def test_malformed_json_is_refused_with_its_line_and_column(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text('{"threshold": 3,\n "keywords": [}')
    with pytest.raises(CommandError, match=r"malformed JSON at line 2, column 15"):
        run("family_rules", "import", str(rules))
    assert FamilyRule.objects.count() == 1


def test_a_missing_rules_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*nothing\.json: No such file"):
        run("family_rules", "import", str(tmp_path / "nothing.json"))


def test_classify_family_since_takes_the_events_imported_since_that_moment():
    EventFactory(description_text="kids")
    Event.objects.update(imported_at="2020-01-01T00:00:00Z")
    EventFactory(description_text="gezin")
    assert (
        run("classify_family", "--since", "2025-01-01")
        .splitlines()[0]
        .startswith("classified 1, written 1")
    )
    with pytest.raises(CommandError, match="--since 'gisteren' is not an ISO 8601 date"):
        run("classify_family", "--since", "gisteren")
