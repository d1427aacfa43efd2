"""Search API requests per day and client id (or legacy API key), as the gateway exports them:
CSV `date,client_id,requests`. A (date, key) read again replaces the stored count, so a file
imported twice, or a corrected export, leaves the gateway's count."""

import csv
import datetime
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction
from psycopg2.extras import execute_values

from channels.models import ChannelKey
from channels.services.inputs import BadLine, ImportSummary, text_lines
from channels.services.runs import import_run

HEADER = ["date", "client_id", "requests"]


class BadRow(ValueError):
    pass


def usage_row(cells: list[str]) -> tuple[datetime.date, str, int]:
    if len(cells) != 3:
        raise BadRow(f"{len(cells)} columns where date,client_id,requests has 3")
    day, key, requests = (cell.strip() for cell in cells)
    try:
        day = datetime.date.fromisoformat(day)
    except ValueError:
        raise BadRow(f"date {day[:30]!r} is not a date like 2026-03-01") from None
    if not key:
        raise BadRow("client_id is empty")
    if not requests.isdigit():
        raise BadRow(f"requests {requests[:30]!r} is not a whole number of 0 or more")
    return day, key[:255], int(requests)


def _read(path: Path, summary: ImportSummary, on_bad) -> dict:
    rows = {}
    for number, text in text_lines(path):
        if text is None or not text.strip():
            if text is None:
                summary.bad += 1
                on_bad(BadLine(str(path), f"line {number}", "not UTF-8"))
            continue
        cells = next(csv.reader([text.lstrip("\ufeff")]))
        if number == 1 and [cell.strip().lower() for cell in cells] == HEADER:
            continue
        summary.read += 1
        try:
            day, key, requests = usage_row(cells)
        except BadRow as error:
            summary.bad += 1
            on_bad(BadLine(str(path), f"line {number}", str(error)))
            continue
        rows[day, key] = requests
    return rows


def _write(rows: dict, summary: ImportSummary) -> set:
    keys = dict(
        ChannelKey.objects.filter(key__in={key for _day, key in rows}).values_list(
            "key", "channel_id"
        )
    )
    values = [(day, key, keys.get(key), requests) for (day, key), requests in rows.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        execute_values(
            cursor,
            "INSERT INTO channels_apiusage (day, key, channel_id, requests) VALUES %s"
            " ON CONFLICT (day, key) DO UPDATE SET requests = EXCLUDED.requests,"
            " channel_id = EXCLUDED.channel_id",
            values,
            page_size=2000,
        )
    unknown = sorted({key for _day, key, channel, _r in values if channel is None})
    if unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        summary.notes.append(f"{len(unknown)} keys of no known channel: {shown}")
    summary.kept += len(values)
    return {channel for _day, _key, channel, _r in values if channel is not None}


def api_usage_import(
    *, paths: list[Path], on_bad: Callable[[BadLine], None], on_unreadable, actor=None
) -> ImportSummary:
    summary = ImportSummary()
    return import_run(
        paths=paths,
        import_file=lambda path: _write(_read(path, summary, on_bad), summary),
        summary=summary,
        on_unreadable=on_unreadable,
        action="channels.import_api_usage",
        object_type="channels.apiusage",
        actor=actor,
    )
