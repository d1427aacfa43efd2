"""Pages of a UiTdatabank Search API v3 result, followed with `start`/`limit`.

The key goes in a header (x-api-key, or x-client-id for the newer client ids), never in the
URL we print. Each page is fetched with a timeout and retried on network errors, 429 and 5xx
with a growing pause (honouring Retry-After); a 4xx other than 429 is final.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
from django.conf import settings

from events.services.event_import import ImportSummary, events_import
from events.services.sources import InputError, Item, ReadProgress, guarded

# The Search API serves results up to start=10,000 and at most 2,000 per page.
MAX_START = 10_000
MAX_LIMIT = 2_000
_SECRET_PARAMETERS = {"apikey", "clientid"}
_RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class SearchApiClient:
    api_key: str = ""
    client_id: str = ""
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0

    @classmethod
    def from_settings(cls, *, timeout: float, retries: int) -> SearchApiClient:
        """With UITDATABANK_API_KEY or UITDATABANK_CLIENT_ID."""
        return cls(
            api_key=settings.UITDATABANK_API_KEY,
            client_id=settings.UITDATABANK_CLIENT_ID,
            timeout=timeout,
            retries=max(0, retries),
        )

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/ld+json, application/json", "User-Agent": _USER_AGENT}
        if self.api_key:
            headers["X-Api-Key"] = self.api_key
        if self.client_id:
            headers["X-Client-Id"] = self.client_id
        return headers

    def fetch(self, url: str) -> dict:
        where = public_url(url)
        for attempt in range(self.retries + 1):
            pause = self.backoff * 2**attempt
            try:
                request = urllib.request.Request(url, headers=self.headers())
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                break
            except urllib.error.HTTPError as error:
                if error.code not in _RETRY_STATUSES or attempt == self.retries:
                    raise InputError(f"{where}: HTTP {error.code} {error.reason}") from None
                pause = max(pause, _retry_after(error))
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.retries:
                    reason = getattr(error, "reason", error)
                    raise InputError(f"{where}: {reason}") from None
            time.sleep(pause)
        try:
            page = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise InputError(f"{where}: the answer is not JSON ({error.msg})") from None
        if not isinstance(page, dict) or not isinstance(page.get("member"), list):
            raise InputError(f"{where}: the answer is not a Search API page")
        return page


def read_search_api(
    url: str, client: SearchApiClient, progress: ReadProgress | None = None
) -> Iterator[Item]:
    """Every document of the result, page after page, until the result or the window ends."""
    progress = progress or ReadProgress()
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.setdefault("embed", "true")  # without it a page lists only @id and @type
    start = int(query.get("start", 0) or 0)
    limit = min(int(query.get("limit", 0) or 200), MAX_LIMIT)
    while True:
        query.update(start=str(start), limit=str(limit))
        page_url = urlunsplit(parts._replace(query=urlencode(query)))
        page = client.fetch(page_url)
        members, total = page["member"], page.get("totalItems")
        if isinstance(total, int):
            progress.total_bytes = total
        for index, document in enumerate(members):
            yield Item(public_url(page_url), f"member {index}", data=document)
        start += len(members)
        progress.current_bytes = start
        if not members or (isinstance(total, int) and start >= total):
            return
        if start >= MAX_START:
            left = f"{total - start} of {total}" if isinstance(total, int) else "the rest"
            raise InputError(
                f"{public_url(url)}: the Search API serves 10,000 results of one query; "
                f"{left} were not fetched: narrow the query (for example by modified date)"
            )
        limit = min(limit, MAX_START - start)


def public_url(url: str) -> str:
    """The URL without credentials in its query, for messages and reports."""
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _SECRET_PARAMETERS
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _retry_after(error: urllib.error.HTTPError) -> float:
    try:
        return min(float(error.headers.get("Retry-After", 0)), 60.0)
    except (TypeError, ValueError):
        return 0.0


_USER_AGENT = "publiq-backoffice/1 (import_events)"


def events_import_from_search_api(*, url: str, timeout: float = 30.0, retries: int = 3):
    """Follow a Search API v3 query page by page into the catalogue (the nightly pull)."""
    client = SearchApiClient.from_settings(timeout=timeout, retries=retries)
    summary = ImportSummary()
    items = guarded(read_search_api(url, client, ReadProgress()), summary.unreadable.append)
    return events_import(
        items=items, summary=summary, description="import_events " + public_url(url)
    )
