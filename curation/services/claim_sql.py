"""Claim-next in one statement: the held task (lease renewed), else the first free task locked
with FOR UPDATE SKIP LOCKED, its lease and its audit row, on one snapshot and one round trip.
A task the curator set aside (passed, skipped, stopped at) is not free for them.

Hand-written because the benchmark decides it: the ORM's separate statements miss the 10 ms
p95 with eight curators on two cores (docs/benchmarks.md, claim-next).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import connection

from curation.models import Task

_COLUMNS = [field.column for field in Task._meta.concrete_fields]
_ATTNAMES = [field.attname for field in Task._meta.concrete_fields]
_RETURNED = ", ".join(f"t.{column}" for column in _COLUMNS)

# The commit need not wait for the disk: a claim lost in a crash only reopens its task.
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
      AND NOT EXISTS (
          SELECT 1 FROM curation_tasksetaside aside
          WHERE aside.task_id = curation_task.id AND aside.curator_id = %(curator)s
            AND aside.until > %(now)s)
    ORDER BY position, id LIMIT 1
    FOR UPDATE SKIP LOCKED
), taken AS (
    UPDATE curation_task t
    SET state = 'claimed', claimed_by_id = %(curator)s, claimed_at = %(now)s,
        lease_until = %(until)s, kept = false
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
    """The held or newly leased task (its audit row written), or None; call it in a transaction."""
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
    return Task.from_db(connection.alias, _ATTNAMES, row)
