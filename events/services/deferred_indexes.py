"""A first import builds the events' secondary indexes once, at its end (PostgreSQL).

Filling an empty catalogue with a million events while eight secondary indexes are kept up to
date costs PostgreSQL about twice the work of building them afterwards from the finished table,
sorted, in one pass each (docs/benchmarks.md): the way pg_restore and pgloader load a database.
So an import that finds the events table empty drops its full secondary indexes first and
builds them again before it ends, whether it succeeded or not, several at a time (one per
import process, or per core).

Kept throughout: the primary key and the unique id, which the import itself looks events up by,
and the partial indexes, which take only the few rows outside their common value (cheap to keep
up to date, a whole table scan each to build).

The foreign keys of the classifications the import writes with the events are dropped and added
again the same way: added afterwards, a key is checked by one join of the two tables instead of
one lookup per row at each commit (a seventh of PostgreSQL's time in a first import). A key is
added `NOT VALID` before the index builds start (at once: it checks no row, but its lock
conflicts with theirs) and then validated beside them (a lock that does not conflict), instead
of waiting at the end for the last index build while a core stands idle.

Each dropped index is recorded with its SQL in the same transaction as the drop
(`DeferredIndex`); building it deletes its row. An import killed in between (or a build that
failed) leaves the rows behind: the next import and the next `migrate` build those indexes
first. A build that fails is reported and left for them; it never hides the import's own
outcome. If the drop cannot have its lock at once (a long transaction reads the table) or is
not allowed (a role that does not own the table), the import keeps the indexes.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

from django.db import Error, connection, connections, transaction

from events.models import DeferredIndex, Event
from family.models import FamilyClassification

logger = logging.getLogger(__name__)
DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)
BUILD_MEMORY = "256MB"  # maintenance_work_mem of each build: sorted in memory at 1M events
DROP_LOCK_TIMEOUT = "5s"

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
# Foreign keys of a table, with the SQL that adds each again.
_FOREIGN_KEYS = """
    SELECT key.conname,
           format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', %s, key.conname,
                  pg_get_constraintdef(key.oid))
    FROM pg_constraint AS key
    WHERE key.conrelid = %s::regclass AND key.contype = 'f'
    ORDER BY key.conname
"""


@contextmanager
def indexes_deferred_if_empty(
    *, workers: int = DEFAULT_WORKERS, on_build: Callable[[str], None] | None = None
) -> Iterator[bool]:
    """Around an import holding the import lock; gives whether the events table was empty
    (False where nothing is deferred: not PostgreSQL, or in a transaction).

    Not inside a surrounding transaction: the drop would stay uncommitted and the builds, on
    connections of their own, would wait for it forever.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield False
        return
    note = on_build or logger.info
    build_deferred_indexes(workers=workers, on_build=on_build)  # of an interrupted import
    empty = not Event.objects.exists()
    if empty:
        defer_secondary_indexes(on_refused=note)
    try:
        yield empty
    except BaseException:
        _build_without_hiding(workers=workers, on_build=on_build)
        raise
    build_deferred_indexes(workers=workers, on_build=on_build)


def _build_without_hiding(**options) -> None:
    """After a failed or interrupted import: its own error is the one to see."""
    try:
        build_deferred_indexes(**options)
    except Exception:
        logger.exception("the events' indexes were not built; the next import or migrate will")


