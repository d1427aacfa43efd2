"""The event list in the admin and at /api/events/: the same filters, a fixed number of queries."""

import json

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from events.models import NIL_PLACE_ID, Event
from events.selectors import EstimatedCountPaginator
from tests.events.factories import EventFactory, OrganizerFactory, PlaceFactory

pytestmark = pytest.mark.django_db

ADMIN_LIST = "/admin/events/event/"
API_LIST = "/api/events/"


@pytest.fixture
def catalogue(db):
    """Events that each stand out by one property, named after it."""
    leuven = PlaceFactory(city="Leuven")
    online = PlaceFactory(id=NIL_PLACE_ID, name_text="Online", city="___")
    EventFactory(name_text="Jazzconcert", themes=["1.8.2.0.0"], min_age=None, all_ages=True)
    EventFactory(
        name_text="Theater in Leuven",
        event_type_id="0.55.0.0.0",
        location=leuven,
        min_age=12,
        max_age=16,
    )
    EventFactory(
        name_text="Webinar",
        attendance_mode=Event.AttendanceMode.ONLINE,
        online_url="https://live.example.be/webinar",
        location=online,
        min_age=18,
    )
    EventFactory(
        name_text="Kleuterdans",
        max_age=6,
        workflow_status=Event.WorkflowStatus.READY_FOR_VALIDATION,
        organizer=OrganizerFactory(name_text="Gezinsbond Aalst"),
    )
    EventFactory(
        name_text="Afgelast optreden",
        status=Event.Status.CANCELLED,
        calendar_type=Event.CalendarType.PERMANENT,
        udb_id="0f2c1b7e-5d3a-4e8b-9c1d-2a3b4c5d6e7f",
    )


FILTERS = [
    ({"event_type": "0.55.0.0.0"}, ["Theater in Leuven"]),
    ({"theme": "1.8.2.0.0"}, ["Jazzconcert"]),
    ({"attendance_mode": "online"}, ["Webinar"]),
    ({"workflow_status": "READY_FOR_VALIDATION"}, ["Kleuterdans"]),
    ({"status": "Unavailable"}, ["Afgelast optreden"]),
    ({"calendar_type": "permanent"}, ["Afgelast optreden"]),
    ({"city": "LEUVEN"}, ["Theater in Leuven"]),
    ({"age_group": "children"}, ["Kleuterdans"]),
    ({"age_group": "teenagers"}, ["Theater in Leuven"]),
    ({"age_group": "adults"}, ["Webinar"]),
    ({"age_group": "all_ages"}, ["Jazzconcert"]),
    ({"q": "jazz"}, ["Jazzconcert"]),
    ({"q": "gezinsbond"}, ["Kleuterdans"]),
    ({"q": "leuven theater"}, ["Theater in Leuven"]),
    ({"q": "0F2C1B7E-5D3A-4E8B-9C1D-2A3B4C5D6E7F"}, ["Afgelast optreden"]),
    (
        {"q": "https://io.uitdatabank.be/events/0f2c1b7e-5d3a-4e8b-9c1d-2a3b4c5d6e7f"},
        ["Afgelast optreden"],
    ),
]
ONLINE_URL_FILTER = {"admin": {"has_online_url": "yes"}, "api": {"has_online_url": "true"}}


def admin_names(client, params):
    response = client.get(ADMIN_LIST, params)
    assert response.status_code == 200
    return sorted(event.name_text for event in response.context["cl"].result_list)


def api_names(client, params):
    response = client.get(API_LIST, params)
    assert response.status_code == 200, response.content
    return sorted(event["name"]["nl"] for event in response.json()["results"])


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_the_admin_and_the_api_filter_alike(catalogue, admin_client, params, expected):
    assert admin_names(admin_client, params) == expected
    assert api_names(admin_client, params) == expected


def test_the_online_url_filter_in_both(catalogue, admin_client):
    assert admin_names(admin_client, ONLINE_URL_FILTER["admin"]) == ["Webinar"]
    assert api_names(admin_client, ONLINE_URL_FILTER["api"]) == ["Webinar"]
    assert len(api_names(admin_client, {"has_online_url": "false"})) == 4


