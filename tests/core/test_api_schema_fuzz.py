"""schemathesis against /api/schema/: every operation, with requests that follow the schema and
requests that break it, as publiq staff (a token) and as a museum (a user's token, and the
museum's API key for the visits API). No answer is a server error.

In-process through the WSGI application, bounded in time: a fixed number of examples per
operation, derandomized so that a run is the same on every machine."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode

from curation.services.queues import task_claim_next
from museumpas.services import museum_api_token_issue
from publiq_backoffice.wsgi import application
from tests.curation.factories import QueueFactory, TaskFactory
from tests.dashboards.factories import SurveyData, member, visits
from tests.events.factories import EventFactory
from tests.museumpas.factories import MuseumFactory
from tests.support.users import make_user

pytestmark = pytest.mark.django_db

EXAMPLES = 40  # per operation and role: about 360 requests a role, some 10 s


@pytest.fixture
def world(charlie):
    museum = MuseumFactory()
    member(charlie, museum)
    visits(museum, 3)
    SurveyData().responses(museum, 6)
    queue = QueueFactory(slug="moderatie")
    task = TaskFactory(queue=queue, event=EventFactory())
    EventFactory.create_batch(3)
    staff = make_user("stafford", "curator", "survey manager", is_staff=True)
    task_claim_next(queue=queue, curator=staff)  # so that decisions reach the form and service
    _token, key = museum_api_token_issue(museum=museum, actor=None)
    return {
        "staff": {"Authorization": f"Token {Token.objects.create(user=staff).key}"},
        "museum": {"Authorization": f"Token {Token.objects.create(user=charlie).key}"},
        "museum key": {"Authorization": f"Bearer {key}"},
        # Known ids next to generated ones, so that requests also reach past the 404.
        "path": {"museum_id": museum.pk, "slug": "moderatie", "task_id": task.pk},
    }


def in_test_transaction(environ, start_response):
    """The WSGI application, keeping the test's connection open as Django's test client does:
    at the end of a request Django closes a connection that is inside a transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def cases(operation, known: dict):
    fixed = {
        name: value
        for name, value in known.items()
        if name in {p.name for p in operation.path_parameters}
    }
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if fixed:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed))
    return st.one_of(strategies)


def server_errors(operation, headers: dict, known: dict) -> list[str]:
    found = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation, known))
    def call(case):
        # Each request on the same data: what one request writes, the next does not see.
        savepoint = transaction.savepoint()
        response = case.call(headers=headers)
        transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            found.append(f"{response.status_code} {case.method} {case.formatted_path} {case}")

    call()
    return found


def headers_for(operation, role: str, world: dict) -> dict:
    bearer = any("museumKey" in scheme for scheme in operation.definition.raw.get("security", []))
    return world["museum key"] if bearer and role == "museum" else world[role]


@pytest.mark.parametrize("role", ["staff", "museum"])
def test_no_request_the_schema_allows_or_breaks_gets_a_server_error(world, role):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", in_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    errors = []
    for operation in operations:
        errors += server_errors(operation, headers_for(operation, role, world), world["path"])
    assert not errors
