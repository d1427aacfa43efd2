"""A first import builds the events' secondary indexes once, at its end (PostgreSQL).

Filling an empty catalogue with a million events while eight secondary indexes are kept up to
date costs PostgreSQL nearly twice the work of building them afterwards from the finished
table, sorted, in one pass each (47 against 27 CPU-seconds, docs/benchmarks.md): the way
pg_restore and pgloader load a database. So an import that finds the events table empty drops
its full secondary indexes first and builds them again before it ends, whether it succeeded or
not, one per core at a time.

Kept throughout: the primary key and the unique id, which the import itself looks events up by,
and the partial indexes, which take only the few rows outside their common value (cheap to keep
up to date, a whole table scan each to build).

Each dropped index is recorded with its SQL in the same transaction as the drop
(`DeferredIndex`); building it deletes its row. An import stopped in between (killed, machine
down) leaves the rows behind: the next import and the next `migrate` build those indexes first,
before anything else uses the table.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection, connections, transaction

from curation.models import DeferredIndex, Event

logger = logging.getLogger(__name__)
DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)
BUILD_MEMORY = "256MB"  # maintenance_work_mem of each build: sorted in memory at 1M events

# Full (not partial) indexes of the events table that back no constraint, with their SQL.
_SECONDARY_INDEXES = """
    SELECT index_class.relname, pg_get_indexdef(index.indexrelid)
    FROM pg_index AS index
    JOIN pg_class AS index_class ON index_class.oid = index.indexrelid
    WHERE index.indrelid = %s::regclass
      AND NOT index.indisprimary AND NOT index.indisunique AND index.indpred IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = index.indexrelid)
    ORDER BY index_class.relname
"""


@contextmanager
def indexes_deferred_if_empty(
    *, workers: int = DEFAULT_WORKERS, on_build: Callable[[str], None] | None = None
) -> Iterator[bool]:
    """Around an import holding the import lock: yields whether the indexes were deferred.

    Not inside a surrounding transaction: the drop would stay uncommitted and the builds, on
    connections of their own, would wait for it forever.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield False
        return
    build_deferred_indexes(workers=workers, on_build=on_build)  # of an interrupted import
    deferred = defer_secondary_indexes() if not Event.objects.exists() else []
    try:
        yield bool(deferred)
    finally:
        build_deferred_indexes(workers=workers, on_build=on_build)


def defer_secondary_indexes() -> list[str]:
    """Drop the events' full secondary indexes, recording each one's SQL; their names."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SECONDARY_INDEXES, [Event._meta.db_table])
        indexes = cursor.fetchall()
        DeferredIndex.objects.bulk_create(
            DeferredIndex(name=name, definition=definition) for name, definition in indexes
        )
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    logger.info("first import: indexes %s built at its end", ", ".join(n for n, _ in indexes))
    return [name for name, _definition in indexes]


def build_deferred_indexes(
    *, workers: int = DEFAULT_WORKERS, on_build: Callable[[str], None] | None = None
) -> list[str]:
    """Build every recorded index, `workers` at a time; their names."""
    pending = list(DeferredIndex.objects.values_list("name", "definition"))
    if not pending:
        return []
    # GIN indexes take longest: started first, the others fill in beside them.
    pending.sort(key=lambda entry: (" USING gin " not in entry[1], entry[0]))
    started = time.monotonic()
    if on_build:
        on_build(f"building {len(pending)} indexes of the events table")
    if workers < 2 or len(pending) == 1:
        for name, definition in pending:
            _build(name, definition)
    else:
        with ThreadPoolExecutor(min(workers, len(pending)), "event-index") as executor:
            list(executor.map(_build_on_own_connection, pending))
    if on_build:
        seconds = time.monotonic() - started
        on_build(f"built {len(pending)} indexes of the events table in {seconds:.1f} s")
    return [name for name, _definition in pending]


def _build_on_own_connection(entry: tuple[str, str]) -> None:
    try:
        # Each build alone on its core: no parallel workers of its own.
        _build(*entry, parallel_workers=0)
    finally:
        connections.close_all()  # this thread's connections


def _build(name: str, definition: str, *, parallel_workers: int | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
        if parallel_workers is not None:
            cursor.execute(f"SET LOCAL max_parallel_maintenance_workers = {parallel_workers}")
        # There already if someone built it meanwhile (by hand, or a migration).
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if not cursor.fetchone()[0]:
            cursor.execute(definition)
        DeferredIndex.objects.filter(name=name).delete()
