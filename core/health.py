"""Liveness of the services the product cannot work without."""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        check()
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=2,
    ) as broker:
        broker.ensure_connection(max_retries=1, timeout=2)
        # A socket connect is not enough for Redis: ask it something.
        if broker.transport_cls in ("redis", "rediss"):
            broker.default_channel.client.ping()


def _cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    cache.delete(key)


def service_status() -> dict[str, dict]:
    return {"database": _timed(_database), "broker": _timed(_broker), "cache": _timed(_cache)}
