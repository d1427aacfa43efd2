import shutil
import subprocess

import pytest

from tests.support.smtp import free_port


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, so that it can be taken down."""
    port = free_port()
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            import time

            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", process
    process.kill()
    process.wait()


def test_health_is_200_when_database_broker_and_cache_are_up(client, db):
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "broker": True,
        "cache": True,
    }


def test_health_is_503_and_names_the_broker_when_it_goes_down(client, db, settings, own_redis):
    url, process = own_redis
    settings.CELERY_BROKER_URL = url
    assert client.get("/health/").status_code == 200

    process.kill()
    process.wait()
    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_health_needs_no_login_and_is_never_cached(client, db):
    response = client.get("/health/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
