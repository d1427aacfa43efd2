"""What UiTdatabank really serves: a defect a curator can fix imports with a data finding; a
document that is not an event is rejected; a later clean version closes the finding."""

import json

import orjson
import pytest
from django.utils import translation

from events.models import DataFinding, Event
from events.services.event_import import events_import
from events.services.sources import ReadProgress, expand_paths, read_files
from tests.events.test_command_import_events import run

pytestmark = pytest.mark.django_db

THEME_AS_EVENTTYPE = [
    "theme_filed_as_eventtype_concert.json",
    "theme_filed_as_eventtype_course.json",
    "theme_filed_as_eventtype_exhibition.json",
    "theme_filed_as_eventtype_film.json",
]
# The defects of the issue, then the other leniency rules: file -> (kind, field) found.
DEFECTS = {
    **dict.fromkeys(THEME_AS_EVENTTYPE, ("wrong_domain", "terms[1]")),
    "geo_as_strings.json": ("number_as_text", "location.geo"),
    "place_with_null_id.json": ("unlinked", "location"),
    "age_range_unreadable.json": ("age_range", "typicalAgeRange"),
    "html_in_name.json": ("html_in_text", "name"),
    "unknown_theme.json": ("unknown_term", "terms[1]"),
}
NOT_EVENTS = {
    "not_json.json": "malformed JSON at line 41, column 1: unexpected end of data",
    "no_id.json": "no @id",
    "id_not_uitdatabank.json": "@id 'http://www.davidsfonds.be/academie/koran-kaliefen-en-"
    "kruistochten' is not an event, place or organiser URL",
    "no_name.json": "no name",
    "dates_500_bc.json": "startDate is not a date: '500 BC'",
}


def import_paths(*paths):
    rejections, findings = [], []
    summary = events_import(
        items=read_files(expand_paths(paths), ReadProgress(), rejections.append),
        on_rejected=rejections.append,
        on_finding=findings.append,
    )
    return summary, rejections, findings


def command(*args):
    status, out, _err = run(*args)
    return status, out.strip().splitlines()


@pytest.fixture
def legacy_dir(reference_dir):
    return reference_dir / "legacy"


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_a_real_event_with_a_fixable_defect_imports_with_its_finding(legacy_dir, name):
    summary, rejections, _ = import_paths(legacy_dir / name)

    assert (summary.created, summary.rejected, rejections) == (1, 0, [])
    finding = DataFinding.objects.get()
    assert (finding.kind, finding.field, finding.is_open) == (*DEFECTS[name], True)
    assert (
        finding.event.udb_id
        == json.loads((legacy_dir / name).read_text())["@id"].rsplit("/", 1)[1].lower()
    )


@pytest.mark.parametrize("name", THEME_AS_EVENTTYPE)
def test_a_theme_filed_under_eventtype_becomes_a_theme_and_the_event_keeps_its_type(
    legacy_dir, name
):
    import_paths(legacy_dir / name)

    document = json.loads((legacy_dir / name).read_text())
    event = Event.objects.get()
    assert event.event_type_id == document["terms"][0]["id"]
    assert [term.id for term in event.themes] == [document["terms"][1]["id"]]
    assert DataFinding.objects.get().value == document["terms"][1]


def test_coordinates_written_as_strings_are_stored_as_numbers(legacy_dir):
    import_paths(legacy_dir / "geo_as_strings.json")

    place = Event.objects.get().location
    assert (place.latitude, place.longitude) == (50.804739, 4.936491)


def test_a_place_with_a_null_id_is_kept_with_its_name_and_address_and_no_place_record(
    legacy_dir,
):
    import_paths(legacy_dir / "place_with_null_id.json")

    event = Event.objects.get()
    finding = DataFinding.objects.get()
    assert event.location_id is None
    assert finding.value["name"] == {"nl": "Zaal De Kring"}
    assert finding.value["address"]["nl"]["streetAddress"] == "Grote Markt 5"


def test_an_unreadable_age_range_imports_the_event_without_an_age(legacy_dir):
    import_paths(legacy_dir / "age_range_unreadable.json")

    event = Event.objects.get()
    assert (event.min_age, event.max_age, event.all_ages) == (None, None, False)
    assert DataFinding.objects.get().value == "vanaf 12 jaar"


@pytest.mark.parametrize("name", sorted(NOT_EVENTS))
def test_a_document_that_is_not_an_event_is_rejected_with_its_reason(reference_dir, name):
    summary, rejections, _ = import_paths(reference_dir / "not_events" / name)

    assert summary.rejected == 1
    assert [rejection.reason for rejection in rejections] == [NOT_EVENTS[name]]
    assert not Event.objects.exists()
    assert not DataFinding.objects.exists()


