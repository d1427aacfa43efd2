"""`import_events --url`: Search API v3 pages from a real HTTP server on loopback."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from events.models import Event
from events.services import search_api
from events.services.search_api import SearchApiClient, read_search_api
from events.services.sources import InputError
from tests.events.factories import EventDocumentFactory
from tests.events.test_command_import_events import last_line, run

pytestmark = pytest.mark.django_db


class SearchApi:
    """Serves `documents` as Search API pages; `failures` lists answers to give first."""

    def __init__(self, documents):
        self.documents = documents
        self.failures: list = []  # HTTP statuses, "slow" or "not json", used up in order
        self.requests: list[dict] = []
        self.delay = 0.0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                api.handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/events/"

    def handle(self, request):
        query = {key: values[0] for key, values in parse_qs(urlsplit(request.path).query).items()}
        self.requests.append({"query": query, "headers": dict(request.headers)})
        failure = self.failures.pop(0) if self.failures else None
        if failure == "slow":
            time.sleep(1.0)
        if isinstance(failure, int):
            self._answer(request, failure, b'{"title": "failure"}')
            return
        if failure == "not json":
            self._answer(request, 200, b"<html>maintenance</html>")
            return
        start, limit = int(query.get("start", 0)), int(query.get("limit", 30))
        page = {
            "@context": "http://www.w3.org/ns/hydra/context.jsonld",
            "@type": "PagedCollection",
            "itemsPerPage": limit,
            "totalItems": len(self.documents),
            "member": self.documents[start : start + limit],
        }
        self._answer(request, 200, json.dumps(page).encode())

    def _answer(self, request, status, body):
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/ld+json")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def search_api_server():
    with SearchApi(EventDocumentFactory.create_batch(5)) as api:
        yield api


def test_it_follows_every_page_with_the_key_in_a_header(search_api_server, settings):
    settings.UITDATABANK_API_KEY = "secret-api-key"

    status, out, _ = run("--url", search_api_server.url + "?q=gent&limit=2")

    assert (status, last_line(out)) == (
        0,
        "created 5, updated 0, unchanged 0, rejected 0, findings 0",
    )
    assert [request["query"]["start"] for request in search_api_server.requests] == ["0", "2", "4"]
    assert all(request["query"]["embed"] == "true" for request in search_api_server.requests)
    assert all(request["query"]["q"] == "gent" for request in search_api_server.requests)
    assert all(
        request["headers"]["X-Api-Key"] == "secret-api-key"
        for request in search_api_server.requests
    )
    assert Event.objects.count() == 5


def test_a_client_id_goes_in_its_own_header(search_api_server, settings):
    settings.UITDATABANK_CLIENT_ID = "client-id-123"

    run("--url", search_api_server.url)

    assert search_api_server.requests[0]["headers"]["X-Client-Id"] == "client-id-123"
    assert "X-Api-Key" not in search_api_server.requests[0]["headers"]


def test_server_errors_and_rate_limits_are_retried(search_api_server):
    search_api_server.failures = [503, 429]
    client = SearchApiClient(retries=3, backoff=0.01)

    documents = list(read_search_api(search_api_server.url + "?limit=5", client))

    assert len(documents) == 5
    assert len(search_api_server.requests) == 3


def test_a_timeout_is_retried(search_api_server):
    search_api_server.failures = ["slow"]
    client = SearchApiClient(timeout=0.3, retries=1, backoff=0.01)

    documents = list(read_search_api(search_api_server.url + "?limit=5", client))

    assert len(documents) == 5


def test_a_source_that_keeps_failing_exits_2_after_the_pages_already_read(search_api_server):
    search_api_server.failures = [None, 503, 503, 503, 503]

    status, out, err = run("--url", search_api_server.url + "?limit=2", "--retries", "0")

    assert status == 2
    assert "HTTP 503" in err
    assert last_line(out) == "created 2, updated 0, unchanged 0, rejected 0, findings 0"


def test_an_unauthorised_answer_is_not_retried(search_api_server):
    search_api_server.failures = [401]

    status, _, err = run("--url", search_api_server.url)

    assert status == 2
    assert "HTTP 401 Unauthorized" in err
    assert len(search_api_server.requests) == 1


def test_an_answer_that_is_not_json_is_reported(search_api_server):
    search_api_server.failures = ["not json"]

    with pytest.raises(InputError, match="the answer is not JSON"):
        list(read_search_api(search_api_server.url, SearchApiClient(retries=0)))


def test_credentials_in_the_url_stay_out_of_messages(search_api_server):
    search_api_server.failures = [401]

    _, _, err = run("--url", search_api_server.url + "?apiKey=leaked-key&q=x")

    assert "leaked-key" not in err


def test_the_result_window_of_the_search_api_is_reported_when_it_cuts_a_result(
    search_api_server, monkeypatch
):
    monkeypatch.setattr(search_api, "MAX_START", 4)

    status, out, err = run("--url", search_api_server.url + "?limit=2")

    assert status == 2
    assert "1 of 5 were not fetched: narrow the query" in err
    assert last_line(out) == "created 4, updated 0, unchanged 0, rejected 0, findings 0"