@pytest.mark.parametrize("count", [10, 100])
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # Session, user, term choices (cached afterwards), the table's estimate and, as it
        # is below 1,000 rows, an exact count, the page of events.
        ({}, 6),
        # Session, user, term choices, the organisers and places matching the search word,
        # a count that stops at 1,001 rows, the page.
        ({"theme": "1.8.2.0.0", "q": "evenement"}, 6),
        ({"theme": "1.8.2.0.0", "workflow_status": "APPROVED"}, 5),
    ],
)
def test_the_admin_list_takes_the_same_queries_for_10_and_100_events(
    admin_client, django_assert_num_queries, count, params, queries
):
    EventFactory.create_batch(count, themes=["1.8.2.0.0"])
    cache.clear()

    with django_assert_num_queries(queries):
        response = admin_client.get(ADMIN_LIST, params)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == min(count, 25)


@pytest.mark.parametrize("count", [10, 100])
def test_the_api_list_takes_the_same_queries_for_10_and_100_events(
    alice, client, django_assert_num_queries, count
):
    EventFactory.create_batch(count, themes=["1.8.2.0.0"])
    token = Token.objects.create(user=alice)

    # Token with its user, the user's and their groups' permissions, the page, and the
    # term labels (then cached).
    with django_assert_num_queries(5):
        response = client.get(
            API_LIST, {"theme": "1.8.2.0.0"}, HTTP_AUTHORIZATION=f"Token {token.key}"
        )

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count, 50)


