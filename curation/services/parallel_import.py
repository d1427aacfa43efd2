"""The import in several processes (`import_events --jobs N`), for large files on PostgreSQL.

One import process keeps about one core busy with Python and PostgreSQL another; a first
import of a million events leaves both cores waiting on each other. With N processes each one
reads every input and imports only its share of the documents: the documents whose id (the
first @id of a JSON Lines document, without parsing it) falls in its share by a stable hash.
All versions of one event therefore go through the same process, in input order, so the rules
of a serial import hold (an older version never overwrites a newer one, a re-import changes
nothing). Places, organisers and unknown terms are written by whichever process meets them
first; each batch writes them sorted by id, so two batches waiting on each other's rows cannot
deadlock.

The parent holds the import lock for the whole run, shows the processes' progress as one line,
merges their rejections back into input order and writes the run's one audit row. A process
that fails stops the run with its error; the batches already committed stay (each is whole),
and running the import again completes it.

A JSON Lines document is given to a process by the id found in its text without parsing it
(`raw_event_id`: the event's own @id, which UiTdatabank writes first). A process that parses a
document and finds another id than the one it was given by hands it back: such strays are
imported by the parent after the processes, in input order, so no two processes ever write the
same event. Applied after the versions read in their place, a stray version that a serial
import would have applied and then replaced is found older and counted unchanged instead (and
is missing from the earlier hashes kept); the event ends the same unless two versions share
one `modified` (then the stray, applied last, wins).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson
from django.db import DEFAULT_DB_ALIAS, connections

from curation.services import documents
from curation.services.deferred_indexes import indexes_deferred_if_empty
from curation.services.documents import DocumentError
from curation.services.event_import import (
    BATCH_SIZE,
    ImportSummary,
    Rejection,
    audit_import,
    events_import_unlocked,
    import_lock,
    raw_id_of,
)
from curation.services.sources import Item, ReadProgress

_COUNTS = ("created", "updated", "unchanged", "older", "rejected")
_SLOTS = (*_COUNTS, "read_bytes")
_POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


class ParallelImportFailed(Exception):
    pass


def share_of(item: Item, jobs: int) -> int:
    """Which of `jobs` processes reads this item; items without a readable id go to the first
    (which rejects them, once)."""
    udb_id = None
    if item.raw is not None:
        udb_id = raw_id_of(item)
    elif isinstance(item.data, dict):
        try:
            udb_id = documents.identify(item.data)[1]
        except DocumentError:
            udb_id = None
    return share_of_id(udb_id, jobs) if udb_id else 0


def share_of_id(udb_id: str, jobs: int) -> int:
    return zlib.crc32(udb_id.encode()) % jobs


def events_import_parallel(
    *,
    read_items: Callable[[ReadProgress, Callable[[str], None]], Iterable[Item]],
    jobs: int,
    actor=None,
    description: str = "",
    batch_size: int = BATCH_SIZE,
    on_rejected: Callable[[Rejection], None] | None = None,
    on_progress: Callable[[ImportSummary, int], None] | None = None,
    on_index_build: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import what `read_items` reads with `jobs` processes. `read_items(progress,
    on_unreadable)` runs in each process and must read the same items every time; the inputs
    it cannot read come back in the summary's `unreadable`. `on_progress` gets the counts so
    far and the bytes read by the slowest process. Into an empty catalogue, the events'
    indexes are built at the end (deferred_indexes), `jobs` at a time."""
    # The lock's session outlives the fork: a connection of its own, which the processes
    # never use (nor close: they end with os._exit).
    lock_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with (
            import_lock(lock_connection),
            indexes_deferred_if_empty(workers=jobs, on_build=on_index_build) as started_empty,
        ):
            summary = _run(
                read_items, jobs, batch_size, on_rejected or _ignore, on_progress, started_empty
            )
    finally:
        lock_connection.close()
    audit_import(summary, actor=actor, description=description)
    return summary


def _run(read_items, jobs, batch_size, on_rejected, on_progress, started_empty):
    with tempfile.TemporaryDirectory(prefix="events-") as folder:
        # Each process opens its own connections: a connection must not cross a fork.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        counters = context.Array("q", jobs * len(_SLOTS), lock=False)
        parent = os.getpid()
        processes = [
            context.Process(
                target=_share_import,
                args=(
                    share,
                    jobs,
                    read_items,
                    batch_size,
                    counters,
                    Path(folder),
                    parent,
                    started_empty,
                ),
                name=f"import-events-{share}",
            )
            for share in range(jobs)
        ]
        for process in processes:
            process.start()
        _wait(processes, counters, jobs, on_progress)
        summary, rejections = _merged(Path(folder), jobs)
        _import_strays(Path(folder), jobs, batch_size, summary, rejections)
    for rejection in sorted(rejections, key=_sequence):
        on_rejected(rejection)
    return summary


