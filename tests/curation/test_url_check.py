"""The URL check against a real HTTP server on loopback (allowed by a setting in these tests)."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from curation.models import UrlCheck
from curation.services import url_check as url_check_module
from curation.services.url_check import HostRateLimited, event_url_check, url_check
from tests.events.factories import EventFactory


class Handler(BaseHTTPRequestHandler):
    hosts: list[str] = []

    def log_message(self, *args):
        pass

    def answer(self, status, location=None, body=b""):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def trickle(self):
        """A header every half second, for a minute: each read is quick, the answer never ends."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for number in range(120):
            try:
                self.wfile.write(b"X-Trickle-%d: 1\r\n" % number)
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.5)

    def do_HEAD(self):
        self.route()

    def do_GET(self):
        self.route()

    def route(self):
        Handler.hosts.append(self.headers["Host"])
        path = self.path
        if path == "/ok":
            self.answer(200, body=b"hallo")
        elif path == "/missing":
            self.answer(404)
        elif path == "/loop":
            self.answer(302, "/loop")
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            self.answer(301, f"/chain/{left - 1}") if left else self.answer(200)
        elif path == "/slow":
            time.sleep(3)
            self.answer(200)
        elif path == "/to-private":
            self.answer(302, "http://10.1.2.3/intranet")
        elif path == "/to-metadata":
            self.answer(307, "http://169.254.169.254/latest/meta-data/")
        elif path == "/trickle":
            self.trickle()
        elif path == "/no-head":
            self.answer(405 if self.command == "HEAD" else 200)
        else:
            self.answer(500)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.URL_CHECK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.URL_CHECK_TIMEOUT = 10
    settings.URL_CHECK_MAX_REDIRECTS = 5
    settings.URL_CHECK_PER_HOST = 1000


def test_a_url_that_answers_200_works(server):
    result = url_check(f"{server}/ok")
    assert result.ok and result.status_code == 200
    assert result.final_url == f"{server}/ok" and result.error == ""


def test_a_url_that_answers_404_is_broken(server):
    result = url_check(f"{server}/missing")
    assert not result.ok and result.status_code == 404


def test_head_refused_falls_back_to_get(server):
    result = url_check(f"{server}/no-head")
    assert result.ok and result.status_code == 200


def test_redirects_are_followed_to_the_final_url(server):
    result = url_check(f"{server}/chain/3")
    assert result.ok and result.redirects == 3 and result.final_url == f"{server}/chain/0"


def test_a_redirect_loop_stops_after_five_redirects(server):
    result = url_check(f"{server}/loop")
    assert not result.ok
    assert result.error == "more than 5 redirects" and result.redirects == 5


def test_a_server_that_does_not_answer_in_time_is_broken(server, settings):
    settings.URL_CHECK_TIMEOUT = 1
    started = time.monotonic()
    result = url_check(f"{server}/slow")
    assert time.monotonic() - started < 2.5
    assert not result.ok and result.error == "no answer within 1 s"


def test_a_redirect_to_a_private_address_is_refused(server):
    result = url_check(f"{server}/to-private")
    assert not result.ok
    assert "10.1.2.3, an internal address: refused" in result.error
    assert result.redirects == 1


def test_a_redirect_to_the_cloud_metadata_address_is_refused(server):
    result = url_check(f"{server}/to-metadata")
    assert not result.ok and "169.254.169.254" in result.error


def test_a_host_name_that_resolves_to_loopback_is_refused_when_not_allowed(server, settings):
    settings.URL_CHECK_ALLOWED_NETWORKS = []
    port = server.rsplit(":", 1)[1]
    result = url_check(f"http://localhost:{port}/ok")
    assert not result.ok and result.status_code is None
    assert "localhost resolves to" in result.error and "refused" in result.error


def test_a_loopback_address_is_refused_when_not_allowed(server, settings):
    settings.URL_CHECK_ALLOWED_NETWORKS = []
    result = url_check(f"{server}/ok")
    assert not result.ok and "127.0.0.1, an internal address: refused" in result.error


def test_the_connection_goes_to_the_address_that_was_checked(server, monkeypatch):
    """A name is resolved once and the connection goes to that address (no DNS rebinding)."""
    port = int(server.rsplit(":", 1)[1])
    lookups = []

    def resolve(host, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(url_check_module.socket, "getaddrinfo", resolve)
    Handler.hosts.clear()

    result = url_check(f"http://events.example.be:{port}/ok")

    assert result.ok
    # The name is resolved once; the connection then asks only for the numeric address.
    assert lookups == ["events.example.be", "127.0.0.1"]
    assert Handler.hosts == [f"events.example.be:{port}"]


def test_other_schemes_are_refused():
    result = url_check("file:///etc/passwd")
    assert not result.ok and result.error.startswith("not an http(s) URL")


def test_checks_of_one_host_are_rate_limited(server, settings):
    settings.URL_CHECK_PER_HOST = 2
    url_check(f"{server}/ok")
    url_check(f"{server}/missing")
    with pytest.raises(HostRateLimited):
        url_check(f"{server}/ok")


@pytest.mark.django_db
def test_the_check_of_an_event_is_stored(server):
    event = EventFactory(online_url=f"{server}/chain/1", attendance_mode="online")
    event_url_check(event=event)
    check = UrlCheck.objects.get(event=event)
    assert check.ok and check.status_code == 200 and check.redirects == 1
    assert check.final_url == f"{server}/chain/0"


def test_the_deadline_holds_for_the_whole_check_not_for_each_read(server, settings):
    settings.URL_CHECK_TIMEOUT = 2
    started = time.monotonic()

    result = url_check(f"{server}/trickle")

    assert time.monotonic() - started < 4
    assert (result.ok, result.error) == (False, "no answer within 2 s")


@pytest.mark.parametrize(
    "url", ["http://example.com:99999/", "http://a..b/", "http://[::1/", "http://example.com:0/"]
)
def test_a_malformed_url_is_a_failed_check_with_its_reason(url):
    result = url_check(url)

    assert result.ok is False
    assert result.error.startswith("malformed URL")


@pytest.mark.django_db
def test_a_malformed_url_of_an_event_is_stored_as_a_failed_check():
    event = EventFactory(online_url="http://[::1/")

    check = event_url_check(event=event)

    assert check.ok is False and check.error.startswith("malformed URL")
