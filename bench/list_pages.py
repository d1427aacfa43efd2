#!/usr/bin/env python
"""List-page benchmark: the admin event list, /api/events/ and the curators' event search
(/curation/events/) over the events in the database.

    flock /tmp/bench.lock .venv/bin/python scripts/services.py run --durable -- bash -c \\
        '.venv/bin/python bench/import_events.py && .venv/bin/python bench/list_pages.py'

Run after bench/import_events.py (1,000,000 events). Each page, with each filter and search of
the admin and the API, is requested `--repeat` times through Django's test client in this
process (no network, no web server): the figures are the application's and the database's
time. Prints p50 and p95 per page, the p95 over all pages and the queries per page.

It runs with production settings (DEBUG off, static files collected), as the pages would be
served; only HTTPS redirects are off, as the test client speaks plain HTTP.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import p95, timed_requests  # noqa: E402 - bench/ is on the path when run as a script

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x9Tq2LmV8sPz" * 5)
OUT = ROOT / "bench" / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)

    from events.models import Event

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE events_event, events_place, events_organizer")
    events = Event.objects.count()
    sample = _sample()
    admin, api, curator = _clients()
    results = {
        "events": events,
        "repeat": args.repeat,
        "debug": settings.DEBUG,
        "admin": {},
        "api": {},
        "search": {},
    }
    for label, params in _admin_pages(sample):
        results["admin"][label] = _measure(admin, "/admin/events/event/", params, args.repeat)
    for label, params in _api_pages(sample):
        results["api"][label] = _measure(api, "/api/events/", params, args.repeat)
    results["api"]["cursor: 20 pages deep"] = _measure_cursor(api, args.repeat)
    results["api"]["detail"] = _measure(api, f"/api/events/{sample['udb_id']}/", {}, args.repeat)
    for label, params in _search_pages(sample):
        results["search"][label] = _measure(curator, "/curation/events/", params, args.repeat)
    _report(results)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "list_pages.json").write_text(json.dumps(results, indent=2))


def _sample() -> dict:
    from events.models import NIL_PLACE_ID, Event

    event = (
        Event.objects.select_related("organizer", "location")
        .filter(organizer__isnull=False, location__isnull=False)
        .exclude(location_id=NIL_PLACE_ID)
        .order_by("?")[0]
    )
    return {
        "udb_id": event.udb_id,
        "name_word": max(event.name_text.split(), key=len),
        "organizer": event.organizer.name_text.split()[0],
        "city": event.location.city,
    }


def _clients():
    from django.contrib.auth.models import Group
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from core.models import User

    administrator, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    curator, _ = User.objects.get_or_create(username="bench-curator")
    curator.groups.add(Group.objects.get(name="curator"))
    token, _ = Token.objects.get_or_create(user=curator)
    admin = Client()
    admin.force_login(administrator)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    search = Client()
    search.force_login(curator)
    return admin, api, search


def _search_pages(sample: dict) -> list[tuple[str, dict]]:
    return [
        ("a word of a name", {"q": sample["name_word"]}),
        ("an organiser", {"q": sample["organizer"]}),
        ("a city (search)", {"q": sample["city"]}),
        ("an id", {"q": sample["udb_id"]}),
        ("city", {"city": sample["city"]}),
        ("name and city", {"q": sample["name_word"], "city": sample["city"]}),
        ("taking place this month", {"starts_from": "2026-12-01", "starts_until": "2026-12-31"}),
        ("in a queue now", {"queue_state": "live"}),
        ("label", {"label": "UiTPAS Gent"}),
        ("a word of a name, page 3", {"q": sample["name_word"], "page": "3"}),
    ]


def _admin_pages(sample: dict) -> list[tuple[str, dict]]:
    return [
        ("first page", {}),
        ("page 100", {"p": "100"}),
        ("event type: concert", {"event_type": "0.50.4.0.0"}),
        ("theme: jazz and blues", {"theme": "1.8.2.0.0"}),
        ("attendance: online", {"attendance_mode": "online"}),
        ("workflow: ready for validation", {"workflow_status": "READY_FOR_VALIDATION"}),
        ("status: cancelled", {"status": "Unavailable"}),
        ("calendar: permanent", {"calendar_type": "permanent"}),
        ("city", {"city": sample["city"]}),
        ("with an online URL", {"has_online_url": "yes"}),
        ("age group: children", {"age_group": "children"}),
        ("search: a word of a name", {"q": sample["name_word"]}),
        ("search: an organiser", {"q": sample["organizer"]}),
        ("search: a city", {"q": sample["city"]}),
        ("search: an id", {"q": sample["udb_id"]}),
        (
            "theme + children + approved",
            {"theme": "1.8.2.0.0", "age_group": "children", "workflow_status": "APPROVED"},
        ),
        ("ordered by start", {"o": "2"}),
    ]


def _api_pages(sample: dict) -> list[tuple[str, dict]]:
    pages = []
    for label, params in _admin_pages(sample):
        if "p" in params or "o" in params:
            continue
        params = dict(params)
        if params.get("has_online_url") == "yes":
            params["has_online_url"] = "true"
        pages.append((label, params))
    return pages


def _measure(client, url: str, params: dict, repeat: int) -> dict:
    timings, queries = timed_requests(client, url, params, repeat)
    return _figures(timings, queries)


def _measure_cursor(client, repeat: int) -> dict:
    """Following `next` 20 times: every page costs the same at any depth."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], set()
    for _ in range(max(1, repeat // 4)):
        url = "/api/events/"
        for _page in range(20):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
            url = response.json()["next"]
    return _figures(timings, queries)


def _figures(timings: list[float], queries: set[int]) -> dict:
    timings = sorted(timings)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95(timings), 1),
        "queries": sorted(queries),
        "samples": timings,
    }


def _report(results: dict) -> None:
    print(f"{results['events']:,} events, {results['repeat']} requests per page")
    for section in ("admin", "api", "search"):
        all_timings = []
        print(f"\n{section}: page, p50 ms, p95 ms, queries")
        for label, figures in results[section].items():
            all_timings += figures["samples"]
            queries = "/".join(map(str, figures["queries"]))
            print(f"  {label:<34} {figures['p50_ms']:>7} {figures['p95_ms']:>7}   {queries}")
        overall = _figures(all_timings, set())
        print(f"  {'all pages':<34} {overall['p50_ms']:>7} {overall['p95_ms']:>7}")
        results[f"{section}_overall_p95_ms"] = overall["p95_ms"]
        results[f"{section}_max_queries"] = max(
            max(figures["queries"]) for figures in results[section].values()
        )
    for section in ("admin", "api", "search"):
        for figures in results[section].values():
            figures.pop("samples")


if __name__ == "__main__":
    main()
