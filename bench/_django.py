"""Django set-up for benchmark scripts: run them from the project root on a benchmark database,
e.g. `python scripts/services.py run --durable -- .venv/bin/python bench/<script>.py`."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("benchmarks run on PostgreSQL: use scripts/services.py run --durable -- ...")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import gc

    gc.freeze()  # as publiq_backoffice/wsgi.py does once the application is loaded


def web_environment() -> None:
    """Production-like settings for pages requested through the test client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x9Tq2LmV8sPz" * 5)
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def p95(ordered: list[float]) -> float:
    """The 95th percentile of sorted samples (nearest rank)."""
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def timed_requests(client, url: str, params: dict, repeat: int) -> tuple[list[float], list[int]]:
    """`repeat` GETs of a page through the test client: milliseconds each, and the distinct
    numbers of queries they took. One request more goes first, not counted: it warms the
    plans and the caches (term labels)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], set()
    for _ in range(repeat + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params}: HTTP {response.status_code}")
        queries.add(len(captured.captured_queries))
    return timings[1:], sorted(queries)
