"""The learned family model: labels imported, training, versions, classification, explanation,
on the fixture's 240 hand-labelled events (a slice of the development set)."""

import io
import json
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from core.models import AuditEntry
from curation.models import EventCuration
from events.models import Event
from family.models import FamilyClassification, FamilyModel
from family.selectors import family_as_json
from family.services import learning
from family.services.classify import active_rule, family_classify_all
from family.services.explain import family_explanation
from family.services.features import MODEL_FIELDS
from family.services.model import (
    active_model,
    compiled_model,
    family_model_activate,
    family_model_nightly,
    family_model_train,
)
from family.services.rule import EVENT_FIELDS, compiled_rule

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "family"


def run(*args) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return out.getvalue(), err.getvalue(), code


@pytest.fixture
def labelled(db):
    """The fixture's events imported and their labels imported."""
    run("import_events", str(FIXTURES / "events.jsonl"))
    _out, err, code = run("import_family_labels", str(FIXTURES / "labels.csv"))
    assert (err, code) == ("", 0)
    return Event.objects.count()


def test_label_import_keeps_good_rows_and_reports_bad_ones_by_line(tmp_path, labelled, alice):
    first, second = Event.objects.order_by("pk").values_list("udb_id", flat=True)[:2]
    csv = tmp_path / "labels.csv"
    csv.write_text(
        "uuid,family,note\n"
        f"{first},0,changed my mind\n"
        "00000000-0000-4000-8000-000000000000,1,\n"
        f"{second},ja,\n"
        f"{first},1,\n"
    )
    before = AuditEntry.objects.filter(action="family.label_imported").count()

    out, err, code = run("import_family_labels", str(csv), "--curator", alice.username)

    assert code == 1
    assert "labels written 1, rows rejected 3" in out
    assert err.splitlines() == [
        f"{csv}: line 3: no event 00000000-0000-4000-8000-000000000000",
        f"{csv}: line 4: family 'ja' is not 1 or 0",
        f"{csv}: line 5: {first} repeats line 2",
    ]
    curation = EventCuration.objects.get(event__udb_id=first)
    assert (curation.family, curation.family_decided_by) == (False, alice)
    audit = AuditEntry.objects.filter(action="family.label_imported")
    assert audit.count() == before + 1
    assert audit.latest("pk").note == "changed my mind"


def test_label_import_needs_the_header():
    _out, err, code = run("import_family_labels", str(FIXTURES / "events.jsonl"))
    assert code == 1
    assert "line 1: the header must name the columns uuid and family" in err


def test_the_fresh_database_steps_end_in_a_model_explanation(labelled):
    """docs/family.md: import_events, import_family_labels, family_model train --activate,
    classify_family, family_explain prints "source": "model" with its top features."""
    out, _err, code = run("family_model", "train", "--activate")
    assert code == 0
    assert "examples 240 (family 111)" in out
    assert "version 1" in out and "model version 1 active" in out
    run("classify_family")
    event = Event.objects.exclude(curation__family__isnull=False).first() or Event.objects.first()
    EventCuration.objects.filter(event=event).delete()

    out, _err, code = run("family_explain", event.udb_id)

    explanation = json.loads(out)
    assert explanation["source"] == "model"
    assert explanation["version"] == 1
    assert len(explanation["top_features"]) == 5
    assert {"id", "label", "points", "matched_keywords", "excluded_by"} <= set(explanation)
    stored = FamilyClassification.objects.get(event=event)
    assert (stored.model_version, stored.score) == (1, explanation["score"])


def test_training_is_reproducible(labelled):
    first, second = family_model_train(), family_model_train()
    assert first.features == second.features
    assert first.coefficients == second.coefficients
    assert (first.intercept, first.threshold) == (second.intercept, second.threshold)


def test_the_threshold_holds_the_precision_floor_on_the_folds(labelled):
    model = family_model_train(min_precision=0.96)
    scores = np.array([point["threshold"] for point in model.figures["curve"]])
    assert model.figures["model"]["precision"] >= 0.96
    assert model.figures["model"]["recall"] > model.figures["rule"]["recall"]
    # The lowest threshold that holds the floor: one step lower would break it.
    lower = [p for p in model.figures["curve"] if p["threshold"] < round(model.threshold, 4)]
    assert not lower or lower[0]["precision"] < 0.96 or lower[0]["recall"] == 1
    assert len(scores) > 10