def test_the_api_pages_with_a_cursor_through_every_event(alice, client):
    created = {event.udb_id for event in EventFactory.create_batch(7)}
    client.force_login(alice)
    seen, url = [], API_LIST + "?page_size=3"

    while url:
        page = client.get(url).json()
        seen += [event["id"] for event in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(created)


def test_the_api_represents_an_event_with_its_terms_location_and_organiser(
    catalogue, alice, client
):
    client.force_login(alice)
    webinar = Event.objects.get(name_text="Webinar")

    listed = client.get(API_LIST, {"attendance_mode": "online"}).json()["results"][0]
    detail = client.get(f"{API_LIST}{webinar.udb_id.upper()}/").json()

    assert listed["id"] == webinar.udb_id
    assert listed["event_type"] == {"id": "0.50.4.0.0", "label": "Concert"}
    assert listed["location"]["is_physical"] is False
    assert listed["location"]["id"] == NIL_PLACE_ID
    assert listed["online_url"] == "https://live.example.be/webinar"
    assert listed["min_age"] == 18 and listed["max_age"] is None
    assert listed["organizer"]["name"] == webinar.organizer.name_text
    assert set(listed) >= {"main_language", "themes", "workflow_status", "status", "labels"}
    assert detail["document"] == webinar.document
    assert detail["uitdatabank_url"].endswith(f"/events/{webinar.udb_id}/preview")


def test_the_api_answers_404_for_an_unknown_event_and_400_for_a_bad_filter(alice, client):
    client.force_login(alice)

    assert client.get(f"{API_LIST}00000000-aaaa-bbbb-cccc-000000000000/").status_code == 404
    bad = client.get(API_LIST, {"age_group": "babies", "status": "Gone"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"age_group", "status"}
    assert client.get(API_LIST, {"cursor": "not-a-cursor"}).status_code == 404


def test_the_api_is_for_people_who_may_see_events(catalogue, client, charlie):
    assert client.get(API_LIST).status_code == 403
    client.force_login(charlie)
    assert client.get(API_LIST).status_code == 403


def test_the_admin_detail_shows_the_document_as_received_and_links_to_uitdatabank(
    catalogue, admin_client
):
    event = Event.objects.get(name_text="Webinar")

    response = admin_client.get(f"{ADMIN_LIST}{event.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f"https://www.uitdatabank.be/events/{event.udb_id}/preview" in content
    assert '<pre class="curation-document">{\n  &quot;@id&quot;' in content
    assert "geen fysieke locatie (online)" in content  # the interface is Dutch


def test_the_catalogue_is_read_only_in_the_admin(catalogue, admin_client):
    event = Event.objects.first()

    assert admin_client.get(f"{ADMIN_LIST}add/").status_code == 403
    assert admin_client.post(f"{ADMIN_LIST}{event.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"{ADMIN_LIST}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_curator_with_admin_access_sees_the_event_list(catalogue, alice, client):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)

    assert client.get(ADMIN_LIST).status_code == 200


def test_an_unfiltered_list_uses_the_table_estimate_above_the_exact_limit(
    monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("events.selectors._table_estimate", lambda table: 1_234_567)

    with django_assert_num_queries(0):
        assert EstimatedCountPaginator(Event.objects.all(), 50).count == 1_234_567


def _planner_estimate(queryset):
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def test_a_filtered_list_counts_exactly_up_to_the_limit_in_one_query(
    monkeypatch, django_assert_num_queries
):
    EventFactory.create_batch(4, workflow_status=Event.WorkflowStatus.DRAFT)
    EventFactory.create_batch(2)
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_LIMIT", 5)
    drafts = Event.objects.filter(workflow_status=Event.WorkflowStatus.DRAFT)

    with django_assert_num_queries(1):
        assert EstimatedCountPaginator(drafts, 50).count == 4
    assert EstimatedCountPaginator(Event.objects.filter(pk__lt=0), 50).count == 0


def test_past_the_exact_limit_a_filtered_list_shows_no_less_than_it_counted(monkeypatch):
    EventFactory.create_batch(8, workflow_status=Event.WorkflowStatus.DRAFT)
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_LIMIT", 5)
    drafts = Event.objects.filter(workflow_status=Event.WorkflowStatus.DRAFT)

    assert EstimatedCountPaginator(drafts, 50).count == max(6, _planner_estimate(drafts))


def test_a_filtered_list_takes_the_planners_estimate_when_it_is_far_above_the_limit(
    monkeypatch, django_assert_num_queries
):
    EventFactory.create_batch(3, workflow_status=Event.WorkflowStatus.DRAFT)
    drafts = Event.objects.filter(workflow_status=Event.WorkflowStatus.DRAFT)
    estimate = _planner_estimate(drafts)
    assert estimate != 3  # a small table never analysed: the planner guesses
    monkeypatch.setattr(EstimatedCountPaginator, "TRUST_ESTIMATE_FROM", 1)

    with django_assert_num_queries(1):
        assert EstimatedCountPaginator(drafts, 50).count == estimate


def test_a_page_reads_only_its_own_rows_in_the_lists_order():
    events = EventFactory.create_batch(7)
    listed = Event.objects.order_by("-id")
    paginator = EstimatedCountPaginator(listed, 3)

    pages = [[event.pk for event in paginator.page(number).object_list] for number in (1, 2, 3)]

    newest_first = sorted((event.pk for event in events), reverse=True)
    assert pages == [newest_first[:3], newest_first[3:6], newest_first[6:]]
    sql = str(paginator.page(3).object_list.query)
    assert "OFFSET 6" in sql and sql.count("SELECT") == 2  # the ids first, then their rows


def test_the_api_docs_and_schema_are_served_without_a_cdn(admin_client):
    docs = admin_client.get("/api/docs/").content.decode()
    schema = admin_client.get("/api/schema/").content.decode()

    assert "drf_spectacular_sidecar" in docs
    assert "cdn." not in docs
    assert "/api/events/{id}/" in schema


def test_the_admin_filters_keep_each_other(catalogue, admin_client):
    response = admin_client.get(ADMIN_LIST, {"status": "Unavailable", "city": "Gent"})

    content = response.content.decode()
    # The theme drop-down and the city box carry the other filters along as hidden fields.
    assert '<input type="hidden" name="status" value="Unavailable">' in content
    assert '<option value="1.8.2.0.0">Jazz en blues</option>' in content
    assert '<input type="search" name="city" value="Gent"' in content


def test_the_event_list_shows_each_column_and_links_to_the_event(catalogue, admin_client):
    EventFactory(name_text="Zonder plaats", location=None, organizer=None, start=None)
    theater = Event.objects.get(name_text="Theater in Leuven")

    content = admin_client.get(ADMIN_LIST, {"q": "theater"}).content.decode()
    empty = admin_client.get(ADMIN_LIST, {"q": "zonder"}).content.decode()

    assert f"/admin/events/event/{theater.pk}/change/?_changelist_filters=q%3Dtheater" in content
    assert '<td class="field-city">Leuven</td>' in content
    assert '<td class="field-workflow_status">goedgekeurd</td>' in content
    assert '<td class="field-city">-</td>' in empty


def test_the_theme_drop_down_marks_the_chosen_theme(catalogue, admin_client):
    content = admin_client.get(ADMIN_LIST, {"theme": "1.8.2.0.0"}).content.decode()

    assert '<option value="1.8.2.0.0" selected>Jazz en blues</option>' in content
    assert content.count(" selected>") == 1
