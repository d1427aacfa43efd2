"""Snowplow widget events into counts per channel, page and day.

Idempotence is by file: a file's bytes are hashed (xxh3-128) before it is read, and a file
whose hash is in the ledger (`ImportedFile`) is skipped. Each file's counts and its ledger row
are written in one transaction, so a file counts once or not at all, and an import stopped
halfway is simply run again. A ledger of every `event_id` was the other choice; at tens of
millions of events a year it would be the largest table and index here, and each file's
inserts would have to probe it. What a per-file ledger does not catch: the same event in two
different files (the collector delivers at least once); see docs/channels.md.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import xxhash
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Sum
from psycopg2.extras import execute_values

from channels.models import ImportedFile, UnknownWidgetDay, WidgetPage
from channels.services.inputs import BadLine, ImportSummary, text_lines
from channels.services.runs import import_run
from channels.snowplow import KINDS, VIEW, EventReader
from channels.snowplow import BadLine as BadEvent

CHUNK = 1024 * 1024
KIND_INDEX = {kind: index for index, kind in enumerate(KINDS)}


def file_digest(path: Path) -> str:
    digest = xxhash.xxh3_128()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class FileCounts:
    """One file's events summed in memory: a row per page and day (and per event shown), so
    memory follows the pages and days in a file, not its events."""

    def __init__(self):
        self.days: dict[tuple[str, datetime.date], list[int]] = defaultdict(lambda: [0, 0, 0])
        self.names: dict[str, str] = {}
        self.shown: Counter = Counter()  # (page id, month, UiTdatabank id) -> views
        self.events = 0

    def add(self, event) -> None:
        self.days[event.page_id, event.day][KIND_INDEX[event.kind]] += 1
        self.names[event.page_id] = event.name
        if event.event_id and event.kind == VIEW:
            self.shown[event.page_id, event.day.replace(day=1), event.event_id] += 1
        self.events += 1


def _upsert(cursor, table: str, columns: str, conflict: str, rows: list[tuple]) -> None:
    """Add the counts to the stored ones (a count row is never replaced, only added to)."""
    counts = [name for name in ("views", "impressions", "clicks") if name in columns]
    adds = ", ".join(f"{name} = {table}.{name} + EXCLUDED.{name}" for name in counts)
    execute_values(
        cursor,
        f"INSERT INTO {table} ({columns}) VALUES %s ON CONFLICT ({conflict}) DO UPDATE SET {adds}",
        rows,
        page_size=2000,
    )


def _write(counts: FileCounts, path: Path, digest: str) -> set:
    """The file's counts and its ledger row, in one transaction. The channels touched."""
    channels = dict(WidgetPage.objects.filter(id__in=counts.names).values_list("id", "channel_id"))
    known, unknown = [], []
    for (page, day), (views, impressions, clicks) in counts.days.items():
        if page in channels:
            known.append((channels[page], page, day, views, impressions, clicks))
        else:
            unknown.append((page, counts.names[page], day, views, impressions, clicks))
    shown = [
        (channels[page], month, event_id, views)
        for (page, month, event_id), views in counts.shown.items()
        if page in channels
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        ImportedFile.objects.create(
            content_hash=digest,
            name=str(path)[-500:],
            size=path.stat().st_size,
            events=counts.events,
        )
        _upsert(
            cursor,
            "channels_widgetday",
            "channel_id, page_id, day, views, impressions, clicks",
            "page_id, day",
            known,
        )
        _upsert(
            cursor,
            "channels_unknownwidgetday",
            "page_id, name, day, views, impressions, clicks",
            "page_id, day",
            unknown,
        )
        _upsert(
            cursor,
            "channels_eventviews",
            "channel_id, month, event_id, views",
            "channel_id, month, event_id",
            shown,
        )
    return {row[0] for row in known}


def widget_file_import(
    path: Path, summary: ImportSummary, on_bad: Callable[[BadLine], None], on_line=None
) -> set:
    """One Snowplow file: counted once, whatever is read twice. Returns the channels touched."""
    digest = file_digest(path)
    seen = ImportedFile.objects.filter(content_hash=digest).first()
    if seen is not None:
        summary.notes.append(f"{path}: already imported on {seen.imported_at:%Y-%m-%d}, skipped")
        return set()
    counts, reader = FileCounts(), EventReader()
    for number, text in text_lines(path):
        summary.read += 1
        if on_line and number % 65536 == 0:
            on_line()
        try:
            if text is None:
                raise BadEvent("not UTF-8")
            event = reader.read(text)
        except BadEvent as error:
            summary.bad += 1
            on_bad(BadLine(str(path), f"line {number}", str(error)))
            continue
        if event is None:
            summary.skipped += 1
        else:
            counts.add(event)
            summary.kept += 1
    if on_line:
        on_line()  # the progress line, also after each short file
    try:
        return _write(counts, path, digest)
    except IntegrityError:  # the same file, imported meanwhile by another run
        summary.notes.append(f"{path}: imported meanwhile by another run, skipped")
        summary.kept -= counts.events
        return set()


def unknown_widgets(limit: int = 20) -> list[dict]:
    """The pages no channel has, with their events: what the import reports apart."""
    return list(
        UnknownWidgetDay.objects.values("page_id")
        .annotate(
            name=Max("name"),
            views=Sum("views"),
            impressions=Sum("impressions"),
            clicks=Sum("clicks"),
            last_day=Max("day"),
        )
        .order_by("-views", "page_id")[:limit]
    )


def unknown_pages_claim(page_ids: list[str]) -> set:
    """Counts kept apart for pages now known move to their channel. The channels touched."""
    if not page_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO channels_widgetday (channel_id, page_id, day, views, impressions, clicks)
            SELECT p.channel_id, u.page_id, u.day, u.views, u.impressions, u.clicks
            FROM channels_unknownwidgetday u JOIN channels_widgetpage p ON p.id = u.page_id
            WHERE u.page_id = ANY(%(pages)s)
            ON CONFLICT (page_id, day) DO UPDATE SET
                views = channels_widgetday.views + EXCLUDED.views,
                impressions = channels_widgetday.impressions + EXCLUDED.impressions,
                clicks = channels_widgetday.clicks + EXCLUDED.clicks
            RETURNING channel_id
            """,
            {"pages": page_ids},
        )
        touched = {row[0] for row in cursor.fetchall()}
        cursor.execute("DELETE FROM channels_unknownwidgetday WHERE page_id = ANY(%s)", [page_ids])
        # A page given to another channel takes its counts along.
        cursor.execute(
            "UPDATE channels_widgetday w SET channel_id = p.channel_id FROM channels_widgetpage p"
            " WHERE p.id = w.page_id AND w.page_id = ANY(%s) AND w.channel_id <> p.channel_id"
            " RETURNING w.channel_id",
            [page_ids],
        )
        touched |= {row[0] for row in cursor.fetchall()}
    return touched


def widget_events_import(
    *, paths: list[Path], on_bad, on_unreadable, on_line=None, summary=None, actor=None
) -> ImportSummary:
    summary = summary or ImportSummary()
    return import_run(
        paths=paths,
        import_file=lambda path: widget_file_import(path, summary, on_bad, on_line),
        summary=summary,
        on_unreadable=on_unreadable,
        action="channels.import_widget_events",
        object_type="channels.widgetday",
        actor=actor,
    )
