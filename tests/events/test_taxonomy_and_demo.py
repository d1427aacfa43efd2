"""The term taxonomy (data migration and load_terms), the demo events and the scheduled pull."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry
from curation import demo as curation_demo
from events import demo
from events.models import Event, Term
from events.services.taxonomy import TERMS_FILE
from events.tasks import import_events_from_search_api
from tests.events.factories import EventDocumentFactory
from tests.events.test_search_api import SearchApi

pytestmark = pytest.mark.django_db


def load_terms(*args):
    out = io.StringIO()
    call_command("load_terms", *map(str, args), stdout=out)
    return out.getvalue().strip()


def taxonomy_without(tmp_path, *term_ids, extra=()):
    terms = json.loads(TERMS_FILE.read_text())["terms"]
    terms = [term for term in terms if term["id"] not in term_ids] + list(extra)
    path = tmp_path / "terms.json"
    path.write_text(json.dumps({"terms": terms}))
    return path


def test_the_migration_loaded_the_official_taxonomy_with_its_legacy_labels():
    course = Term.objects.get(id="0.3.1.0.0")
    retired = Term.objects.get(id="0.16.0.0.0")

    assert Term.objects.filter(in_taxonomy=True).count() == 146
    assert (course.label_nl, course.label_fr, course.domain) == (
        "Lessenreeks",
        "Série de cours",
        "eventtype",
    )
    assert course.legacy_labels_nl == ["Cursus of workshop"]
    assert course.in_taxonomy
    assert (retired.label_nl, retired.in_taxonomy, retired.unknown) == (
        "Park of tuin",
        False,
        False,
    )


def test_load_terms_recognises_a_term_first_met_in_an_event(tmp_path, import_documents):
    import_documents(
        [EventDocumentFactory(terms=[{"id": "Nw7Thema", "label": "Oud label", "domain": "theme"}])]
    )
    new_term = {
        "id": "Nw7Thema",
        "domain": "theme",
        "name": {"nl": "Nieuw thema", "fr": "Nouveau thème"},
        "scope": ["events"],
    }

    output = load_terms(taxonomy_without(tmp_path, extra=[new_term]))

    term = Term.objects.get(id="Nw7Thema")
    assert (term.unknown, term.in_taxonomy, term.label_nl) == (False, True, "Nieuw thema")
    assert output.startswith("created 0, updated 165")
    assert AuditEntry.objects.filter(action="terms.loaded").count() == 1


def test_a_term_dropped_from_the_taxonomy_stays_and_is_no_longer_official(tmp_path):
    output = load_terms(taxonomy_without(tmp_path, "0.50.4.0.0"))

    assert output.endswith("no longer official 1")
    assert not Term.objects.get(id="0.50.4.0.0").in_taxonomy


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"terms": [', "malformed JSON at line 1"),
        ('{"items": []}', 'not a taxonomy: expected {"terms": [...]}'),
        ('{"terms": [{"domain": "theme"}]}', "terms[0] has no id"),
        (
            '{"terms": [{"id": "x", "name": {"nl": 1}, "domain": "theme"}]}',
            "name is not a language",
        ),
    ],
)
def test_a_malformed_taxonomy_is_refused_and_changes_nothing(tmp_path, content, message):
    path = tmp_path / "terms.json"
    path.write_text(content)
    before = list(Term.objects.order_by("id").values())

    with pytest.raises(CommandError, match="the taxonomy was left as it was") as error:
        load_terms(path)

    assert message in str(error.value)
    assert list(Term.objects.order_by("id").values()) == before


def test_the_demo_events_go_through_the_import_and_a_second_seed_changes_nothing():
    first, second = io.StringIO(), io.StringIO()

    demo.seed(out=first)
    demo.seed(out=second)
    curation_demo.seed(out=second)

    # Every twelfth event, and some legacy ones, carry a defect real data has: findings.
    assert first.getvalue().startswith(
        "events: created 300, updated 0, unchanged 0, rejected 0, findings 29"
    )
    assert second.getvalue().startswith(
        "events: created 0, updated 0, unchanged 300, rejected 0, findings 0"
    )
    assert "queues: confirm " in second.getvalue()
    modes = set(Event.objects.values_list("attendance_mode", flat=True))
    assert modes == {"offline", "online", "mixed"}
    assert Event.objects.filter(all_ages=True).exists()
    assert Event.objects.filter(max_age__lte=12).exists()
    # A few legacy-shaped documents: no mainLanguage, texts as plain strings.
    legacy = Event.objects.exclude(document__has_key="mainLanguage")
    assert 1 <= legacy.count() <= 30
    assert all(isinstance(event.document["name"], str) for event in legacy)


def test_the_scheduled_pull_does_nothing_until_a_search_url_is_set(settings):
    settings.UITDATABANK_SEARCH_URL = ""

    assert import_events_from_search_api() == "UITDATABANK_SEARCH_URL is not set: nothing to import"
    assert not Event.objects.exists()


def test_the_scheduled_pull_imports_the_configured_search(settings):
    with SearchApi(EventDocumentFactory.create_batch(3)) as api:
        settings.UITDATABANK_SEARCH_URL = api.url + "?q=gent"

        result = import_events_from_search_api()

    assert result.endswith("created 3, updated 0, unchanged 0, rejected 0, findings 0")
    assert Event.objects.count() == 3
