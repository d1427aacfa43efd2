"""Checking an event's online URL: does it answer, and where does it end up?

HEAD first, GET when HEAD fails, within URL_CHECK_MAX_REDIRECTS and one wall-clock deadline of
URL_CHECK_TIMEOUT for the whole check (connect, TLS, redirects, answers). The URLs come from
organisers, so every host (and each redirect's) must resolve to public addresses only
and the connection goes to the address checked, never to a second resolution (DNS rebinding).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.services import audit_record
from curation.models import UrlCheck
from events.models import Event

_REDIRECTS = {301, 302, 303, 307, 308}
_USER_AGENT = "publiq-backoffice-url-check/1.0 (+https://www.publiq.be)"


class UrlRefused(Exception):
    """The URL may not be fetched: a scheme other than http(s), or an internal address."""


class HostRateLimited(Exception):
    """This host was checked too often in the last minute; try again later."""


def url_check(url: str) -> UrlCheck:
    """Check one URL: the check, not saved (no database access); raises HostRateLimited
    before any request."""
    result = UrlCheck(url=url, ok=False)
    try:
        host = _host_of(url)
    except UrlRefused as error:
        result.error = str(error)
        return result
    _take_host_slot(host)
    started = time.monotonic()
    deadline = started + settings.URL_CHECK_TIMEOUT
    current = url
    try:
        for hop in range(settings.URL_CHECK_MAX_REDIRECTS + 1):
            status, location = _request_with_fallback(current, deadline)
            result.status_code, result.final_url = status, current
            if status not in _REDIRECTS or not location:
                result.ok = status < 400
                break
            if hop == settings.URL_CHECK_MAX_REDIRECTS:
                result.error = f"more than {settings.URL_CHECK_MAX_REDIRECTS} redirects"
                break
            current = urljoin(current, location)
            result.redirects += 1
    except UrlRefused as error:
        result.error = str(error)
    except TimeoutError:
        result.error = f"no answer within {settings.URL_CHECK_TIMEOUT} s"
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        result.error = _describe(error)
    result.milliseconds = int((time.monotonic() - started) * 1000)
    return result


def event_url_check(*, event: Event) -> UrlCheck:
    """Check the event's online URL and store the result (raises HostRateLimited)."""
    check = url_check(event.online_url)
    check.event, check.checked_at, check.error = event, timezone.now(), check.error[:2000]
    with transaction.atomic():
        check.save()
        audit_record(
            actor=None,
            action="event.url_checked",
            target=event,
            new_values={"url": check.url, "ok": check.ok, "status": check.status_code},
        )
    return check


def _take_host_slot(host: str) -> None:
    """At most URL_CHECK_PER_HOST checks of a host in a minute, counted in the shared cache."""
    key = f"curation:url-check:{host.lower()}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=60)
        count = 1
    if count > settings.URL_CHECK_PER_HOST:
        raise HostRateLimited(f"{host} was checked {count - 1} times in the last minute")


def _request_with_fallback(url: str, deadline: float) -> tuple[int, str]:
    """HEAD, then GET when the server refuses HEAD (an error status or a broken answer)."""
    with contextlib.suppress(http.client.HTTPException, ConnectionError):
        status, location = _request("HEAD", url, deadline)
        if status < 400:
            return status, location
    return _request("GET", url, deadline)


def _host_of(url: str) -> str:
    """The URL's host, or UrlRefused for a URL that cannot be fetched as written."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError) as error:
        raise UrlRefused(f"malformed URL: {error}") from None
    if parts.scheme not in ("http", "https") or not host:
        raise UrlRefused(f"not an http(s) URL: {url}")
    if port == 0:
        raise UrlRefused("malformed URL: port 0")
    return host


def _request(method: str, url: str, deadline: float) -> tuple[int, str]:
    host = _host_of(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _checked_address(host, port)
    timeout = deadline - time.monotonic()
    if timeout <= 0:
        raise TimeoutError
    connection = _pinned_connection(parts.scheme, host, port, address, timeout)
    # A socket timeout bounds each read, not the answer: a server that sends a byte now and
    # then would hold the check. At the deadline the socket is shut down under the reader.
    watchdog = threading.Timer(timeout, _shut_down, [connection])
    watchdog.start()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, headers={"User-Agent": _USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        if time.monotonic() >= deadline:  # cut off by the watchdog: the answer is not whole
            raise TimeoutError
        return response.status, response.getheader("Location", "")
    except (OSError, http.client.HTTPException):
        if time.monotonic() >= deadline:
            raise TimeoutError from None
        raise
    finally:
        watchdog.cancel()
        connection.close()  # the body is never read: the status says what we need


def _shut_down(connection) -> None:
    # socket.socket's own shutdown: a TLS socket's would also unwrap it under the reader.
    with contextlib.suppress(OSError, TypeError):
        socket.socket.shutdown(connection.sock, socket.SHUT_RDWR)


def _checked_address(host: str, port: int) -> str:
    """Resolve the host once; every address must be allowed; the first one is used."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise UrlRefused(f"{host} does not resolve: {error.strerror}") from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not _allowed(ipaddress.ip_address(address)):
            raise UrlRefused(f"{host} resolves to {address}, an internal address: refused")
    return addresses[0]


def _allowed(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in ipaddress.ip_network(net) for net in settings.URL_CHECK_ALLOWED_NETWORKS):
        return True
    # A global address is never private, loopback, link-local or unspecified; multicast and
    # (IPv6) reserved ranges can be global.
    return address.is_global and not (address.is_multicast or address.is_reserved)


def _pinned_connection(scheme: str, host: str, port: int, address: str, timeout: float):
    """A connection to `address` that still speaks to `host` (Host header, TLS server name)."""
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect_to_checked_address(_host_and_port, timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    connection._create_connection = connect_to_checked_address
    return connection


def _describe(error: Exception) -> str:
    if isinstance(error, ssl.SSLError):
        return f"TLS error: {error.reason or error}"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return f"{type(error).__name__}: {error}"[:500]
