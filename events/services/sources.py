"""Where documents come from: files and directories in any of the shapes UiTdatabank hands out.

A file holds one JSON-LD document, a JSON array of them, a Search API page
(`{"member": [...]}`) or JSON Lines; any of these may be gzipped. A page is recognised in every
shape, also on one line (as the API serves it) and as JSON Lines of pages. Each document comes
out as an Item that says where it was (file and line or index), so a rejection can point at it.
Large files are streamed: JSON Lines line by line, arrays and pages through ijson.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import ijson
import orjson

# Files in a directory that are read; any other file there (CSV, Markdown, ...) is left alone.
SUFFIXES = (".json", ".jsonld", ".jsonl", ".ndjson")
LINE_SUFFIXES = (".jsonl", ".ndjson")
# Below this size a JSON file is parsed whole, which is faster and locates errors by line.
WHOLE_FILE_LIMIT = 32 * 1024 * 1024
_WHITESPACE = b" \t\r\n"


class InputError(Exception):
    """An input that cannot be read (at all, or from some point on)."""


@dataclass
class Item:
    """One document as found in an input, parsed or not yet (JSON Lines keep their bytes)."""

    origin: str
    position: str
    raw: bytes | None = None
    data: object = None
    error: str | None = None


@dataclass
class ReadProgress:
    """Bytes of the current inputs read so far, for the progress line."""

    total_bytes: int = 0
    done_bytes: int = 0
    current_bytes: int = 0
    current: str = ""

    @property
    def read_bytes(self) -> int:
        return self.done_bytes + self.current_bytes


def expand_paths(
    paths: Iterable[str | Path], suffixes: tuple[str, ...] | None = SUFFIXES
) -> list[Path]:
    """Files named, plus the files inside directories named (sorted, recursively) whose name
    ends with one of `suffixes` (before an optional .gz); `None`: every file."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
        if path.is_dir():
            files.extend(
                sorted(
                    candidate
                    for candidate in path.rglob("*")
                    if candidate.is_file()
                    and (
                        suffixes is None
                        or candidate.name.lower().removesuffix(".gz").endswith(suffixes)
                    )
                )
            )
        else:
            files.append(path)
    return files


def read_files(
    files: list[Path], progress: ReadProgress, on_unreadable: Callable[[str], None]
) -> Iterator[Item]:
    """Items of every file in turn; a file that cannot be read is reported and the next follows."""
    progress.total_bytes = sum(map(_size, files))
    for path in files:
        progress.current = str(path)
        progress.current_bytes = 0
        yield from guarded(read_file(path, progress), on_unreadable)
        progress.done_bytes += _size(path)
        progress.current_bytes = 0


def guarded(items: Iterator[Item], on_unreadable: Callable[[str], None]) -> Iterator[Item]:
    """The items of one input until it fails; its failure goes to `on_unreadable`."""
    try:
        yield from items
    except InputError as error:
        on_unreadable(str(error))


def read_file(path: Path, progress: ReadProgress | None = None) -> Iterator[Item]:
    origin = str(path)
    try:
        raw_file = open(path, "rb")  # noqa: SIM115 - closed below, also when the reader stops
    except OSError as error:
        raise InputError(f"{origin}: {error.strerror or error}") from None
    try:
        stream = _decompressed(raw_file)
        yield from _items(stream, raw_file, path, progress or ReadProgress())
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(f"{origin}: cannot be read: {error}") from None
    finally:
        raw_file.close()


def _items(stream, raw_file, path: Path, progress: ReadProgress) -> Iterator[Item]:
    origin = str(path)
    first = _first_byte(stream)
    if first is None:
        return
    name = path.name.lower().removesuffix(".gz")
    first_line = _first_line(stream) if first == b"{" else None
    # JSON Lines, unless the first line alone is not a complete document (pretty-printed JSON).
    if name.endswith(LINE_SUFFIXES) or first_line is not None:
        yield from _lines(stream, raw_file, origin, progress, pages=_is_page(first_line))
    elif first in (b"{", b"["):
        if _size(path) <= WHOLE_FILE_LIMIT and not _is_gzip(raw_file):
            yield from _whole_value(stream, origin)
        else:
            yield from _streamed_value(stream, first, origin)
    else:
        yield Item(origin, "line 1", error=f"not JSON: it starts with {first!r}")


