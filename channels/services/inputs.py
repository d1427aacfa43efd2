"""What the three channel imports share: where a bad line was, and the run's counts."""

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from events.services.sources import InputError, opened


@dataclass(frozen=True)
class BadLine:
    origin: str  # the file
    position: str  # "line 12"
    reason: str

    def __str__(self):
        return f"{self.origin} {self.position}: {self.reason}"


@dataclass
class ImportSummary:
    read: int = 0  # lines or documents read
    kept: int = 0
    bad: int = 0
    skipped: int = 0  # read and left alone on purpose (another app, an event not counted)
    unreadable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.read:,} read, {self.kept:,} kept, {self.skipped:,} skipped, "
            f"{self.bad:,} bad, {len(self.unreadable)} files unreadable"
        )


def text_lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """(number, text) of each line of a file, gunzipped when gzipped; text None for a line that
    is not UTF-8. Raises InputError when the file cannot be read (from some point on)."""
    try:
        with opened(path) as stream:
            for number, raw in enumerate(stream, start=1):
                try:
                    yield number, raw.decode()
                except UnicodeDecodeError:
                    yield number, None
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(f"{path}: cannot be read: {error}") from None
