from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from curation.services import event_import
from curation.services.event_import import events_import
from curation.services.sources import Item
from curation.services.writers import OrmEventWriter

# shared/ sits beside the repository, on developers' machines and in CI alike.
REFERENCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference" / "uitdatabank"


@pytest.fixture
def reference_dir():
    assert REFERENCE_DIR.is_dir(), f"the reference documents are missing: {REFERENCE_DIR}"
    return REFERENCE_DIR


@pytest.fixture(params=["copy", "orm"])
def writer(request, monkeypatch):
    """Run a test with each writer: COPY (PostgreSQL) and the ORM one `make run` uses on SQLite."""
    if request.param == "orm":
        monkeypatch.setattr(event_import, "writer_for_connection", OrmEventWriter)
    return request.param


@pytest.fixture
def import_documents(db):
    """Import documents given as Python values; returns (summary, rejections)."""

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
    from curation.selectors import _LOCAL_TERMS

    _LOCAL_TERMS.update(until=0.0, terms=None)


@pytest.fixture(params=["one statement", "orm"])
def claim_path(request, monkeypatch):
    """Run a claiming test through both implementations of claim-next: the one-statement
    SQL that PostgreSQL uses, and the ORM version that SQLite (`make run`) uses."""
    if request.param == "orm":
        monkeypatch.setattr("curation.services.queues._one_statement_claims", lambda: False)
    return request.param


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
