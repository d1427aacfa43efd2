"""Fixtures shared by every app's tests: personas, a real SMTP server, a real Celery worker
process and a real browser. The suite runs on PostgreSQL and Redis (`make test` starts both)."""

import os
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import translation

from tests.support.browser import BrowserSession
from tests.support.smtp import SmtpServer
from tests.support.users import make_user
from tests.support.worker import WorkerProcess


def pytest_configure(config):
    database_url = os.environ.get("DATABASE_URL", "")
    if (
        not database_url.startswith(("postgres://", "postgresql://"))
        or "REDIS_URL" not in os.environ
    ):
        raise pytest.UsageError(
            "The tests run on PostgreSQL and Redis. Run `make test`, or start long-lived "
            "servers with `make services-start` and `source var/services/env` before pytest."
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs half a second per login; tests check behaviour, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request with Accept-Language leaves its language active in the thread afterwards.
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and cached figures live in the shared Redis cache: no test sees another's.
    cache.clear()
    yield


# Personas (STYLE.md): curators alice and bob, survey manager sofie, museum users charlie and dora.
@pytest.fixture
def alice(db):
    return make_user("alice", "curator")


@pytest.fixture
def bob(db):
    return make_user("bob", "curator")


@pytest.fixture
def sofie(db):
    return make_user("sofie", "survey manager", is_staff=True)


@pytest.fixture
def charlie(db):
    return make_user("charlie", "museum")


@pytest.fixture
def dora(db):
    return make_user("dora", "museum")


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; `.messages` holds what it received."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Django sends through SMTP to `smtp_server` in this process."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start real `celery worker` processes on the test database and the test Redis broker.

    Call it as `worker = celery_worker_process(extra_env={...})`; `worker.kill()` kills it
    without warning (SIGKILL), `worker.start()` starts a new one.
    """
    workers = []

    def start(extra_env=None, concurrency=2):
        worker = WorkerProcess(log_dir=tmp_path, extra_env=extra_env or {}, concurrency=concurrency)
        worker.flush_broker_if_first = not workers
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture(scope="session")
def browser_session():
    session = BrowserSession()
    yield session
    session.close()


@pytest.fixture
def page(browser_session, live_server):
    """A fresh Chromium page (its own cookies) with `page.base_url` set to the live server."""
    context = browser_session.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_behind(django_db_setup, django_db_blocker):
    """Close every session on the test database before pytest-django drops it.

    Django keeps one connection per thread and context; once Playwright's event loop has run in
    the test thread, a connection opened under it is out of reach of pytest-django's own
    clean-up and would block the DROP DATABASE at the end.
    """
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connections.close_all()


# Real UiTdatabank documents (tests/fixtures/uitdatabank/SOURCES.md says where each is from).
REFERENCE_DIR = Path(__file__).resolve().parent / "fixtures" / "uitdatabank"


@pytest.fixture
def reference_dir():
    assert REFERENCE_DIR.is_dir(), f"the reference documents are missing: {REFERENCE_DIR}"
    return REFERENCE_DIR


@pytest.fixture
def import_documents(db):
    """Import documents given as Python values; returns (summary, rejections)."""

    from events.services.event_import import events_import
    from events.services.sources import Item

    def run(documents, origin="test.json", **options):
        rejections = []
        items = [Item(origin, f"index {index}", data=doc) for index, doc in enumerate(documents)]
        summary = events_import(items=items, on_rejected=rejections.append, **options)
        return summary, rejections

    return run


@pytest.fixture
def admin_client(db, client):
    """An administrator, logged in without a password hash (hashing costs half a second)."""
    from core.models import User

    administrator = User.objects.create(username="ada", is_staff=True, is_superuser=True)
    client.force_login(administrator)
    return client


@pytest.fixture(autouse=True)
def _fresh_term_labels():
    """Term labels are kept in the process for a minute: no test sees another's."""
    from events.selectors import _LOCAL_TERMS

    _LOCAL_TERMS.update(until=0.0, terms=None)


@pytest.fixture
def other_session():
    """Opens a second database session (another import, say), closed after the test."""
    sessions = []

    def open_session():
        settings = connection.settings_dict
        session = psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            host=settings["HOST"],
            port=settings["PORT"],
            password=settings["PASSWORD"] or None,
        )
        sessions.append(session)
        return session

    yield open_session
    for session in sessions:
        session.close()


@pytest.fixture
def on_imported():
    """Connects functions to `events_imported` for one test; each is called with the
    signal's arguments (created_ids, updated_ids, classified)."""
    from events.signals import events_imported

    receivers = []

    def connect(function):
        def receiver(sender, signal, **arguments):
            return function(**arguments)

        events_imported.connect(receiver, weak=False)
        receivers.append(receiver)

    yield connect
    for receiver in receivers:
        events_imported.disconnect(receiver)
