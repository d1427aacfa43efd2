"""`import_events PATH...`: every input shape, the report, the summary and the exit status."""

import gzip
import io
import json

import orjson
import pytest
from django.core.management import CommandError, call_command

from events.models import Event
from events.services import sources
from tests.events.factories import EventDocumentFactory

pytestmark = pytest.mark.django_db


def run(*args):
    """(exit status, stdout, stderr) of import_events."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("import_events", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit:
        status = exit.code
    except CommandError as error:  # manage.py prints these and exits with their returncode
        status = error.returncode
        err.write(str(error))
    return status, out.getvalue(), err.getvalue()


def last_line(text):
    return text.strip().splitlines()[-1]


def jsonl(documents):
    return b"".join(orjson.dumps(document) + b"\n" for document in documents)


@pytest.fixture
def documents():
    return EventDocumentFactory.create_batch(3)


SHAPES = {
    "single.json": lambda docs: json.dumps(docs[0], indent=2).encode(),
    "array.json": lambda docs: json.dumps(docs, indent=2).encode(),
    "page.json": lambda docs: json.dumps(
        {"@type": "PagedCollection", "totalItems": 3, "member": docs}, indent=2
    ).encode(),
    "lines.jsonl": jsonl,
    "lines-named.json": jsonl,
}


@pytest.mark.parametrize("name", SHAPES)
@pytest.mark.parametrize("compressed", [False, True])
def test_it_reads_every_shape_plain_or_gzipped(tmp_path, documents, name, compressed):
    content = SHAPES[name](documents)
    path = tmp_path / (name + (".gz" if compressed else ""))
    path.write_bytes(gzip.compress(content) if compressed else content)
    expected = 1 if name == "single.json" else 3

    status, out, _ = run(path)

    assert status == 0
    assert last_line(out) == f"created {expected}, updated 0, unchanged 0, rejected 0, findings 0"
    assert Event.objects.count() == expected


def test_large_arrays_and_pages_are_streamed(tmp_path, documents, monkeypatch):
    monkeypatch.setattr(sources, "WHOLE_FILE_LIMIT", 10)
    (tmp_path / "array.json").write_bytes(json.dumps(documents).encode())
    (tmp_path / "page.json").write_bytes(
        json.dumps({"totalItems": 1, "member": documents[:1], "itemsPerPage": 30}).encode()
    )
    (tmp_path / "broken.json").write_bytes(json.dumps(documents[1:])[:-30].encode())

    status, out, err = run(tmp_path)

    assert status == 1
    assert last_line(out) == "created 3, updated 0, unchanged 2, rejected 1, findings 0"
    assert "broken.json index 1: malformed JSON after index 0" in err


def test_a_directory_is_read_recursively_and_other_files_are_left_alone(tmp_path, documents):
    (tmp_path / "2026" / "06").mkdir(parents=True)
    (tmp_path / "2026" / "06" / "a.jsonl").write_bytes(jsonl(documents[:2]))
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(json.dumps(documents[2]).encode()))
    (tmp_path / "notes.md").write_text("# not events")
    (tmp_path / "terms.csv").write_text("id,label\n")

    status, out, _ = run(tmp_path)

    assert (status, last_line(out)) == (
        0,
        "created 3, updated 0, unchanged 0, rejected 0, findings 0",
    )


def test_malformed_json_lines_are_rejected_by_line_and_the_rest_imported(tmp_path, documents):
    lines = [orjson.dumps(document) for document in documents]
    lines[1:1] = [b"", b'{"@id": broken']
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = tmp_path / "rejected.jsonl"

    status, out, err = run(path, "--report", report)

    assert status == 1
    assert last_line(out) == "created 3, updated 0, unchanged 0, rejected 1, findings 0"
    assert f"rejected {path} line 3: malformed JSON at line 3, column 9" in err
    entry = orjson.loads(report.read_bytes())
    assert entry["source"] == str(path)
    assert entry["position"] == "line 3"
    assert entry["text"] == '{"@id": broken'


def test_malformed_json_in_a_whole_file_says_the_line(tmp_path):
    path = tmp_path / "event.json"
    path.write_text('{\n  "@id": "https://io.uitdatabank.be/events/x",\n  "name": ,\n}\n')

    status, out, err = run(path)

    assert status == 1
    assert "line 3: malformed JSON at line 3, column 11" in err
    assert last_line(out) == "created 0, updated 0, unchanged 0, rejected 1, findings 0"


def test_the_report_holds_each_rejected_document_with_its_place_and_reason(tmp_path, documents):
    bad = EventDocumentFactory(startDate="500 BC")
    path = tmp_path / "events.json"
    path.write_text(json.dumps([documents[0], bad, {"name": "x"}]))
    report = tmp_path / "report.jsonl"

    status, _, _ = run(path, "--report", report)

    entries = [orjson.loads(line) for line in report.read_bytes().splitlines()]
    assert status == 1
    assert [(entry["position"], entry["reason"]) for entry in entries] == [
        ("index 1", "startDate is not a date: '500 BC'"),
        ("index 2", "no @id"),
    ]
    assert entries[0]["document"] == bad
    assert entries[0]["id"] == bad["@id"].rsplit("/", 1)[1]


def test_re_importing_the_same_file_reports_everything_unchanged(tmp_path, documents):
    path = tmp_path / "events.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(documents)))
    run(path)

    status, out, _ = run(path)

    assert (status, last_line(out)) == (
        0,
        "created 0, updated 0, unchanged 3, rejected 0, findings 0",
    )


def test_a_json_lines_document_is_kept_as_the_exact_text_received(tmp_path, documents):
    # Key order, spacing, escapes and numbers as written: PostgreSQL's json type, not jsonb.
    text = orjson.dumps({**documents[0], "typicalAgeRange": "6-12"}).decode()
    text = text.replace('"typicalAgeRange":"6-12"', '"typicalAgeRange" :  "6-12"', 1)
    text = text[:-1] + ',"price":1.50,"tekst":"caf\\u00e9 \\"Zuid\\""}'
    (tmp_path / "events.jsonl").write_text(text + "\n")

    assert run(tmp_path / "events.jsonl")[0] == 0

    event = Event.objects.extra(select={"stored": "document::text"}).get()
    assert event.stored == text
    assert event.document["typicalAgeRange"] == "6-12"
    assert Event.objects.filter(document__has_key="typicalAgeRange").count() == 1
    assert Event.objects.filter(document__contains={"typicalAgeRange": "6-12"}).count() == 1


def test_a_missing_input_stops_before_anything_is_imported(tmp_path, documents):
    good = tmp_path / "events.jsonl"
    good.write_bytes(jsonl(documents))

    status, _, err = run(good, tmp_path / "missing.jsonl")

    assert status == 2
    assert "missing.jsonl: no such file or directory; nothing was imported." in err
    assert not Event.objects.exists()


def test_an_input_that_cannot_be_read_exits_2_and_the_others_are_imported(tmp_path, documents):
    (tmp_path / "a.jsonl").write_bytes(jsonl(documents[:2]))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(jsonl(documents[2:]))[:-12])

    status, out, err = run(tmp_path)

    assert status == 2
    assert "cannot read" in err and "b.jsonl.gz: cannot be read" in err
    assert Event.objects.count() == 2
    assert last_line(out).startswith("created 2,")


def test_a_file_that_is_not_json_is_rejected_with_its_first_character(tmp_path):
    path = tmp_path / "events.json"
    path.write_text("<html>nope</html>")

    status, _, err = run(path)

    assert status == 1
    assert "not JSON: it starts with b'<'" in err


def test_the_reference_folder_imports_the_read_documents_and_then_reports_them_unchanged(
    reference_dir,
):
    # The folder's own files: legacy/ and not_events/ hold this project's fixtures.
    files = sorted(reference_dir.glob("*.json"))
    status, out, err = run(*files)
    again_status, again_out, _ = run(*files)

    assert status == 1
    assert last_line(out) == "created 9, updated 6, unchanged 0, rejected 6, findings 0"
    assert err.count("document: no @id") == 4
    assert again_status == 1
    assert last_line(again_out) == "created 0, updated 0, unchanged 15, rejected 6, findings 0"


def test_it_needs_paths_or_a_url():
    status, _, err = run()

    assert status == 2
    assert "Give files or directories to import, or --url." in err


def test_a_rejected_json_line_with_an_integer_beyond_64_bits_is_reported(tmp_path, documents):
    bad = {**documents[0], "startDate": "500 BC", "capacity": 2**70}
    path = tmp_path / "events.jsonl"
    path.write_bytes(json.dumps(bad).encode() + b"\n" + orjson.dumps(documents[1]) + b"\n")
    report = tmp_path / "report.jsonl"

    status, out, _ = run(path, "--report", report)

    assert (status, last_line(out)) == (
        1,
        "created 1, updated 0, unchanged 0, rejected 1, findings 0",
    )
    entry = orjson.loads(report.read_bytes())
    assert (entry["position"], entry["reason"]) == (
        "line 1",
        "startDate is not a date: '500 BC'",
    )
    assert entry["document"]["capacity"] == float(2**70)