def test_choose_threshold_takes_the_highest_recall_at_the_floor():
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    labels = [True, True, False, True, True, False]
    assert learning.choose_threshold(scores, labels, 1.0) == 0.8
    assert learning.choose_threshold(scores, labels, 0.8) == 0.5
    assert learning.choose_threshold(scores, [False] * 6, 0.5) > 0.9


def test_contributions_add_up_to_the_score(labelled):
    model = family_model_train()
    compiled, rule = compiled_model(model), compiled_rule(active_rule())
    for event in Event.objects.only(*MODEL_FIELDS)[:20]:
        values = tuple(getattr(event, name) for name in MODEL_FIELDS)
        result = rule.classify_values(values[: len(EVENT_FIELDS)])
        score, parts = compiled.contributions(values, result)
        assert score == pytest.approx(model.intercept + sum(p.contribution for p in parts))
        assert score == pytest.approx(compiled.scores([(values, result)])[0])


def test_the_curated_label_wins(labelled):
    family_model_activate(model=family_model_train())
    family_classify_all()
    stored = FamilyClassification.objects.filter(model_label=True).first()
    event = stored.event
    EventCuration.objects.update_or_create(event=event, defaults={"family": False})
    event = Event.objects.select_related("family_classification__rule", "curation").get(pk=event.pk)

    assert family_as_json(event)["final"] is False
    explanation = family_explanation(event, active_rule(), active_model(), False)
    assert (explanation["source"], explanation["label"]) == ("curator", False)


