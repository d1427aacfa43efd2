"""The ids of the events an import into an empty catalogue has written so far.

Into an empty catalogue (and under the import lock, so no other import writes), an event is
stored only if this run wrote it: the stored versions need to be asked for only for those ids,
not for every id of every batch (about 10 ms of PostgreSQL's time a batch of 2,000, most of a
first import's lookups: docs/benchmarks.md).

The ids are kept as their 64-bit hashes (about 70 bytes each); two ids of the same hash only
cost a lookup that finds nothing. Past `LIMIT` ids the set stops answering and every id is
asked for again, so that memory stays bounded whatever the input's size.
"""

from __future__ import annotations

from collections.abc import Iterable

LIMIT = 1_000_000  # about 70 MB; a million events in two import processes keep half each


class WrittenIds:
    def __init__(self, limit: int = LIMIT):
        self._hashes: set[int] | None = set()
        self._limit = limit

    def add(self, udb_ids: Iterable[str]) -> None:
        if self._hashes is None:
            return
        self._hashes.update(map(hash, udb_ids))
        if len(self._hashes) > self._limit:
            self._hashes = None

    def to_look_up(self, udb_ids: set[str]) -> set[str]:
        """Those of `udb_ids` that may have been written: all of them once past the limit."""
        hashes = self._hashes
        if hashes is None:
            return udb_ids
        return {udb_id for udb_id in udb_ids if hash(udb_id) in hashes}
