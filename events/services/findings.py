"""Data findings written by the import, in its batch's transaction.

A finding stays open while each new version of the event's document has the same defect (the
same kind, field and value); a version without it closes it, and a new defect opens a new one.
Most events have no findings: a batch of new events without any costs nothing, and one with
changed events costs one look-up of their open findings on a partial index.
"""

from __future__ import annotations

from datetime import datetime

import orjson
from django.db import connection

from events.models import DataFinding
from events.services.documents import Finding


def findings_apply(*, found: dict[int, list[Finding]], reread: list[int], now: datetime) -> int:
    """Open the findings `found` (by event id) that are not open yet, close the open findings
    of the `reread` events (their new version was read) that were not found again. Returns how
    many were closed."""
    still_open = _open_findings(reread) if reread else {}
    to_close = [
        pk
        for (event_id, key), pk in still_open.items()
        if key not in {_key(finding) for finding in found.get(event_id, ())}
    ]
    to_open = [
        DataFinding(
            event_id=event_id,
            kind=finding.kind,
            field=finding.field[:200],
            value=finding.value,
            opened_at=now,
        )
        for event_id, findings in found.items()
        for finding in _distinct(findings)
        if (event_id, _key(finding)) not in still_open
    ]
    if to_open:
        DataFinding.objects.bulk_create(to_open)
    if to_close:
        DataFinding.objects.filter(pk__in=to_close).update(closed_at=now)
    return len(to_close)


def _open_findings(event_ids: list[int]) -> dict[tuple[int, tuple], int]:
    """{(event id, finding key): finding id} of the open findings of these events."""
    with connection.cursor() as cursor:
        # One array parameter rather than an IN list of thousands of ids.
        cursor.execute(
            "SELECT id, event_id, kind, field, value::text FROM events_datafinding "
            "WHERE closed_at IS NULL AND event_id = ANY(%s::bigint[])",
            [event_ids],
        )
        return {
            (event_id, (kind, field, _canonical(orjson.loads(value)))): pk
            for pk, event_id, kind, field, value in cursor.fetchall()
        }


def _key(finding: Finding) -> tuple:
    return finding.kind, finding.field[:200], _canonical(finding.value)


def _canonical(value) -> bytes:
    """The value as JSON with sorted keys: jsonb does not keep the document's key order."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _distinct(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    distinct = []
    for finding in findings:
        if (key := _key(finding)) not in seen:
            seen.add(key)
            distinct.append(finding)
    return distinct
