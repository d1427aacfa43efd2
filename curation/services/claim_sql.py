"""Claim-next on PostgreSQL in one round trip.

The claim is what a curator waits for between two tasks, and with eight curators on a small
machine they wait for each other's CPU: built with the ORM, its four statements cost 3 to 4 ms
of Python each (docs/benchmarks.md). Here the same steps run as one statement, whose
common table expressions PostgreSQL executes on one snapshot:

1. `held`: the first task this curator already holds in the queue (resumed, lease renewed);
2. `picked`: else the first free task (open, or whose lease ran out), read from the partial
   claim index and locked with FOR UPDATE SKIP LOCKED, so that concurrent claims each get a
   different task without waiting on each other;
3. `taken`: its lease, and `audited`: the audit row, in the same statement and transaction.

The ORM version in `queues.task_claim_next` stays the reference (and runs on SQLite, which has
no row locks); both are held to the same tests.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import connection

from curation.models import Task

_COLUMNS = [field.column for field in Task._meta.concrete_fields]
_RETURNED = ", ".join(f"t.{column}" for column in _COLUMNS)

_CLAIM = f"""
SET LOCAL synchronous_commit TO OFF;
WITH held AS (
    SELECT id FROM curation_task
    WHERE queue_id = %(queue)s AND state = 'claimed' AND claimed_by_id = %(curator)s
      AND NOT (id = ANY(%(exclude)s))
    ORDER BY position, id LIMIT 1
    FOR UPDATE
), renewed AS (
    UPDATE curation_task t SET lease_until = GREATEST(t.lease_until, %(until)s)
    FROM held WHERE t.id = held.id
    RETURNING {_RETURNED}
), picked AS (
    SELECT id, state, claimed_by_id FROM curation_task
    WHERE queue_id = %(queue)s
      AND (state = 'open' OR (state = 'claimed' AND lease_until < %(now)s))
      AND NOT (id = ANY(%(exclude)s))
      AND NOT EXISTS (SELECT 1 FROM held)
    ORDER BY position, id LIMIT 1
    FOR UPDATE SKIP LOCKED
), taken AS (
    UPDATE curation_task t
    SET state = 'claimed', claimed_by_id = %(curator)s, claimed_at = %(now)s,
        lease_until = %(until)s
    FROM picked WHERE t.id = picked.id
    RETURNING {_RETURNED}, picked.state AS old_state, picked.claimed_by_id AS old_claimed_by
), audited AS (
    INSERT INTO core_auditentry
        (actor_id, action, object_type, object_id, old_values, new_values, note, created_at)
    SELECT %(curator)s, 'task.claimed', 'curation.task', taken.id::text,
           jsonb_build_object('state', taken.old_state, 'claimed_by', taken.old_claimed_by),
           %(new_values)s::jsonb, '', %(now)s
    FROM taken
)
SELECT {", ".join(_COLUMNS)} FROM renewed
UNION ALL
SELECT {", ".join(_COLUMNS)} FROM taken
"""


def claim_next_in_one_statement(
    *, queue_id: int, curator_id: int, exclude: Sequence[int], now: datetime, lease: timedelta
) -> Task | None:
    """The held or newly leased task (with its audit row written), or None; call it inside
    the claim's transaction."""
    until = now + lease
    params = {
        "queue": queue_id,
        "curator": curator_id,
        "exclude": list(exclude),
        "now": now,
        "until": until,
        "new_values": json.dumps({"state": "claimed", "lease_until": until.isoformat()}),
    }
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return Task.from_db(connection.alias, _COLUMNS_AS_ATTNAMES, row)


_COLUMNS_AS_ATTNAMES = [field.attname for field in Task._meta.concrete_fields]
