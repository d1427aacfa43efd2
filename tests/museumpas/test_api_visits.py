import datetime

import pytest
from django.utils import timezone

from museumpas.hooks import visits_stored
from museumpas.models import Visit
from museumpas.services import museum_api_token_issue, museum_api_token_revoke
from tests.museumpas.factories import HolderFactory, MuseumFactory

URL = "/api/museumpas/visits/"


@pytest.fixture
def museum_key(db):
    museum = MuseumFactory()
    token, key = museum_api_token_issue(museum=museum, actor=None)
    return museum, token, key


def post(client, key, body):
    return client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def test_a_museum_records_a_visit_by_passholder_id(client, museum_key):
    museum, _token, key = museum_key
    holder = HolderFactory(external_id="3f1e0d6a-0000-4000-8000-000000000001")
    response = post(client, key, {"passholderId": holder.external_id})
    assert response.status_code == 201
    visit = Visit.objects.get()
    assert (visit.holder, visit.museum) == (holder, museum)
    assert response.json()["id"] == visit.external_id


def test_the_museum_is_the_tokens_never_one_named_in_the_body(client, museum_key):
    museum, _token, key = museum_key
    other = MuseumFactory()
    holder = HolderFactory()
    post(client, key, {"passholderId": holder.external_id, "museum": other.pk})
    assert Visit.objects.get().museum == museum


def test_a_repeated_visit_id_is_recorded_once(client, museum_key):
    _museum, _token, key = museum_key
    holder = HolderFactory()
    body = {"passholderId": holder.external_id, "id": "visit-42"}
    assert post(client, key, body).status_code == 201
    assert post(client, key, body).status_code == 200
    assert Visit.objects.count() == 1


def test_it_refuses_unknown_holders_bad_bodies_and_bad_keys(client, museum_key):
    _museum, token, key = museum_key
    unknown = post(client, key, {"passholderId": "nobody"})
    assert unknown.status_code == 400 and "passholderId" in unknown.json()["detail"]
    assert post(client, key, {"holder": "x"}).status_code == 400
    assert post(client, key, {"passholderId": "x", "visitedAt": "soon"}).status_code == 400
    assert post(client, "wrong-key", {"passholderId": "x"}).status_code == 401
    assert client.post(URL, {"passholderId": "x"}).status_code in (401, 403)
    museum_api_token_revoke(token=token, actor=None)
    assert post(client, key, {"passholderId": "x"}).status_code == 401
    assert Visit.objects.count() == 0


def test_a_staff_session_cannot_post_visits(client, sofie):
    client.force_login(sofie)
    holder = HolderFactory()
    response = client.post(
        URL, {"passholderId": holder.external_id}, content_type="application/json"
    )
    assert response.status_code == 401  # only a museum key authenticates here


def test_only_the_keys_hash_is_stored(museum_key):
    _museum, token, key = museum_key
    token.refresh_from_db()
    assert key not in token.key_hash and token.prefix == key[:8]


def test_a_stored_visit_fires_the_hook_after_commit(
    client, museum_key, django_capture_on_commit_callbacks
):
    museum, _token, key = museum_key
    holder = HolderFactory()
    calls = []
    listener = lambda **payload: calls.append(payload)  # noqa: E731
    visits_stored.register(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post(
                client,
                key,
                {"passholderId": holder.external_id, "visitedAt": "2026-03-01T10:00:00+01:00"},
            )
    finally:
        visits_stored.listeners.remove(listener)
    assert calls == [{"museum_days": {(museum.pk, datetime.date(2026, 3, 1))}}]
    assert timezone.localtime(Visit.objects.get().visited_at).hour == 10


@pytest.mark.parametrize(
    "visited_at",
    [
        "2031-06-01T10:00:00+02:00",
        "1900-06-01T10:00:00+01:00",
        "2017-12-31T23:00:00+01:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
    ],
)
def test_a_visit_dated_outside_the_plausible_range_is_refused(client, museum_key, visited_at):
    _museum, _token, key = museum_key
    holder = HolderFactory()
    response = post(client, key, {"passholderId": holder.external_id, "visitedAt": visited_at})
    assert response.status_code == 400 and "visitedAt" in response.json()
    assert Visit.objects.count() == 0


def test_a_visit_up_to_a_day_ahead_is_accepted(client, museum_key):
    _museum, _token, key = museum_key
    holder = HolderFactory()
    soon = (timezone.now() + datetime.timedelta(hours=20)).isoformat()
    response = post(client, key, {"passholderId": holder.external_id, "visitedAt": soon})
    assert response.status_code == 201


def test_another_museums_visit_id_is_answered_like_an_unknown_one(client, museum_key):
    # An answer that differs would tell museum B which ids exist at museum A.
    _museum, _token, key = museum_key
    other = MuseumFactory()
    _other_token, other_key = museum_api_token_issue(museum=other, actor=None)
    holder = HolderFactory()
    assert (
        post(client, other_key, {"passholderId": holder.external_id, "id": "v-1"}).status_code
        == 201
    )
    theirs = Visit.objects.get()

    foreign = post(client, key, {"passholderId": holder.external_id, "id": "v-1"})
    unknown = post(client, key, {"passholderId": holder.external_id, "id": "v-2"})

    assert (foreign.status_code, unknown.status_code) == (201, 201)
    assert foreign.json().keys() == unknown.json().keys()
    assert foreign.json()["id"] == "v-1" and unknown.json()["id"] == "v-2"
    assert Visit.objects.get(pk=theirs.pk).museum == other
    assert Visit.objects.count() == 3
    assert post(client, key, {"passholderId": holder.external_id, "id": "v-1"}).status_code == 200
