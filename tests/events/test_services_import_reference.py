"""The real UiTdatabank documents copied to tests/fixtures/uitdatabank/: imported, or rejected
for a reason."""

from datetime import UTC, datetime

import pytest

from events.models import NIL_PLACE_ID, Event, Organizer, Place, Term
from events.services.event_import import events_import
from events.services.sources import expand_paths, read_files

pytestmark = pytest.mark.django_db

EXPECTED_REJECTIONS = {
    "apidocs_event_write_example.json": "no @id",
    "udb3-backend_write_event_audience_education.json": "no @id",
    "udb3-backend_write_event_with_all_fields.json": "no @id",
    "udb3-backend_write_online_event_with_online_url.json": "no @id",
    "udb3-backend_partial_event_attendance_mode_mixed.json": "no name",
    "terms.json": "a term taxonomy, not an event (load it with load_terms)",
}


def import_file(reference_dir, name):
    rejections = []
    files = expand_paths([reference_dir / name])
    summary = events_import(
        items=read_files(files, _progress(), rejections.append), on_rejected=rejections.append
    )
    return summary, rejections


def _progress():
    from events.services.sources import ReadProgress

    return ReadProgress()


def event(udb_id):
    return Event.objects.select_related("event_type", "location", "organizer").get(udb_id=udb_id)


def term_ids(event):
    return sorted(event.term_ids)


@pytest.mark.parametrize("name", sorted(EXPECTED_REJECTIONS))
def test_it_rejects_write_bodies_and_fragments_with_their_reason(reference_dir, name):
    summary, rejections = import_file(reference_dir, name)

    assert summary.rejected == 1
    assert [rejection.reason for rejection in rejections] == [EXPECTED_REJECTIONS[name]]
    assert rejections[0].origin.endswith(name)
    assert not Event.objects.exists()


def test_it_imports_every_read_document_of_the_reference_folder(reference_dir):
    rejections = []
    # The folder's own files: legacy/ and not_events/ hold this project's fixtures.
    files = expand_paths(sorted(reference_dir.glob("*.json")))
    summary = events_import(
        items=read_files(files, _progress(), rejections.append), on_rejected=rejections.append
    )

    rejected = {rejection.origin.rsplit("/", 1)[-1]: rejection.reason for rejection in rejections}
    assert rejected == EXPECTED_REJECTIONS
    json_files = [path for path in files if path.name not in EXPECTED_REJECTIONS]
    assert summary.created + summary.updated + summary.unchanged == len(json_files)
    # Seven distinct events (two ids appear in four fixtures each), a place and an organiser.
    assert Event.objects.count() == 7
    assert summary.created == 9


def test_the_mixed_event_keeps_names_per_language_terms_ages_and_its_online_url(reference_dir):
    import_file(reference_dir, "apidocs_event_read_example_1_single_mixed_full.json")

    mixed = event("85b04295-479c-40f5-b3dd-469dfb4387b3")
    assert mixed.name == {
        "nl": "Nederlandse naam",
        "fr": "Nom français",
        "de": "Deutscher Name",
        "en": "English name",
    }
    assert mixed.name_text == "Nederlandse naam"
    assert mixed.main_language == "nl"
    assert mixed.event_type.label == "Concert"
    assert term_ids(mixed) == ["0.50.4.0.0"]
    assert (mixed.min_age, mixed.max_age, mixed.all_ages) == (6, 12, False)
    assert mixed.attendance_mode == Event.AttendanceMode.MIXED
    assert mixed.online_url == "https://www.publiq.be/livestream"
    assert mixed.location.is_physical
    assert (mixed.location.city, mixed.location.postal_code) == ("Brussel", "1000")
    assert mixed.location.labels == ["label1"]
    assert mixed.organizer.name_text == "Nederlandse tekst"
    assert mixed.organizer.hidden_labels == ["labelA", "labelB"]
    assert (mixed.organizer.street, mixed.organizer.city) == ("Wetstraat 1", "Brussel")
    assert mixed.organizer.latitude == pytest.approx(50.8816177)
    assert mixed.calendar_type == Event.CalendarType.SINGLE
    assert mixed.start == datetime(2021, 5, 17, 22, 0, tzinfo=UTC)
    assert mixed.workflow_status == Event.WorkflowStatus.DRAFT
    assert mixed.status == Event.Status.AVAILABLE
    assert (mixed.labels, mixed.hidden_labels) == (["label1"], ["label2"])
    assert mixed.document["production"]["title"] == "Kommil Foo - OOGST"


def test_the_online_event_is_at_the_nil_location_which_is_not_physical(reference_dir):
    import_file(reference_dir, "apidocs_online_event_nil_location_after_create.json")

    online = event("db8253cb-988b-46b0-b8ce-01f2fe319281")
    assert online.attendance_mode == Event.AttendanceMode.ONLINE
    assert online.location_id == NIL_PLACE_ID
    assert online.location.name_text == "Online"
    assert not online.location.is_physical
    assert online.document["..."] == "..."