def test_no_pickle_is_loaded(labelled, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a pickle was loaded")

    family_model_activate(model=family_model_train())
    for name in ("load", "loads"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(joblib, "load", refuse)
    from family.services import model as model_module

    model_module._compiled.clear()
    result = family_classify_all()
    assert result.classified == 240
    out, _err, _code = run("family_explain", Event.objects.first().udb_id)
    assert json.loads(out)["version"] == 1


def test_a_second_classification_writes_nothing(labelled):
    family_model_activate(model=family_model_train())
    assert family_classify_all().written == 240
    assert family_classify_all().written == 0


def test_the_nightly_job_keeps_the_better_version(labelled):
    first, activated = family_model_nightly()
    assert activated and first.is_active
    FamilyModel.objects.filter(pk=first.pk).update(
        figures={**first.figures, "model": {**first.figures["model"], "recall": 1.0}}
    )

    _second, activated = family_model_nightly()

    assert not activated
    assert active_model().version == first.version
    FamilyModel.objects.filter(pk=first.pk).update(figures=first.figures)
    third, activated = family_model_nightly()
    assert activated and active_model().version == third.version


def test_list_and_activate(labelled):
    family_model_train()
    family_model_train()
    out, _err, _code = run("family_model", "activate", "1")
    assert "model version 1 active" in out
    out, _err, _code = run("family_model", "list")
    lines = out.splitlines()
    assert lines[0].startswith("  ") and lines[1].startswith("*")
    assert AuditEntry.objects.filter(action="family_model.activated").count() == 1


def test_the_family_queue_feeds_the_least_sure_first_plus_the_audit_share(settings):
    """With a model active: events whose score is within the margin of the threshold, ordered
    by their distance from it, plus the audit share of the sure ones."""
    from curation.models import Queue, Task
    from family.queue import in_audit_share
    from tests.events.factories import EventFactory

    settings.CURATION_FAMILY_AUDIT_PERCENT = 30
    settings.FAMILY_UNSURE_MARGIN = 2.0
    model = FamilyModel.objects.create(
        version=7,
        is_active=True,
        trained_at="2026-12-01T00:00Z",
        examples=10,
        family_examples=5,
        rule_version=1,
        min_precision=0.96,
        threshold=1.0,
        intercept=0.0,
    )
    events = EventFactory.create_batch(40)
    family_classify_all()  # the rule's rows; then the model's scores, set by hand
    scores = [1.0 + (-1) ** n * (n % 20) * 0.25 for n in range(len(events))]
    for event, score in zip(events, scores, strict=True):
        FamilyClassification.objects.filter(event=event).update(
            model_version=model.version, score=score, model_label=score >= model.threshold
        )
    queue = Queue.objects.get(slug="family")
    from curation.services.queues import queues_build

    queues_build(queues=[queue])

    unsure = {e.pk for e, s in zip(events, scores, strict=True) if abs(s - 1.0) < 2.0}
    audited = {e.pk for e in events if in_audit_share(e.pk)}
    tasks = list(Task.objects.filter(queue=queue).order_by("position", "pk"))
    assert {task.event_id for task in tasks} == unsure | audited
    assert audited - unsure  # some sure events are there only for the audit
    distance = {e.pk: abs(s - 1.0) for e, s in zip(events, scores, strict=True)}
    ordered = [distance[task.event_id] for task in tasks]
    assert ordered == sorted(ordered)


def test_the_api_gives_labels_with_their_source_and_only_sure_model_labels(
    labelled, client, alice, charlie, settings
):
    family_model_activate(model=family_model_train())
    family_classify_all()
    curated = Event.objects.order_by("pk")[0]
    EventCuration.objects.exclude(event=curated).delete()
    client.force_login(alice)

    everything = client.get("/api/curation/family-labels/", {"pending": "true", "page_size": 1000})
    sure = client.get("/api/curation/family-labels/", {"page_size": 1000})

    rows = {row["event"]: row for row in everything.json()["results"]}
    assert len(rows) == 240
    assert rows[curated.udb_id]["source"] == "curator"
    assert {row["source"] for row in rows.values()} == {"curator", "model"}
    model = active_model()
    unsure = {
        udb_id
        for udb_id, row in rows.items()
        if row["source"] == "model"
        and abs(row["score"] - model.threshold) < settings.FAMILY_UNSURE_MARGIN
    }
    assert unsure
    assert {row["event"] for row in sure.json()["results"]} == set(rows) - unsure
    client.force_login(charlie)
    assert client.get("/api/curation/family-labels/").status_code == 403


def test_the_api_takes_the_same_queries_for_few_and_many_labels(labelled, client, alice):
    family_model_activate(model=family_model_train())
    family_classify_all()
    client.force_login(alice)
    counts = []
    for size in (5, 200):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get("/api/curation/family-labels/", {"page_size": size}).status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_evaluation_page_shows_rule_and_model_side_by_side(labelled, client, alice):
    family_model_activate(model=family_model_train())
    family_classify_all()
    client.force_login(alice)

    page = client.get("/curation/family/").content.decode()

    assert 'id="model-figures"' in page and 'id="model-languages"' in page
    assert 'id="model-curve"' in page and "marked" in page
    assert "0 beslissingen" in page or "0 decisions" in page
    assert 'id="model-audit"' in page


def test_the_task_panel_explains_the_model_in_words(labelled):
    from family.selectors import family_event_panel

    family_model_activate(model=family_model_train())
    family_classify_all()
    event = Event.objects.select_related("curation").get(
        pk=FamilyClassification.objects.filter(model_label=True).first().event_id
    )

    panel = family_event_panel(event)

    model = panel["family_model"]
    assert model.label is True and model.certainty >= model.threshold_percent
    assert len(model.reasons) == 5
    assert all(not what.startswith(("word ", "chars ")) for what, _weight in model.reasons)


def test_the_nightly_training_is_scheduled_before_the_classification():
    from family.schedules import SCHEDULES

    by_task = {job.task: job.crontab.split() for job in SCHEDULES}
    train, classify = by_task["family.train"], by_task["family.classify"]
    assert (int(train[1]), int(train[0])) < (int(classify[1]), int(classify[0]))


def test_the_family_labels_route_is_in_the_openapi_schema(client, alice):
    client.force_login(alice)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/curation/family-labels/"]["get"]
    assert "pending" in {parameter["name"] for parameter in operation["parameters"]}


def test_the_events_api_gives_the_models_label_and_its_source(labelled, client, alice):
    family_model_activate(model=family_model_train())
    family_classify_all()
    stored = FamilyClassification.objects.exclude(model_label=F("label")).first()
    EventCuration.objects.filter(event_id=stored.event_id).delete()
    client.force_login(alice)

    family = client.get(f"/api/events/{stored.event.udb_id}/").json()["family"]

    assert (family["source"], family["label"], family["final"]) == (
        "model",
        stored.model_label,
        stored.model_label,
    )
    assert family["rule_label"] == stored.label != stored.model_label
    assert family["score"] == stored.score and family["model_version"] == 1


def test_the_admin_lists_versions_and_activates_one(labelled, admin_client):
    first, second = family_model_train(), family_model_train()
    family_model_activate(model=second)

    page = admin_client.get("/admin/family/familymodel/")
    assert page.status_code == 200
    response = admin_client.post(
        "/admin/family/familymodel/",
        {"action": "activate", "_selected_action": [first.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert active_model().version == first.version
    assert admin_client.get(f"/admin/family/familymodel/{first.pk}/change/").status_code == 200


def test_an_import_classifies_its_events_by_the_active_model(labelled, tmp_path):
    from tests.events.factories import EventDocumentFactory

    family_model_activate(model=family_model_train())
    document = EventDocumentFactory(
        name={"nl": "Poppenkast voor kleuters"}, description={"nl": "Een namiddag vol plezier."}
    )
    path = tmp_path / "new.jsonl"
    path.write_text(json.dumps(document) + "\n")

    run("import_events", str(path))

    stored = FamilyClassification.objects.get(event__udb_id=document["@id"].rsplit("/", 1)[1])
    assert stored.model_version == 1 and stored.score is not None
    assert family_classify_all().written == 240  # the others had no model row yet; this one did


def test_the_curation_overview_shows_the_decisions_since_the_active_model(client, alice):
    """Point 5: the overview (curation's page, filled in by family) counts the family
    decisions decided after the active version was trained; none active, no line."""
    from tests.events.factories import EventFactory

    client.force_login(alice)
    assert 'id="family-decisions-since"' not in client.get("/curation/").content.decode()

    FamilyModel.objects.create(
        version=3,
        is_active=True,
        trained_at="2026-12-01T00:00Z",
        examples=10,
        family_examples=5,
        rule_version=1,
        min_precision=0.96,
        threshold=1.0,
        intercept=0.0,
    )
    decided = ["2026-11-30T00:00Z", "2026-12-02T00:00Z", "2026-12-03T00:00Z", None]
    for decided_at in decided:
        EventCuration.objects.create(
            event=EventFactory(), family=decided_at is not None, family_decided_at=decided_at
        )
    EventCuration.objects.create(event=EventFactory(), family_decided_at="2026-12-04T00:00Z")

    page = client.get("/curation/", headers={"accept-language": "en"}).content.decode()

    assert 'id="family-decisions-since"' in page
    assert "2 family decisions have arrived since model version 3 was trained." in page
    dutch = client.get("/curation/", headers={"accept-language": "nl"}).content.decode()
    assert "2 familiebeslissingen zijn binnengekomen sinds modelversie 3 getraind werd." in dutch


def test_the_name_is_its_own_block_and_each_block_is_scaled_to_length_1():
    """Name and description as words and characters, the name once more on its own, each of
    the four blocks of length 1; no pair of words across the two texts; read in words."""
    from family.selectors import feature_words
    from family.services.features import Vectoriser, column_blocks, weighted
    from family.services.rule import Classification

    rule = Classification(1, False, 0, [], 0, 0, "")
    rows = [
        (("Poppenkast Jan", "Een verhaal", None, [], None, None, None, None), rule),
        (("Kamp", "voor kinderen", None, [], 6, 12, None, None), rule),
    ]
    vectoriser = Vectoriser()
    text, signals = vectoriser.counts(rows)
    names = vectoriser.names

    assert {"name word poppenkast jan", "word poppenkast jan", "name chars  kam"} <= set(names)
    assert "word verhaal poppenkast" not in names  # the text's last word, the name's first
    blocks = column_blocks(names)
    matrix = weighted(text, signals, np.ones(len(names)), blocks).toarray()
    for block in (1, 2, 3, 4):
        lengths = np.linalg.norm(matrix[:, blocks == block], axis=1)
        assert lengths == pytest.approx([1.0, 1.0])
    assert "poppenkast" in feature_words("name word poppenkast")
