"""Snowplow enriched TSV lines for tests and the benchmark: 131 tab-separated fields in the
canonical order, blank where a widget event leaves them blank."""

import datetime
import uuid

import orjson

from channels.snowplow import (
    APP_ID,
    COLLECTOR_TSTAMP,
    CONTEXTS,
    DERIVED_TSTAMP,
    EVENT,
    EVENT_ID,
    EVENT_NAME,
    FIELD_COUNT,
    PAGE_URL,
    PLATFORM,
    UNSTRUCT_EVENT,
    V_COLLECTOR,
    V_ETL,
    WIDGET_SCHEMA,
)

CONTEXTS_SCHEMA = "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0"
UNSTRUCT_SCHEMA = "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0"


def widget_context(page_id: str, **data) -> dict:
    return {
        "schema": WIDGET_SCHEMA,
        "data": {
            "name": data.get("name", "UiT in Voorbeeld"),
            "title": data.get("title", "Agenda"),
            "page_id": page_id,
            "language": data.get("language", "nl"),
            "page_type": data.get("page_type", "search_page"),
            "cdbid": data.get("cdbid"),
        },
    }


def enriched_line(
    *,
    page_id: str | None,
    at: datetime.datetime,
    kind: str = "page_view",
    event_id: str | None = None,
    app_id: str = "widgets",
    cdbid: str | None = None,
    page_type: str = "search_page",
) -> str:
    """One enriched event. `kind`: page_view, teaser_impression or button_click."""
    fields = [""] * FIELD_COUNT
    stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    fields[APP_ID], fields[PLATFORM] = app_id, "web"
    fields[COLLECTOR_TSTAMP] = fields[DERIVED_TSTAMP] = stamp
    fields[EVENT_ID] = event_id or str(uuid.uuid4())
    fields[V_COLLECTOR], fields[V_ETL] = "ssc-2.9.0-kinesis", "stream-enrich-3.8.0"
    fields[PAGE_URL] = "https://www.example.be/uit-agenda"
    fields[EVENT] = "page_view" if kind == "page_view" else "unstruct"
    fields[EVENT_NAME] = kind
    if kind != "page_view":
        fields[UNSTRUCT_EVENT] = orjson.dumps(
            {
                "schema": UNSTRUCT_SCHEMA,
                "data": {"schema": f"iglu:be.publiq.widgets/{kind}/jsonschema/1-0-0", "data": {}},
            }
        ).decode()
    if page_id is not None:
        context = widget_context(page_id, cdbid=cdbid, page_type=page_type)
        fields[CONTEXTS] = orjson.dumps({"schema": CONTEXTS_SCHEMA, "data": [context]}).decode()
    return "\t".join(fields)
