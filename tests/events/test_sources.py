"""Search API v3 pages as saved from the API: one line, or JSON Lines of pages, any suffix."""

import gzip

import orjson
import pytest

from events.models import Event
from events.services import sources
from tests.events.factories import EventDocumentFactory
from tests.events.test_command_import_events import last_line, run

pytestmark = pytest.mark.django_db


def page(documents) -> dict:
    """A page as the Search API serves it."""
    return {
        "@context": "http://www.w3.org/ns/hydra/context.jsonld",
        "@type": "PagedCollection",
        "itemsPerPage": 30,
        "totalItems": len(documents),
        "member": documents,
    }


@pytest.mark.parametrize("name", ["page.json", "page.jsonld", "page.jsonl", "page.json.gz"])
def test_a_page_saved_on_one_line_imports_its_members(tmp_path, name):
    documents = EventDocumentFactory.create_batch(3)
    content = orjson.dumps(page(documents))
    path = tmp_path / name
    path.write_bytes(gzip.compress(content) if name.endswith(".gz") else content)

    status, out, err = run(path)

    assert (status, err) == (0, "")
    assert last_line(out) == "created 3, updated 0, unchanged 0, rejected 0, findings 0"
    assert Event.objects.count() == 3


def test_pages_appended_one_per_line_import_every_member_with_its_place(tmp_path):
    documents = EventDocumentFactory.create_batch(4)
    documents[3]["@id"] = None  # a member the import refuses, reported by line and member
    lines = [orjson.dumps(page(documents[:2])), orjson.dumps(page(documents[2:]))]
    path = tmp_path / "pages.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    items = list(sources.read_file(path))
    status, out, err = run(path)

    assert [item.position for item in items] == [
        "line 1 member 0",
        "line 1 member 1",
        "line 2 member 0",
        "line 2 member 1",
    ]
    assert status == 1
    assert last_line(out) == "created 3, updated 0, unchanged 0, rejected 1, findings 0"
    assert "pages.jsonl line 2 member 1:" in err


def test_json_lines_of_documents_are_still_kept_as_the_bytes_received(tmp_path):
    documents = EventDocumentFactory.create_batch(2)
    path = tmp_path / "documents.json"
    path.write_bytes(b"".join(orjson.dumps(document) + b"\n" for document in documents))

    items = list(sources.read_file(path))

    assert [item.raw for item in items] == [orjson.dumps(document) for document in documents]