def test_every_real_shaped_legacy_event_imports_none_rejected(legacy_dir):
    files = expand_paths([legacy_dir])

    summary, rejections, _ = import_paths(legacy_dir)

    assert rejections == []
    assert summary.created == len(files) == Event.objects.count()
    assert summary.findings == {
        "wrong_domain": 4,
        "number_as_text": 1,
        "unlinked": 1,
        "age_range": 1,
        "html_in_text": 1,
        "unknown_term": 1,
    }


def test_a_later_version_without_the_defect_closes_the_finding(legacy_dir, import_documents):
    document = json.loads((legacy_dir / "theme_filed_as_eventtype_concert.json").read_text())
    import_documents([document])
    fixed = {
        **document,
        "terms": [{**document["terms"][0]}, {**document["terms"][1], "domain": "theme"}],
        "modified": "2015-04-01T10:00:00+02:00",
    }

    summary, _ = import_documents([fixed])

    finding = DataFinding.objects.get()
    assert finding.closed_at is not None
    assert (summary.updated, summary.findings_closed, summary.findings) == (1, 1, {})


def test_a_later_version_with_the_same_defect_keeps_the_one_finding_open(
    legacy_dir, import_documents
):
    document = json.loads((legacy_dir / "geo_as_strings.json").read_text())
    import_documents([document])
    opened_at = DataFinding.objects.get().opened_at

    summary, _ = import_documents([{**document, "name": {"nl": "Nieuwe titel"}}])

    finding = DataFinding.objects.get()
    assert (finding.is_open, finding.opened_at) == (True, opened_at)
    assert (summary.updated, summary.findings_closed) == (1, 0)


def test_a_later_version_with_another_defect_closes_the_old_finding_and_opens_the_new(
    legacy_dir, import_documents
):
    document = json.loads((legacy_dir / "age_range_unreadable.json").read_text())
    import_documents([document])

    import_documents([{**document, "typicalAgeRange": "6-12", "name": {"nl": "<b>Nieuw</b>"}}])

    assert sorted((f.kind, f.is_open) for f in DataFinding.objects.all()) == [
        ("age_range", False),
        ("html_in_text", True),
    ]


def test_an_unchanged_re_import_leaves_the_findings_alone(legacy_dir):
    import_paths(legacy_dir)
    before = list(DataFinding.objects.values_list("id", "closed_at"))

    summary, _, _ = import_paths(legacy_dir)

    assert summary.unchanged == summary.documents
    assert list(DataFinding.objects.values_list("id", "closed_at")) == before


def test_the_message_is_rendered_in_the_readers_language(legacy_dir):
    import_paths(legacy_dir / "age_range_unreadable.json")
    finding = DataFinding.objects.get()

    with translation.override("en"):
        english = finding.message
    with translation.override("nl"):
        dutch = finding.message

    assert english == (
        'typicalAgeRange: "vanaf 12 jaar" is not an age range like 6-12; imported without an age.'
    )
    assert dutch != english and '"vanaf 12 jaar"' in dutch


def test_the_summary_counts_findings_per_kind_and_the_exit_status_stays_0(legacy_dir, tmp_path):
    report = tmp_path / "report.jsonl"

    status, lines = command(legacy_dir, "--report", report)

    assert status == 0
    assert lines[-1] == "created 11, updated 0, unchanged 0, rejected 0, findings 9"
    assert lines[-2] == (
        "findings per kind: wrong_domain 4, age_range 1, html_in_text 1, number_as_text 1, "
        "unknown_term 1, unlinked 1"
    )
    entries = [orjson.loads(line) for line in report.read_bytes().splitlines()]
    assert len(entries) == 9
    geo = next(entry for entry in entries if entry["finding"] == "number_as_text")
    assert geo["source"].endswith("geo_as_strings.json")
    assert (geo["field"], geo["value"]) == (
        "location.geo",
        {"latitude": "50.804739", "longitude": "4.936491"},
    )


def test_rejections_still_exit_1_and_stand_beside_the_findings_in_the_report(
    reference_dir, tmp_path
):
    report = tmp_path / "report.jsonl"

    status, lines = command(
        reference_dir / "not_events",
        reference_dir / "legacy" / "html_in_name.json",
        "--report",
        report,
    )

    entries = [orjson.loads(line) for line in report.read_bytes().splitlines()]
    assert status == 1
    assert lines[-1] == "created 1, updated 0, unchanged 0, rejected 5, findings 1"
    assert sorted("reason" in entry for entry in entries) == [False, *[True] * 5]
