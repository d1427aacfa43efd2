"""Museum isolation, walked from the URL configuration itself: a route added later is covered
without anyone remembering to add it here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from tests.channels.conftest import erik_a, two_partners  # noqa: F401 - fixtures of the channel walk
from tests.dashboards.conftest import B_NUMBERS
from tests.uitpas.conftest import partner_gamma, region  # noqa: F401 (fixtures)

# Namespaces whose every route is museum-facing (pages, exports, API).
MUSEUM_FACING_NAMESPACES = {"dashboards", "dashboards_api"}


def _routes(patterns=None, namespace=None, prefix_kwargs=()):
    """(full url name, kwarg names) of every named route in the URL configuration."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        kwargs = (*prefix_kwargs, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace and namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _routes(pattern.url_patterns, inner, kwargs)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), kwargs


def museum_facing_routes() -> list[tuple[str, tuple[str, ...]]]:
    """Every route taking a museum id anywhere, and every route of the dashboards' namespaces."""
    return sorted(
        {
            (name, kwargs)
            for name, kwargs in _routes()
            if "museum_id" in kwargs or name.split(":")[0] in MUSEUM_FACING_NAMESPACES
        }
    )


def test_the_walk_finds_the_dashboard_page_its_exports_and_the_api():
    names = {name for name, _kwargs in museum_facing_routes()}
    assert {
        "dashboards:museum",
        "dashboards:museum-csv",
        "dashboards_api:museum-dashboard",
    } <= names


def _urls(route, kwargs, museum, table_slugs):
    """Every URL of a route for this museum: one per table for export routes."""
    samples = {"museum_id": [museum.pk], "table": table_slugs}
    return [reverse(route, kwargs=combo) for combo in _combinations(route, kwargs, samples)]


def _combinations(route, kwargs, samples) -> list[dict]:
    """Every combination of the sample values of a route's arguments."""
    unknown = set(kwargs) - set(samples)
    assert not unknown, f"{route}: give the isolation test sample values for {unknown}"
    combinations = [{}]
    for name in kwargs:
        combinations = [{**combo, name: value} for combo in combinations for value in samples[name]]
    return combinations


def _assert_no_figure_of_b(response, url):
    body = response.content.decode(errors="replace")
    for number in B_NUMBERS:
        assert number not in body, f"{url} shows {number}, one of museum B's figures"


@pytest.mark.django_db
def test_every_museum_facing_route_answers_404_to_a_user_of_another_museum(
    client, charlie_a, dora_b, two_museums
):
    _museum_a, museum_b = two_museums
    # The table slugs come from museum B's own dashboard, as its user sees it.
    client.force_login(dora_b)
    own = client.get(reverse("dashboards_api:museum-dashboard", args=[museum_b.pk]))
    table_slugs = list(own.json()["tables"])
    assert "comments" in table_slugs and "ratings" in table_slugs
    # The numbers searched for are really on B's own pages: the check below can fail.
    assert str(own.json()["tables"]["key-figures"]["rows"][0]["values"][0]) == B_NUMBERS[0]

    client.force_login(charlie_a)
    token = Token.objects.create(user=charlie_a)
    checked = 0
    for route, kwargs in museum_facing_routes():
        if "museum_id" not in kwargs:
            continue
        for url in _urls(route, kwargs, museum_b, table_slugs):
            response = client.get(url, {"from": "2026-01", "to": "2026-12", "period": "custom"})
            assert response.status_code == 404, f"{url}: {response.status_code}"
            _assert_no_figure_of_b(response, url)
            if url.startswith("/api/"):
                by_token = client.generic(
                    "GET", url, HTTP_AUTHORIZATION=f"Token {token.key}", secure=False
                )
                assert by_token.status_code == 404, f"{url} (token): {by_token.status_code}"
            checked += 1
    assert checked >= len(table_slugs) + 2


