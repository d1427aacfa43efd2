"""Reading Snowplow enriched events (the collector's enriched TSV) for the widget counts.

An enriched event is one line of 131 tab-separated fields in the canonical order (Snowplow's
"Enriched stream TSV file format"): app_id first, event_id 7th, the contexts and the
self-describing (unstruct) event as JSON. Only the few fields the counts need are read, by
index, instead of turning every line into a dictionary of 131 fields with the Python Analytics
SDK: see docs/architecture.md (Channels) for why and the measurement.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class WidgetEvent:
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


def read_event(line: str, day_of: DayOf) -> WidgetEvent | None:
    """The countable widget event on a line; None for another app's event or an event kind
    not counted. Raises BadLine for a line that is not an enriched event."""
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != FIELD_COUNT:
        raise BadLine(f"{len(fields)} fields where an enriched event has {FIELD_COUNT}")
    if fields[APP_ID] != WIDGETS_APP:
        return None
    kind = kind_of(fields[EVENT], fields[EVENT_NAME])
    if kind is None:
        return None
    if not fields[EVENT_ID]:
        raise BadLine("no event_id")
    day = day_of(fields[DERIVED_TSTAMP] or fields[COLLECTOR_TSTAMP])
    context = widget_context(fields[CONTEXTS])
    shown = context.get("cdbid") if context.get("page_type") == "event_page" else None
    return WidgetEvent(
        day=day,
        kind=kind,
        page_id=str(context["page_id"])[:64],
        name=str(context.get("name") or "")[:255],
        event_id=str(shown or "")[:64],
    )
