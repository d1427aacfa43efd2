"""Reading Snowplow enriched events (the collector's enriched TSV) for the widget counts.

An enriched event is one line of 131 tab-separated fields in the canonical order (Snowplow's
"Enriched stream TSV file format"): app_id first, event_id 7th, the contexts and the
self-describing (unstruct) event as JSON. Only the few fields the counts need are read, by
index, instead of turning every line into a dictionary of 131 fields with the Python Analytics
SDK: see docs/architecture.md (Channels) for why and the measurement.
"""

import datetime
import zoneinfo
from typing import NamedTuple

import orjson

FIELD_COUNT = 131
APP_ID, PLATFORM, COLLECTOR_TSTAMP, EVENT, EVENT_ID = 0, 1, 3, 5, 6
V_COLLECTOR, V_ETL, PAGE_URL = 10, 11, 29
CONTEXTS, UNSTRUCT_EVENT, DERIVED_TSTAMP, EVENT_NAME = 52, 58, 124, 126

WIDGETS_APP = "widgets"
# The widget context (publiq's widgets): consumer name, page title, page id, language, page
# type and the event shown. Any version of the schema is read.
WIDGET_SCHEMA = "iglu:be.publiq/widget_context/jsonschema/1-0-0"
WIDGET_SCHEMA_PREFIX = "iglu:be.publiq/widget_context/"

VIEW, IMPRESSION, CLICK = "views", "impressions", "clicks"
KINDS = (VIEW, IMPRESSION, CLICK)
LOCAL = zoneinfo.ZoneInfo("Europe/Brussels")


class BadLine(ValueError):
    """A line that is not an enriched widget event we can count; the message says why."""


class WidgetEvent(NamedTuple):
    day: datetime.date
    kind: str
    page_id: str
    name: str  # the widget context's consumer name
    event_id: str  # the UiTdatabank event shown on an event page, else ""


def kind_of(event: str, event_name: str) -> str | None:
    """A page view is a consultation; self-describing events whose name ends in impression or
    click are teaser impressions and clicks; anything else (page pings, time on page) is
    not counted."""
    if event == "page_view":
        return VIEW
    if event_name.endswith("impression"):
        return IMPRESSION
    if event_name.endswith("click"):
        return CLICK
    return None


class DayOf:
    """The local (Brussels) day of a UTC timestamp `2026-03-01 23:12:05.123`, worked out once
    per hour of the data: a zoneinfo conversion per event would cost more than the rest."""

    def __init__(self):
        self._hours: dict[str, datetime.date] = {}

    def __call__(self, stamp: str) -> datetime.date:
        hour = stamp[:13]
        day = self._hours.get(hour)
        if day is None:
            try:
                utc = datetime.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=datetime.UTC)
            except ValueError:
                raise BadLine(f"unreadable timestamp {stamp[:40]!r}") from None
            day = self._hours[hour] = utc.astimezone(LOCAL).date()
        return day


def widget_context(contexts: str) -> dict:
    if not contexts:
        raise BadLine("no contexts: the widget context is missing")
    try:
        entities = orjson.loads(contexts)["data"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise BadLine("the contexts field is not a self-describing JSON list") from None
    for entity in entities:
        if isinstance(entity, dict) and str(entity.get("schema", "")).startswith(
            WIDGET_SCHEMA_PREFIX
        ):
            data = entity.get("data")
            if isinstance(data, dict) and data.get("page_id"):
                return data
            raise BadLine("the widget context has no page_id")
    raise BadLine("no widget context among the contexts")


class EventReader:
    """Reads lines into WidgetEvents. Within a file the same contexts text comes back again
    and again (a page's views and teasers), so its reading is kept in a bounded cache: a dict
    lookup instead of parsing JSON per event."""

    CACHE_SIZE = 20_000

    def __init__(self):
        self.day_of = DayOf()
        self._contexts: dict[str, tuple] = {}

    def _context(self, contexts: str) -> tuple[str, str, str | None]:
        known = self._contexts.get(contexts)
        if known is None:
            data = widget_context(contexts)
            shown = data.get("cdbid") if data.get("page_type") == "event_page" else None
            known = (
                str(data["page_id"])[:64],
                str(data.get("name") or "")[:255],
                str(shown or "")[:64],
            )
            if len(self._contexts) >= self.CACHE_SIZE:
                self._contexts.clear()
            self._contexts[contexts] = known
        return known

    def read(self, line: str) -> WidgetEvent | None:
        """The countable widget event on a line; None for another app's event or an event kind
        not counted. Raises BadLine for a line that is not an enriched event."""
        line = line.rstrip("\r\n")
        tabs = line.count("\t")
        if tabs != FIELD_COUNT - 1:
            raise BadLine(f"{tabs + 1} fields where an enriched event has {FIELD_COUNT}")
        # Only the fields needed: the first 53 from the front, the rest from the back.
        head = line.split("\t", CONTEXTS + 1)
        if head[APP_ID] != WIDGETS_APP:
            return None
        tail = head[-1].rsplit("\t", FIELD_COUNT - DERIVED_TSTAMP)
        kind = kind_of(head[EVENT], tail[EVENT_NAME - FIELD_COUNT])
        if kind is None:
            return None
        if not head[EVENT_ID]:
            raise BadLine("no event_id")
        day = self.day_of(tail[DERIVED_TSTAMP - FIELD_COUNT] or head[COLLECTOR_TSTAMP])
        page_id, name, shown = self._context(head[CONTEXTS])
        return WidgetEvent(day=day, kind=kind, page_id=page_id, name=name, event_id=shown)


def read_event(line: str, day_of: DayOf | None = None) -> WidgetEvent | None:
    """One line on its own (tests): see EventReader.read."""
    reader = EventReader()
    if day_of is not None:
        reader.day_of = day_of
    return reader.read(line)