def defer_secondary_indexes(*, on_refused: Callable[[str], None] = logger.info) -> list[str]:
    """Drop the events' full secondary indexes, recording each one's SQL; their names (none
    when the drop was refused: the import then keeps them)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{DROP_LOCK_TIMEOUT}'")
            cursor.execute(_SECONDARY_INDEXES, [Event._meta.db_table])
            indexes = cursor.fetchall()
            classifications = FamilyClassification._meta.db_table
            cursor.execute(_FOREIGN_KEYS, [classifications, classifications])
            keys = cursor.fetchall()
            DeferredIndex.objects.bulk_create(
                DeferredIndex(name=name, definition=definition)
                for name, definition in [*indexes, *keys]
            )
            quote = connection.ops.quote_name
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
            table = quote(classifications)
            for name, _definition in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    except Error as error:
        on_refused(f"the events' indexes are kept during this import: {_first_line(error)}")
        return []
    names = [name for name, _definition in [*indexes, *keys]]
    logger.info("first import: indexes and keys %s made at its end", ", ".join(names))
    return names


def build_deferred_indexes(
    *, workers: int = DEFAULT_WORKERS, on_build: Callable[[str], None] | None = None
) -> list[str]:
    """Build every recorded index, `workers` at a time; the names of those built. One that
    fails keeps its row (the next import or `migrate` tries again) and the others go on."""
    note = on_build or logger.info
    pending = list(DeferredIndex.objects.values_list("name", "definition"))
    if not pending:
        return []
    # Longest first, so that the short ones fill in at the end: the trigram index of names
    # (a GIN index builds in one process, 8 to 10 s at a million events), the B-trees (2 to 4
    # s), then the GIN indexes of short JSON lists and the keys (1 to 2 s).
    pending.sort(key=lambda entry: (_expected_order(entry[1]), entry[0]))
    started = time.monotonic()
    note(f"building {len(pending)} indexes and foreign keys of the events tables")
    _add_keys_unvalidated(pending)
    if workers < 2 or len(pending) == 1:
        errors = [_build(name, definition) for name, definition in pending]
    else:
        with ThreadPoolExecutor(min(workers, len(pending)), "event-index") as executor:
            errors = list(executor.map(_build_on_own_connection, pending))
    built = [name for (name, _definition), error in zip(pending, errors, strict=True) if not error]
    for (name, _definition), error in zip(pending, errors, strict=True):
        if error:
            logger.error("index or key %s of the events tables not built: %s", name, error)
            note(f"could not build {name} ({error}); the next import or migrate tries again")
    seconds = time.monotonic() - started
    note(f"built {len(built)} indexes and foreign keys of the events tables in {seconds:.1f} s")
    return built


def _build_on_own_connection(entry: tuple[str, str]) -> str:
    try:
        # Each build alone on its core: no parallel workers of its own.
        return _build(*entry, parallel_workers=0)
    finally:
        connections.close_all()  # this thread's connections


def _add_keys_unvalidated(pending: list[tuple[str, str]]) -> None:
    """Each recorded foreign key that is not there, added without checking the rows; `_build`
    validates it. One that cannot be added is left to `_build`, which reports why."""
    for name, definition in pending:
        if _is_foreign_key(definition) and _constraint(name) is None:
            with suppress(Error), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"{_without_not_valid(definition)} NOT VALID")


def _build(name: str, definition: str, *, parallel_workers: int | None = None) -> str:
    """Build one index, or add or validate one foreign key, and forget its row, in one
    transaction; the error, or ""."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
            if parallel_workers is not None:
                cursor.execute(f"SET LOCAL max_parallel_maintenance_workers = {parallel_workers}")
            # There already if someone built it meanwhile (by hand, or a migration).
            if _is_foreign_key(definition):
                constraint = _constraint(name)
                if constraint is None:
                    cursor.execute(_without_not_valid(definition))
                elif not constraint[1]:  # added NOT VALID
                    quote = connection.ops.quote_name
                    cursor.execute(f"ALTER TABLE {constraint[0]} VALIDATE CONSTRAINT {quote(name)}")
            else:
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
                if not cursor.fetchone()[0]:
                    cursor.execute(definition)
            DeferredIndex.objects.filter(name=name).delete()
    except Error as error:
        return _first_line(error)
    return ""


def _constraint(name: str) -> tuple[str, bool] | None:
    """(its table, validated) of the constraint of that name, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, convalidated FROM pg_constraint WHERE conname = %s",
            [name],
        )
        return cursor.fetchone()


def _expected_order(definition: str) -> int:
    if "gin_trgm_ops" in definition:
        return 0
    if " USING gin " in definition or _is_foreign_key(definition):
        return 2
    return 1


def _is_foreign_key(definition: str) -> bool:
    return definition.startswith("ALTER TABLE ") and " FOREIGN KEY " in definition


def _without_not_valid(definition: str) -> str:
    """A key recorded while it was still NOT VALID reads so in its SQL."""
    return definition.removesuffix(" NOT VALID")


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
