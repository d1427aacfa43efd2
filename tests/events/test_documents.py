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
        ({"typicalAgeRange": "abc"}, "typicalAgeRange 'abc' is not like '6-12'"),
        ({"typicalAgeRange": "12-6"}, "typicalAgeRange '12-6' has its minimum above its maximum"),
        ({"name": 5}, "name is not text"),
        ({"name": {"nl": ["Concert"]}}, "name is not text"),
        ({"name": {"nl": " "}}, "no name"),
        ({"startDate": "morgen"}, "startDate is not a date: 'morgen'"),
        ({"modified": 20260101}, "modified is not a date"),
        ({"terms": "0.50.4.0.0"}, "terms is not a list"),
        ({"terms": [{"label": "Concert"}]}, "terms[0] has no id"),
        (
            {
                "terms": [
                    {"id": "0.50.4.0.0", "domain": "eventtype"},
                    {"id": "0.55.0.0.0", "domain": "eventtype"},
                ]
            },
            "2 eventtype terms (0.50.4.0.0, 0.55.0.0.0); an event has one",
        ),
        (
            {"attendanceMode": "hybrid"},
            "attendanceMode 'hybrid' is not one of mixed, offline, online",
        ),
        (
            {"calendarType": "daily"},
            "calendarType 'daily' is not one of multiple, periodic, permanent, single",
        ),
        (
            {"status": {"type": "Gone"}},
            "status.type 'Gone' is not one of Available, TemporarilyUnavailable, Unavailable",
        ),
        ({"labels": "UiTPAS"}, "labels is not a list of text"),
        ({"onlineUrl": ["https://example.be"]}, "onlineUrl is not text"),
        (
            {"mainLanguage": "Nederlands"},
            "mainLanguage 'Nederlands' is not a language code like 'nl'",
        ),
        (
            {"location": {"@id": "https://io.uitdatabank.be/organizers/5cf42d51-3a4f-46f0"}},
            "location.@id 'https://io.uitdatabank.be/organizers/5cf42d51-3a4f-46f0' is not a place",
        ),
        (
            {"location": {"@id": "%{baseUrl}/places/%{placeId}"}},
            "location.@id '%{baseUrl}/places/%{placeId}' is not a UiTdatabank URL or id",
        ),
        (
            {"location": {"@id": "https://io.uitdatabank.be/places/0b3c2f1e-aaaa", "geo": "x"}},
            "location.geo is not a latitude and longitude",
        ),
        (
            {"subEvent": [{"startDate": "gisteren"}], "startDate": None},
            "subEvent[0].startDate is not a date: 'gisteren'",
        ),
        (
            {"calendarType": ["single"]},
            "calendarType ['single'] is not one of multiple, periodic, permanent, single",
        ),
        (
            {"status": {"type": {}}},
            "status.type {} is not one of Available, TemporarilyUnavailable, Unavailable",
        ),
    ],
)
def test_it_rejects_a_document_with_the_reason(changes, reason):
    with pytest.raises(DocumentError) as error:
        event_record(EventDocumentFactory(**changes), "id")

    assert str(error.value) == reason


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