def test_all_ages_is_read_from_a_dash(reference_dir):
    import_file(reference_dir, "udb3-search-service_event_all_ages.json")

    punkfest = event("23017cb7-e515-47b4-87c4-780735acc942")
    assert (punkfest.min_age, punkfest.max_age, punkfest.all_ages) == (None, None, True)
    assert punkfest.created == datetime(2017, 4, 22, 11, 33, 37, tzinfo=UTC)


def test_an_upper_age_only_members_and_retired_facilities_are_kept(reference_dir):
    import_file(reference_dir, "udb3-search-service_event_optional_fields_members_facilities.json")

    punkfest = event("23017cb7-e515-47b4-87c4-780735acc942")
    assert (punkfest.min_age, punkfest.max_age, punkfest.all_ages) == (None, 4, False)
    assert punkfest.audience_type == Event.AudienceType.MEMBERS
    assert term_ids(punkfest) == ["0.7.0.0.0", "1.11.0.0.0", "3.15.0.0.0", "3.16.0.0.0"]
    assert [term.id for term in punkfest.facilities] == ["3.15.0.0.0", "3.16.0.0.0"]
    assert not Term.objects.get(id="3.15.0.0.0").in_taxonomy
    assert punkfest.name["fr"] == "Some French name"
    assert punkfest.location.latitude == pytest.approx(50.8876694)


def test_a_legacy_event_with_a_minimum_age_labels_and_legacy_term_domains(reference_dir):
    import_file(reference_dir, "udb3-backend_legacy_event_with_age_range_and_labels.json")

    legacy = event("d1f0e71d-a9a8-4069-81fb-530134502c58")
    assert (legacy.min_age, legacy.max_age, legacy.all_ages) == (5, None, False)
    assert legacy.labels == ["UiTPAS Regio Aalst", "één taalicoon", *legacy.labels[2:]]
    assert legacy.event_type_id == "0.3.1.0.0"
    assert term_ids(legacy) == ["0.3.1.0.0", "1.11.0.0.0", "6.2.0.0.0", "reg.360", "reg.704"]
    region = Term.objects.get(id="reg.704")
    assert (region.unknown, region.domain, region.label_nl) == (
        True,
        "flandersregion",
        "3300 Tienen",
    )
    # Its place has a legacy id that is no RFC 4122 UUID; ids are kept lower-cased.
    assert legacy.location_id == "a871db85-01db-dbd3-daf62cdb2dd7b871"
    assert legacy.location.city == "Tienen"
    assert legacy.calendar_type == Event.CalendarType.MULTIPLE


def test_a_legacy_plain_string_price_name_is_kept_in_the_document(reference_dir):
    import_file(reference_dir, "udb3-backend_legacy_event_with_terms.json")

    legacy = event("d1f0e71d-a9a8-4069-81fb-530134502c58")
    assert legacy.document["priceInfo"][0]["name"] == "Basistarief"
    assert legacy.name == {"nl": "Koran, kaliefen en kruistochten - De fundamenten van de islam"}
    assert legacy.main_language == "nl"
    assert legacy.organizer.name_text == "Davidsfonds Academie"


def test_the_museumpas_exhibition_is_periodic_and_approved(reference_dir):
    import_file(reference_dir, "udb3-backend_legacy_event_museumpas_smak_booking_info.json")

    exhibition = event("caacf59e-29e7-4787-9197-bf3933e86288")
    assert exhibition.calendar_type == Event.CalendarType.PERIODIC
    assert exhibition.workflow_status == Event.WorkflowStatus.APPROVED
    assert exhibition.event_type.label == "Tentoonstelling"
    assert exhibition.organizer.hidden_labels == ["UITPAS", "UiTPAS Gent", "Museumpas"]
    # A legacy organiser address is not per language.
    assert exhibition.organizer.city == "Gent"


def test_a_cancelled_multiple_event_takes_its_status(reference_dir):
    import_file(reference_dir, "udb3-search-service_event_multiple_unavailable_status.json")

    cancelled = event("23017cb7-e515-47b4-87c4-780735acc942")
    assert cancelled.status == Event.Status.CANCELLED
    assert cancelled.calendar_type == Event.CalendarType.MULTIPLE
    assert cancelled.end == datetime(2017, 5, 6, 22, 0, tzinfo=UTC)


def test_an_id_with_a_non_hex_character_is_accepted(reference_dir):
    import_file(reference_dir, "apidocs_event_read_example_2_periodic.json")

    yoga = event("92c04395-579d-51g6-c4ee-570efb5398c4")
    assert yoga.name == {"nl": "Wekelijkse yogales", "en": "Weekly yoga class"}
    # The location is only referred to: a place row exists, without data yet.
    assert Place.objects.filter(id="85b04295-479c-40f5-b3dd-469dfb4387b3").exists()


def test_place_and_organizer_documents_are_imported_as_such(reference_dir):
    summary, _ = import_file(reference_dir, "apidocs_place_read_example.json")
    summary_organizer, _ = import_file(reference_dir, "apidocs_organizer_read_example.json")

    assert (summary.created, summary_organizer.created) == (1, 1)
    assert not Event.objects.exists()
    assert Place.objects.get().document["@id"].endswith(Place.objects.get().id)
    assert Organizer.objects.get().name_text
