#!/usr/bin/env python
"""Review-queue benchmark: claim-next (one curator, then eight at once: paced, in bursts,
saturated) and the task page, with 1,000,000 events and 200,000 open tasks in PostgreSQL.
How the data is built and how to run it: docs/benchmarks.md, "Review queues".
"""

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import p95  # noqa: E402 - bench/ is on the path when run as a script

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x9Tq2LmV8sPz" * 5)
OUT = ROOT / "bench" / "out"
TEMPLATE_EVENTS = 5_000
DECIDED_TASKS = 50_000
LIVE_CLAIMS = 2_000
VIRTUAL_DECISION = {
    "offer_kind": "live",
    "url_state": "works",
    "corrected_url": "",
    "location_fit": "fits",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--claims", type=int, default=1_000, help="claims by one curator")
    parser.add_argument("--seconds", type=int, default=30, help="of 8 concurrent curators")
    parser.add_argument("--rounds", type=int, default=100, help="of 8 claims at the same instant")
    parser.add_argument("--pages", type=int, default=100, help="task pages requested")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    results = {"events": args.events, "open_tasks": args.tasks}
    results["build_events_seconds"] = timed(partial(build_events, args.events))
    results["build_tasks_seconds"] = timed(partial(build_tasks, args.tasks))
    analyze()
    results["claim_plan"] = claim_plan()
    results["single_curator"] = single_curator(args.claims)
    results["load_before"] = os.getloadavg()
    results["eight_curators"] = {
        mode: concurrent_curators(8, mode, args.seconds, args.rounds)
        for mode in ("paced", "burst", "saturated")
    }
    results["task_page"] = task_pages(args.pages)
    results["full_build_seconds"] = timed(full_build)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "queues.json").write_text(json.dumps(results, indent=2, default=str))
    report(results)


def timed(function) -> float:
    started = time.monotonic()
    function()
    seconds = round(time.monotonic() - started, 1)
    print(f"  {getattr(function, 'func', function).__name__} {seconds} s", flush=True)
    return seconds