@pytest.mark.django_db
def test_a_museum_users_other_dashboard_routes_show_nothing_of_another_museum(
    client, charlie_a, two_museums
):
    museum_a, _museum_b = two_museums
    client.force_login(charlie_a)
    for route, kwargs in museum_facing_routes():
        samples = _urls(route, kwargs, museum_a, ["key-figures", "visits", "comments"])
        for url in samples:
            response = client.get(url, {"from": "2026-03", "period": "month"}, follow=True)
            assert response.status_code in (200, 403), f"{url}: {response.status_code}"
            _assert_no_figure_of_b(response, url)


@pytest.mark.django_db
def test_museum_b_s_user_does_see_those_figures_on_their_own_dashboard(client, dora_b, two_museums):
    _museum_a, museum_b = two_museums
    client.force_login(dora_b)
    body = client.get(reverse("dashboards:museum", args=[museum_b.pk]), {"from": "2026-03"})
    assert all(number in body.content.decode() for number in ("2917", "619", "283", "173"))


# UiTPAS: every route taking a municipality or a card system answers 404 to a partner of
# another card system (pages, exports, API), walked from the URL configuration too.
UITPAS_KWARGS = {"nis_code", "card_system_id"}


@pytest.mark.django_db
def test_every_uitpas_route_answers_404_for_another_card_systems_municipality(
    client,
    region,  # noqa: F811 (the fixture imported above)
    partner_gamma,  # noqa: F811
):
    routes = [(name, kwargs) for name, kwargs in _routes() if UITPAS_KWARGS & set(kwargs)]
    assert {name for name, _kwargs in routes} >= {
        "uitpas:municipality",
        "uitpas:card-system",
        "uitpas:municipality-profiles",
        "uitpas:municipality-cohorts",
        "uitpas_api:municipality-ratios",
        "uitpas_api:card-system-ratios",
        "uitpas_api:municipality-profiles",
        "uitpas_api:municipality-cohorts",
    }
    client.force_login(partner_gamma)
    samples = {"nis_code": "11001", "card_system_id": 7}
    exports = ("", "ratios", "counts", "trend", "municipalities", "profiles", "cohorts")
    for route, kwargs in routes:
        url = reverse(route, kwargs={name: samples[name] for name in kwargs})
        for export in exports:
            response = client.get(url, {"export": export} if export else {})
            assert response.status_code == 404, f"{url} ?export={export}: {response.status_code}"
            assert "Alfa" not in response.content.decode()
        own = reverse(
            route,
            kwargs={name: {"nis_code": "22001", "card_system_id": 8}[name] for name in kwargs},
        )
        expected = 404 if "card_system_id" in kwargs else 200  # a municipality partner only
        assert client.get(own).status_code == expected, own


@pytest.mark.django_db
def test_every_channel_route_answers_404_to_a_user_of_another_partner(client, request):
    """Every route taking a channel id, walked from the URL configuration, as partner A's user
    asking for partner B's channel."""
    from tests.channels.conftest import B_NUMBERS as CHANNEL_B_NUMBERS

    _own, other = request.getfixturevalue("two_partners")
    erik = request.getfixturevalue("erik_a")
    client.force_login(erik)
    token = Token.objects.create(user=erik)
    checked = 0
    for route, kwargs in _routes():
        if "channel_id" not in kwargs:
            continue
        samples = {"channel_id": [other.pk], "table": ["trend", "pages"]}
        for combo in _combinations(route, kwargs, samples):
            url = reverse(route, kwargs=combo)
            response = client.get(url, {"from": "2026-01", "to": "2026-12"})
            assert response.status_code == 404, f"{url}: {response.status_code}"
            body = response.content.decode(errors="replace")
            assert not any(number in body for number in CHANNEL_B_NUMBERS), url
            if url.startswith("/api/"):
                by_token = client.generic("GET", url, HTTP_AUTHORIZATION=f"Token {token.key}")
                assert by_token.status_code == 404, f"{url} (token)"
            checked += 1
    assert checked >= 4  # the page, its two exports, the API
