import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from publiq_backoffice.env import Env, cache_config

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k3y-" + "".join(chr(ord("a") + i % 26) + str(i % 10) for i in range(40))


def env(**values):
    return Env(environ=values)


def test_it_reads_booleans_in_their_usual_spellings():
    assert env(DEBUG="yes").boolean("DEBUG") is True
    assert env(DEBUG="Off").boolean("DEBUG") is False
    assert env().boolean("DEBUG", True) is True


def test_it_refuses_a_boolean_it_cannot_read_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a boolean"):
        env(DEBUG="maybe").boolean("DEBUG")


def test_it_refuses_a_missing_required_value():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is required"):
        env().string("SECRET_KEY")


def test_it_checks_whole_numbers_and_their_range():
    assert env(EMAIL_PORT="2525").integer("EMAIL_PORT", minimum=1) == 2525
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='twenty' is not a whole number"):
        env(EMAIL_PORT="twenty").integer("EMAIL_PORT")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT=70000 is above the maximum"):
        env(EMAIL_PORT="70000").integer("EMAIL_PORT", maximum=65535)


def test_it_reads_comma_separated_lists():
    assert env(ALLOWED_HOSTS="a.be, b.be,").string_list("ALLOWED_HOSTS") == ["a.be", "b.be"]


def test_it_refuses_an_origin_without_scheme():
    with pytest.raises(ImproperlyConfigured, match=r"CSRF_TRUSTED_ORIGINS: 'backoffice\.be'"):
        env(CSRF_TRUSTED_ORIGINS="backoffice.be").origin_list("CSRF_TRUSTED_ORIGINS")


def test_it_refuses_an_unknown_time_zone():
    assert env(TIME_ZONE="Europe/Brussels").timezone("TIME_ZONE") == "Europe/Brussels"
    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE='Europe/Gent'"):
        env(TIME_ZONE="Europe/Gent").timezone("TIME_ZONE")


def test_it_reads_database_urls_and_refuses_other_schemes():
    config = env(DATABASE_URL="postgres://u:p@db:5433/backoffice").database("DATABASE_URL", "")
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db",
        5433,
        "backoffice",
    )
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL has scheme 'mysql'"):
        env(DATABASE_URL="mysql://db/x").database("DATABASE_URL", "")


def test_it_refuses_every_database_but_postgresql():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL has scheme 'sqlite'"):
        env(DATABASE_URL="sqlite:////tmp/x.sqlite3").database("DATABASE_URL")


def test_the_cache_is_redis_when_configured_and_a_shared_file_cache_otherwise():
    assert cache_config("redis://127.0.0.1:6379/1", "/tmp/c")["BACKEND"].endswith("RedisCache")
    assert cache_config(None, "/tmp/c")["BACKEND"].endswith("FileBasedCache")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL='memcached://x'"):
        cache_config("memcached://x", "/tmp/c")


def _manage(*args, **environ):
    unset = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_refuses_to_start_with_a_bad_value_and_names_it():
    result = _manage("check", EMAIL_HOST="smtp.example.be", EMAIL_PORT="smtp")
    assert result.returncode != 0
    assert "EMAIL_PORT='smtp' is not a whole number" in result.stderr


def test_production_needs_a_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="backoffice.publiq.be")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_development_uses_the_make_run_cluster_and_production_needs_a_database_url():
    show = "from django.conf import settings as s; print(s.DATABASES['default']['PORT'])"
    result = _manage("shell", "--no-imports", "-c", show, DEV_POSTGRES_PORT="54400")
    assert result.stdout.strip() == "54400", result.stderr
    production = {"DEBUG": "false", "SECRET_KEY": PRODUCTION_KEY}
    result = _manage("check", ALLOWED_HOSTS="backoffice.publiq.be", **production)
    assert result.returncode != 0
    assert "DATABASE_URL is required" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="backoffice.publiq.be",
        DATABASE_URL=os.environ["DATABASE_URL"],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_connections_run_without_jit_compilation(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_web_server_keeps_what_loading_made_out_of_full_garbage_collections():
    import gc
    import importlib

    from publiq_backoffice import wsgi

    gc.unfreeze()
    try:
        importlib.reload(wsgi)  # what a web server process runs once
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