def build_events(count: int) -> None:
    from django.db import connection

    from events.demo_documents import generate_documents
    from events.models import Event
    from events.services.event_import import events_import
    from events.services.sources import Item

    if Event.objects.count() >= count:
        return
    documents = generate_documents(TEMPLATE_EVENTS, seed=7, places=2_000, organizers=800)
    items = (Item("bench", f"index {n}", data=document) for n, document in enumerate(documents))
    events_import(items=items, description="bench/queues.py templates")
    copies = -(-count // TEMPLATE_EVENTS) - 1
    columns = [field.column for field in Event._meta.concrete_fields if field.column != "id"]
    quoted = ", ".join(f'"{column}"' for column in columns)
    select = ", ".join(
        "md5(e.udb_id || '-' || g)::uuid::text" if column == "udb_id" else f'e."{column}"'
        for column in columns
    )
    with connection.cursor() as cursor:
        for copy in range(1, copies + 1, 20):  # 100,000 rows a statement
            last = min(copy + 19, copies)
            cursor.execute(
                f"INSERT INTO events_event ({quoted}) SELECT {select} "
                f"FROM events_event e, generate_series(%s, %s) g "
                f"WHERE e.id <= (SELECT min(id) + %s FROM events_event)",
                [copy, last, TEMPLATE_EVENTS - 1],
            )
            print(f"  events: {Event.objects.count():,}", flush=True)


def build_tasks(count: int) -> None:
    """Open tasks in the virtual queue; decided and live-claimed ones elsewhere."""
    from django.db import connection

    from core.models import User
    from curation.models import Queue, Task

    if Task.objects.filter(state="open").count() >= count:
        return
    virtual = Queue.objects.get(slug="virtual")
    others = list(Queue.objects.exclude(pk=virtual.pk).values_list("pk", flat=True))
    curator, _ = User.objects.get_or_create(username="bench-history")
    with connection.cursor() as cursor:
        # Open: the first `count` events in a scattered order, positioned by their start.
        cursor.execute(
            "INSERT INTO curation_task (queue_id, event_id, state, position, skip_reason, "
            "created_at) SELECT %s, id, 'open', "
            "COALESCE(extract(epoch FROM start)::bigint, 4611686018427387904), '', now() "
            "FROM events_event ORDER BY md5(id::text) LIMIT %s",
            [virtual.pk, count],
        )
        cursor.execute(
            "INSERT INTO curation_task (queue_id, event_id, state, position, skip_reason, "
            "created_at, closed_at, closed_by_id) "
            "SELECT (%s::bigint[])[1 + id %% %s], id, 'decided', id, '', "
            "now() - interval '20 days', now() - (id %% 20) * interval '1 day', %s "
            "FROM events_event ORDER BY id DESC LIMIT %s",
            [others, len(others), curator.pk, DECIDED_TASKS],
        )
        cursor.execute(
            "INSERT INTO curation_task (queue_id, event_id, state, position, skip_reason, "
            "created_at, claimed_by_id, claimed_at, lease_until) SELECT %s, id, 'claimed', 0, '', "
            "now(), %s, now(), now() + interval '1 day' "
            "FROM events_event WHERE id NOT IN (SELECT event_id FROM curation_task "
            "WHERE queue_id = %s) ORDER BY id LIMIT %s",
            [others[0], curator.pk, others[0], LIVE_CLAIMS],
        )
    print(f"  tasks: {Task.objects.count():,}", flush=True)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE curation_task")
        cursor.execute("ANALYZE events_event, events_place, events_organizer")


def curators(count: int, prefix: str = "bench-curator") -> list:
    from django.contrib.auth.models import Group

    from core.models import User

    group = Group.objects.get(name="curator")
    users = []
    for number in range(count):
        user, _ = User.objects.get_or_create(username=f"{prefix}-{number}")
        user.groups.add(group)
        users.append(user)
    return users


class _DatabaseClock:
    """Adds up the time spent in the database driver (round trips included)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def claim_and_decide(queue, curator, database_ms: list | None = None) -> float:
    """One claim, timed, then the decision (not timed) so the next claim is a new task."""
    from django.db import connection

    from curation.services.decisions import task_decide
    from curation.services.queues import task_claim_next

    clock = _DatabaseClock()
    with connection.execute_wrapper(clock):
        started = time.perf_counter()
        task = task_claim_next(queue=queue, curator=curator)
        elapsed = (time.perf_counter() - started) * 1000
    if database_ms is not None:
        database_ms.append(clock.seconds * 1000)
    task.queue = queue
    task_decide(task=task, curator=curator, values=VIRTUAL_DECISION)
    return elapsed


def single_curator(claims: int) -> dict:
    from curation.models import Queue

    queue = Queue.objects.get(slug="virtual")
    curator = curators(1, "bench-single")[0]
    database_ms = []
    timings = [claim_and_decide(queue, curator, database_ms) for _ in range(claims + 20)][20:]
    result = figures(timings)
    result["database"] = figures(database_ms[20:])
    print(f"  one curator: {result}", flush=True)
    return result


def _worker(number: int, mode: str, seconds: int, rounds: int, barrier, results) -> None:
    """One curator in its own process: `paced` (a think time of 0.2-0.8 s between tasks, far
    quicker than a person), `burst` (all curators claim at the same instant, `rounds` times)
    or `saturated` (claim after claim, no pause)."""
    import random

    from django.db import connection

    from curation.models import Queue

    connection.close()  # a connection of its own, not the parent's
    queue = Queue.objects.get(slug="virtual")
    curator = curators(number + 1, "bench-concurrent")[number]
    pause = random.Random(number)
    barrier.wait()
    timings, database_ms = [], []
    if mode == "burst":
        for _round in range(rounds):
            barrier.wait()
            timings.append(claim_and_decide(queue, curator, database_ms))
    else:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if mode == "paced":
                time.sleep(pause.uniform(0.2, 0.8))
            timings.append(claim_and_decide(queue, curator, database_ms))
    results.put((timings, database_ms))
    connection.close()


def concurrent_curators(count: int, mode: str, seconds: int, rounds: int = 100) -> dict:
    from django.db import connections

    curators(count, "bench-concurrent")
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(count), context.Queue()
    workers = [
        context.Process(target=_worker, args=(n, mode, seconds, rounds, barrier, results))
        for n in range(count)
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    timings, database_ms = [], []
    for _ in workers:
        worker_timings, worker_database_ms = results.get()
        timings += worker_timings
        database_ms += worker_database_ms
    for worker in workers:
        worker.join()
    result = figures(timings)
    result["database"] = figures(database_ms)
    result["claims_per_second"] = round(len(timings) / (time.monotonic() - started), 1)
    print(f"  eight curators, {mode}: {result}", flush=True)
    return result


def task_pages(count: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from curation.models import Queue, Task
    from curation.services.queues import task_claim_next

    queue = Queue.objects.get(slug="virtual")
    curator = curators(1, "bench-page")[0]
    client = Client()
    client.force_login(curator)
    timings, queries = [], set()
    for _ in range(count + 1):
        task = task_claim_next(queue=queue, curator=curator)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(f"/curation/tasks/{task.pk}/", secure=True)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"task page: HTTP {response.status_code}")
        queries.add(len(captured.captured_queries))
        # The next claim must hand out another task.
        Task.objects.filter(pk=task.pk).update(state="skipped")
    result = figures(timings[1:])  # the first request warms the term labels
    result["queries"] = sorted(queries)
    return result


def claim_plan() -> str:
    from django.db import connection
    from django.utils import timezone

    from curation.models import Queue

    queue = Queue.objects.get(slug="virtual")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM curation_task WHERE queue_id = %s AND "
            "(state = 'open' OR (state = 'claimed' AND lease_until < %s)) "
            "ORDER BY position, id LIMIT 1 FOR UPDATE SKIP LOCKED",
            [queue.pk, timezone.now()],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM curation_task WHERE queue_id = %s AND "
            "state = 'claimed' AND claimed_by_id = %s ORDER BY position, id LIMIT 1",
            [queue.pk, curators(1, "bench-plan")[0].pk],
        )
        plan += "\n\n" + "\n".join(row[0] for row in cursor.fetchall())
    print(plan)
    return plan


def full_build() -> None:
    from curation.services.queues import queues_build

    for result in queues_build():
        print(f"  {result.line()}", flush=True)


def figures(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "count": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95(ordered), 2),
        "max_ms": round(ordered[-1], 2),
    }


def report(results: dict) -> None:
    print(f"\n{results['events']:,} events, {results['open_tasks']:,} open tasks")
    print(f"  one curator: {results['single_curator']}")
    for mode, figures_ in results["eight_curators"].items():
        print(f"  eight curators, {mode}: {figures_}")
    print(f"  task page: {results['task_page']}")
    print(f"  full build of every queue: {results['full_build_seconds']} s")


if __name__ == "__main__":
    main()