def _share_import(
    share, jobs, read_items, batch_size, counters, folder: Path, parent, started_empty
) -> None:
    """In a child process: import this share, write its summary, rejections and strays to
    `folder`. Only this process writes the ids of its share (`started_empty`: none stored)."""
    die_with_parent(parent)
    first_slot = share * len(_SLOTS)
    progress = ReadProgress()

    def batch_done(summary: ImportSummary) -> None:
        for index, name in enumerate(_COUNTS):
            counters[first_slot + index] = getattr(summary, name)
        counters[first_slot + len(_COUNTS)] = progress.read_bytes

    summary = ImportSummary()
    # Every process reads every input: the first one alone counts those it cannot read.
    on_unreadable = summary.unreadable.append if share == 0 else _ignore
    try:
        with (
            open(folder / f"rejections-{share}.jsonl", "wb") as rejections,
            open(folder / f"strays-{share}.jsonl", "wb") as strays,
        ):
            summary = events_import_unlocked(
                items=_share(read_items(progress, on_unreadable), share, jobs),
                batch_size=batch_size,
                on_rejected=lambda rejection: _write_rejection(rejections, rejection),
                on_batch=batch_done,
                summary=summary,
                owned=lambda udb_id: share_of_id(udb_id, jobs) == share,
                on_stray=lambda item: _write_stray(strays, item),
                started_empty=started_empty,
            )
        batch_done(summary)
        (folder / f"summary-{share}.json").write_bytes(orjson.dumps(summary.as_json()))
    except BaseException:
        (folder / f"error-{share}.txt").write_text(traceback.format_exc())
        raise
    finally:
        connections.close_all()


def _write_rejection(file, rejection: Rejection) -> None:
    file.write(orjson.dumps({"sequence": rejection.sequence, **rejection.as_json()}) + b"\n")


def _write_stray(file, item: Item) -> None:
    """Read here by the id its line seemed to have; another process owns its real id."""
    entry = {"sequence": item.sequence, "origin": item.origin, "position": item.position}
    if item.raw is not None:
        entry["raw"] = item.raw.decode()  # it parsed: valid UTF-8
    else:
        entry["data"] = item.data
    file.write(orjson.dumps(entry) + b"\n")


def _add(summary: ImportSummary, counts) -> None:
    """Add `counts` (a mapping of the counts' names) to `summary`."""
    for name in _COUNTS:
        setattr(summary, name, getattr(summary, name) + counts[name])


def _ignore(message: str) -> None:
    pass


def _share(items: Iterable[Item], share: int, jobs: int) -> Iterator[Item]:
    for sequence, item in enumerate(items):
        if share_of(item, jobs) == share:
            item.sequence = sequence
            yield item


def die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, however it ends (killed included), so that no
    import process goes on writing alone. Linux only; elsewhere the parent's `_wait` stops
    them when it can."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def _wait(processes, counters, jobs: int, on_progress) -> None:
    """Until every process has ended, or one failed; the others are stopped then, and also
    when the wait itself is interrupted (Ctrl-C sent to this process alone)."""
    try:
        while any(process.is_alive() for process in processes):
            time.sleep(_POLL_SECONDS)
            if on_progress:
                on_progress(*_progress(counters, jobs))
            if any(process.exitcode not in (None, 0) for process in processes):
                break
    finally:
        for process in processes:
            if process.exitcode is None:
                process.terminate()
            process.join()


def _progress(counters, jobs: int) -> tuple[ImportSummary, int]:
    summary = ImportSummary()
    read = []
    for share in range(jobs):
        values = counters[share * len(_SLOTS) : (share + 1) * len(_SLOTS)]
        _add(summary, dict(zip(_SLOTS, values, strict=True)))
        read.append(values[-1])
    return summary, min(read)


def _merged(folder: Path, jobs: int) -> tuple[ImportSummary, list[Rejection]]:
    errors = sorted(folder.glob("error-*.txt"))
    if errors or len(list(folder.glob("summary-*.json"))) != jobs:
        detail = errors[0].read_text().strip().splitlines()[-1] if errors else "no summary"
        raise ParallelImportFailed(f"an import process failed: {detail}")
    summary = ImportSummary()
    for share in range(jobs):
        counts = orjson.loads((folder / f"summary-{share}.json").read_bytes())
        _add(summary, counts)
        if share == 0:
            summary.unreadable = counts["unreadable"]
    rejections = []
    for share in range(jobs):
        with open(folder / f"rejections-{share}.jsonl", "rb") as file:
            rejections.extend(_rejection(orjson.loads(line)) for line in file)
    return summary, rejections


def _import_strays(
    folder: Path, jobs: int, batch_size: int, summary: ImportSummary, rejections: list
) -> None:
    """Documents whose line pointed at another id than their own (the event's @id not first
    in the line): imported here, after the processes, in input order, by the rules of any
    import (a version older than the one stored changes nothing)."""
    entries = []
    for share in range(jobs):
        with open(folder / f"strays-{share}.jsonl", "rb") as file:
            entries.extend(map(orjson.loads, file))
    if not entries:
        return
    items = [
        Item(
            entry["origin"],
            entry["position"],
            raw=entry["raw"].encode() if "raw" in entry else None,
            data=entry.get("data"),
            sequence=entry["sequence"],
        )
        for entry in sorted(entries, key=lambda entry: entry["sequence"])
    ]
    strays = events_import_unlocked(
        items=items, batch_size=batch_size, on_rejected=rejections.append
    )
    _add(summary, strays.as_json())


def _sequence(rejection: Rejection) -> int:
    return rejection.sequence


def _rejection(entry: dict) -> Rejection:
    """The Rejection again, from what a process wrote (Rejection.as_json plus its sequence)."""
    return Rejection(
        origin=entry["source"],
        position=entry["position"],
        reason=entry["reason"],
        udb_id=entry.get("id"),
        document=entry.get("document"),
        text=entry.get("text"),
        sequence=entry["sequence"],
    )
