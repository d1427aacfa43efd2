"""Reading one JSON-LD document: what becomes a column, and the reason when it cannot."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from events.services.documents import (
    DocumentError,
    event_record,
    identify,
    parse_date,
    parse_reference,
    plain_text,
)
from tests.events.factories import EventDocumentFactory


@pytest.mark.parametrize(
    ("age_range", "expected"),
    [
        ("6-12", (6, 12, False)),
        ("-12", (None, 12, False)),
        ("-4", (None, 4, False)),
        ("5-", (5, None, False)),
        ("18-", (18, None, False)),
        ("-", (None, None, True)),
        ("0-", (0, None, True)),
        ("0-12", (0, 12, False)),
        (None, (None, None, False)),
    ],
)
def test_it_reads_every_form_of_typical_age_range(age_range, expected):
    record = event_record(EventDocumentFactory(typicalAgeRange=age_range), "id")

    assert (record.min_age, record.max_age, record.all_ages) == expected


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"name": 5}, "name is not text"),
        ({"name": {"nl": ["Concert"]}}, "name is not text"),
        ({"name": {"nl": " "}}, "no name"),
        ({"name": None}, "no name"),
        ({"startDate": "morgen"}, "startDate is not a date: 'morgen'"),
        ({"startDate": "500 BC"}, "startDate is not a date: '500 BC'"),
        (
            {"subEvent": [{"startDate": "gisteren"}], "startDate": None},
            "subEvent[0].startDate is not a date: 'gisteren'",
        ),
    ],
)
def test_it_rejects_a_document_that_is_no_event_with_the_reason(changes, reason):
    with pytest.raises(DocumentError) as error:
        event_record(EventDocumentFactory(**changes), "id")

    assert str(error.value) == reason


PLACE_URL = "https://io.uitdatabank.be/places/0b3c2f1e-aaaa"


@pytest.mark.parametrize(
    ("changes", "findings"),
    [
        ({"typicalAgeRange": "abc"}, [("age_range", "typicalAgeRange", "abc")]),
        ({"typicalAgeRange": "12-6"}, [("age_range", "typicalAgeRange", "12-6")]),
        ({"modified": 20260101}, [("invalid_value", "modified", 20260101)]),
        ({"created": "gisteren"}, [("invalid_value", "created", "gisteren")]),
        ({"terms": "0.50.4.0.0"}, [("invalid_value", "terms", "0.50.4.0.0")]),
        (
            {"terms": [{"label": "Concert"}, {"id": "0.50.4.0.0", "domain": "eventtype"}]},
            [("invalid_value", "terms[0]", {"label": "Concert"})],
        ),
        ({"attendanceMode": "hybrid"}, [("invalid_value", "attendanceMode", "hybrid")]),
        ({"calendarType": "daily"}, [("invalid_value", "calendarType", "daily")]),
        ({"calendarType": ["single"]}, [("invalid_value", "calendarType", ["single"])]),
        ({"status": {"type": "Gone"}}, [("invalid_value", "status.type", "Gone")]),
        ({"status": {"type": {}}}, [("invalid_value", "status.type", {})]),
        ({"labels": "UiTPAS"}, [("invalid_value", "labels", "UiTPAS")]),
        ({"labels": ["UiTPAS", 3]}, [("invalid_value", "labels", ["UiTPAS", 3])]),
        (
            {"onlineUrl": ["https://example.be"]},
            [("invalid_value", "onlineUrl", ["https://example.be"])],
        ),
        ({"mainLanguage": "Nederlands"}, [("invalid_value", "mainLanguage", "Nederlands")]),
        (
            {"name": {"nl": "Concert", "fr": ["Concert"]}},
            [("invalid_value", "name.fr", ["Concert"])],
        ),
        ({"name": {"nl": "<b>Concert</b> in de tuin"}}, [("html_in_text", "name", None)]),
        ({"audience": "everyone"}, [("invalid_value", "audience", "everyone")]),
        (
            {"location": {"@id": PLACE_URL, "geo": "x"}},
            [("invalid_value", "location.geo", "x")],
        ),
        (
            {"location": {"@id": PLACE_URL, "geo": {"latitude": "50.8", "longitude": "4.9"}}},
            [("number_as_text", "location.geo", {"latitude": "50.8", "longitude": "4.9"})],
        ),
    ],
)
def test_it_imports_a_document_with_a_fixable_defect_and_records_a_finding(changes, findings):
    record = event_record(EventDocumentFactory(**changes), "id")

    assert [
        (finding.kind, finding.field, None if finding.kind == "html_in_text" else finding.value)
        for finding in record.findings
    ] == findings


@pytest.mark.parametrize(
    "location",
    [
        {"@id": None, "name": {"nl": "Zaal"}, "address": {"nl": {"addressLocality": "Gent"}}},
        {"name": {"nl": "Zaal"}},
        {"@id": "https://io.uitdatabank.be/organizers/5cf42d51-3a4f-46f0"},
        {"@id": "%{baseUrl}/places/%{placeId}"},
    ],
)
def test_a_location_without_a_usable_id_is_linked_to_no_place_with_a_finding(location):
    record = event_record(EventDocumentFactory(location=location), "id")

    assert record.location is None
    assert [(f.kind, f.field, f.value) for f in record.findings] == [
        ("unlinked", "location", location)
    ]


def test_coordinates_written_as_text_are_read_as_numbers():
    location = {"@id": PLACE_URL, "geo": {"latitude": "50.804739", "longitude": "4.936491"}}

    record = event_record(EventDocumentFactory(location=location), "id")

    assert (record.location.latitude, record.location.longitude) == (50.804739, 4.936491)


def test_an_unreadable_age_range_imports_without_an_age():
    record = event_record(EventDocumentFactory(typicalAgeRange="abc"), "id")

    assert (record.min_age, record.max_age, record.all_ages) == (None, None, False)


def test_html_in_the_name_is_taken_out_of_the_name_text():
    record = event_record(EventDocumentFactory(name={"nl": "<b>Concert</b> in de tuin"}), "id")

    assert record.name_text == "Concert in de tuin"


def test_the_taxonomy_decides_a_terms_domain_not_the_document():
    # 1.8.1.0.0 is the theme "Klassieke muziek", filed by the document as an event type.
    terms = [
        {"id": "0.50.4.0.0", "domain": "eventtype"},
        {"id": "1.8.1.0.0", "label": "Klassieke muziek", "domain": "eventtype"},
    ]

    record = event_record(EventDocumentFactory(terms=terms), "id")

    assert record.event_type_id == "0.50.4.0.0"
    assert [(f.kind, f.field, f.value) for f in record.findings] == [
        ("wrong_domain", "terms[1]", terms[1])
    ]


def test_of_two_event_types_the_first_the_taxonomy_knows_is_kept():
    terms = [
        {"id": "9.9.9.9.9", "label": "Nieuw", "domain": "eventtype"},
        {"id": "0.50.4.0.0", "label": "Concert", "domain": "eventtype"},
        {"id": "0.55.0.0.0", "label": "Theatervoorstelling", "domain": "eventtype"},
    ]

    record = event_record(EventDocumentFactory(terms=terms), "id")

    assert record.event_type_id == "0.50.4.0.0"
    assert [(f.kind, f.field) for f in record.findings] == [
        ("unknown_term", "terms[0]"),
        ("extra_event_type", "terms[0]"),
        ("extra_event_type", "terms[2]"),
    ]


def test_an_unknown_term_of_a_legacy_domain_is_no_finding():
    terms = [
        {"id": "0.50.4.0.0", "label": "Concert", "domain": "eventtype"},
        {"id": "reg.704", "label": "3300 Tienen", "domain": "flandersregion"},
    ]

    record = event_record(EventDocumentFactory(terms=terms), "id")

    assert [term.id for term in record.terms] == ["0.50.4.0.0", "reg.704"]
    assert record.findings == []


def test_a_current_document_has_no_findings():
    assert event_record(EventDocumentFactory(), "id").findings == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "https://io.uitdatabank.be/events/85B04295-479C-40F5-B3DD-469DFB4387B3",
            ("event", "85b04295-479c-40f5-b3dd-469dfb4387b3"),
        ),
        (
            "http://culudb-silex.dev:8080/event/d1f0e71d-a9a8-4069-81fb-530134502c58",
            ("event", "d1f0e71d-a9a8-4069-81fb-530134502c58"),
        ),
        (
            "http://culudb-silex.dev:8080/place/A871DB85-01DB-DBD3-DAF62CDB2DD7B871",
            ("place", "a871db85-01db-dbd3-daf62cdb2dd7b871"),
        ),
        (
            "https://io-test.uitdatabank.be/organizers/5cf42d51-3a4f-46f0-a8af-1cf672be8c84",
            ("organizer", "5cf42d51-3a4f-46f0-a8af-1cf672be8c84"),
        ),
        ("23017cb7-e515-47b4-87c4-780735acc942", ("event", "23017cb7-e515-47b4-87c4-780735acc942")),
    ],
)
def test_it_takes_the_id_from_the_at_id_url(value, expected):
    assert parse_reference(value, "@id") == expected


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"name": {"nl": "Zonder id"}}, "no @id"),
        ([{"@id": "x"}], "not a JSON object but an array"),
        ({"@id": 12}, "@id is not text"),
        (
            {"@id": "https://io.uitdatabank.be/productions/10ce7cb1-7bc9-4ce4"},
            "@id 'https://io.uitdatabank.be/productions/10ce7cb1-7bc9-4ce4' is not an event, "
            "place or organiser URL",
        ),
        (
            {"terms": [{"id": "0.50.4.0.0"}]},
            "a term taxonomy, not an event (load it with load_terms)",
        ),
    ],
)
def test_it_refuses_a_document_it_cannot_identify(document, reason):
    with pytest.raises(DocumentError) as error:
        identify(document)

    assert str(error.value) == reason


def test_a_legacy_plain_string_name_and_html_description_are_text_in_the_main_language():
    record = event_record(
        EventDocumentFactory(
            name="Koran, kaliefen en kruistochten",
            description="<p>De islam is <strong>niet</strong> meer weg te denken.</p>"
            "<p>Een lezing &amp; gesprek.</p>",
            mainLanguage=None,
        ),
        "id",
    )

    assert record.name == {"nl": "Koran, kaliefen en kruistochten"}
    assert record.main_language == "nl"
    assert record.description_text == (
        "De islam is niet meer weg te denken.\nEen lezing & gesprek."
    )


def test_the_main_language_name_comes_first_and_falls_back_to_another_language():
    record = event_record(EventDocumentFactory(mainLanguage="fr", name={"nl": "Naam"}), "id")

    assert record.name_text == "Naam"


def test_the_dates_of_a_multiple_event_without_top_level_dates_come_from_its_sub_events():
    record = event_record(
        EventDocumentFactory(
            calendarType="multiple",
            startDate=None,
            endDate=None,
            subEvent=[
                {"startDate": "2026-05-02T10:00:00+02:00", "endDate": "2026-05-02T12:00:00+02:00"},
                {"startDate": "2026-05-01T10:00:00+02:00", "endDate": "2026-05-01T12:00:00+02:00"},
            ],
        ),
        "id",
    )

    assert record.start.isoformat() == "2026-05-01T10:00:00+02:00"
    assert record.end.isoformat() == "2026-05-02T12:00:00+02:00"


def test_a_date_without_an_offset_is_taken_in_brussels_time(settings):
    moment = parse_date("2026-07-01T20:00:00", "startDate")

    assert moment == datetime(2026, 7, 1, 20, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def test_a_missing_status_audience_and_attendance_mode_take_uitdatabanks_defaults():
    record = event_record(
        EventDocumentFactory(status=None, audience=None, attendanceMode=None), "id"
    )

    assert (record.status, record.audience_type, record.attendance_mode) == (
        "Available",
        "everyone",
        "offline",
    )


def test_plain_text_leaves_text_without_html_alone():
    assert plain_text("  Jong <en> oud  ") == "Jong oud"
    assert plain_text("Gewoon tekst ") == "Gewoon tekst"