def _lines(stream, raw_file, origin: str, progress: ReadProgress, pages: bool) -> Iterator[Item]:
    """JSON Lines: each line a document, kept as bytes, or a Search API page (one saved as
    served, or pages appended), parsed, whose members come out one by one."""
    for number, line in enumerate(stream, start=1):
        line = line.strip(_WHITESPACE)
        if line and pages:
            yield from _line_value(line, origin, f"line {number}")
        elif line:
            yield Item(origin, f"line {number}", raw=line)
        if pages or number % 4096 == 0:
            progress.current_bytes = raw_file.tell()


def _line_value(line: bytes, origin: str, position: str) -> Iterator[Item]:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        yield Item(origin, position, error=f"malformed JSON at column {error.colno}: {error.msg}")
        return
    if _is_page(value):
        for index, document in enumerate(value["member"]):
            yield Item(origin, f"{position} member {index}", data=document)
    else:
        yield Item(origin, position, data=value)


def _is_page(value) -> bool:
    """A Search API page (`PagedCollection`), not a document: its members are the documents."""
    return isinstance(value, dict) and isinstance(value.get("member"), list) and "@id" not in value


def _whole_value(stream, origin: str) -> Iterator[Item]:
    try:
        value = orjson.loads(stream.read())
    except orjson.JSONDecodeError as error:
        yield Item(
            origin,
            f"line {error.lineno}",
            error=f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}",
        )
        return
    if isinstance(value, list):
        for index, document in enumerate(value):
            yield Item(origin, f"index {index}", data=document)
    elif _is_page(value):
        for index, document in enumerate(value["member"]):
            yield Item(origin, f"member {index}", data=document)
    else:
        yield Item(origin, "document", data=value)


def _streamed_value(stream, first: bytes, origin: str) -> Iterator[Item]:
    """A large array or page, one document at a time."""
    if first == b"[":
        prefix, label = "item", "index"
    elif _top_level_keys_include(stream, "member"):
        prefix, label = "member.item", "member"
    else:
        prefix, label = "", "document"
    stream.seek(0)
    index = -1
    try:
        for index, document in enumerate(ijson.items(stream, prefix, use_float=True)):
            yield Item(origin, f"{label} {index}" if prefix else "document", data=document)
    except ijson.JSONError as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        where = f"after {label} {index}" if index >= 0 else "before the first document"
        yield Item(origin, f"{label} {index + 1}", error=f"malformed JSON {where}: {message}")


def _top_level_keys_include(stream, wanted: str) -> bool:
    stream.seek(0)
    try:
        return any(parsed == ("", "map_key", wanted) for parsed in ijson.parse(stream))
    except ijson.JSONError:
        return False


def _first_byte(stream) -> bytes | None:
    while True:
        chunk = stream.read(4096)
        if not chunk:
            return None
        stripped = chunk.lstrip(_WHITESPACE)
        if stripped:
            stream.seek(0)
            return stripped[:1]


def _first_line(stream) -> dict | None:
    """The first line as a JSON object, or None. Read once per file: the lines of documents
    are then taken as they are, unparsed."""
    line = stream.readline(WHOLE_FILE_LIMIT).strip(_WHITESPACE)
    stream.seek(0)
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return None


@contextmanager
def opened(path: Path) -> Iterator[io.BufferedIOBase]:
    """A file's bytes, gunzipped when it is gzipped (other imports read their lines from it)."""
    with open(path, "rb") as raw_file:
        yield _decompressed(raw_file)


def _decompressed(raw_file) -> io.BufferedIOBase:
    if _is_gzip(raw_file):
        return io.BufferedReader(gzip.GzipFile(fileobj=raw_file, mode="rb"), 1024 * 1024)
    return raw_file


def _is_gzip(raw_file) -> bool:
    position = raw_file.tell()
    raw_file.seek(0)
    magic = raw_file.read(2)
    raw_file.seek(position)
    return magic == b"\x1f\x8b"


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
