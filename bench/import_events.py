#!/usr/bin/env python
"""Import benchmark: N generated UiTdatabank events (1,000,000 by default) into PostgreSQL.

    flock /tmp/bench.lock .venv/bin/python scripts/services.py run --durable -- \\
        .venv/bin/python bench/import_events.py [--count 1000000]

1. Generates realistic JSON-LD documents (events/demo_documents.py) as JSON Lines, once.
2. Imports them with `manage.py import_events` in one process of its own (its peak memory is its
   own; DEBUG off as in production): the first import into an empty catalogue, then a re-import
   of the unchanged file. Events per second of each.
3. A plain COPY of the same rows (exported from the events table as CSV) into the events table
   itself, emptied in a transaction that is rolled back: the database's own time for those
   rows with the same indexes. Prints the first import's time as a multiple of it.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
OUT = ROOT / "bench" / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--places", type=int, default=20_000)
    parser.add_argument("--organizers", type=int, default=8_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    documents = OUT / f"events-{args.count}-{args.places}-{args.organizers}.jsonl"
    generated = generate(documents, args) if not documents.exists() else None
    probe_before = machine_probe()
    first = run_import(documents, "first import", "first")
    probe_after = machine_probe()
    again = run_import(documents, "re-import, unchanged", "again")
    copy_seconds = plain_copy_seconds()
    ratio = round(first["seconds"] / copy_seconds, 2)
    print(f"first import: {ratio} times the time of a plain COPY of the same rows", flush=True)
    results = {
        "events": args.count,
        "file_bytes": documents.stat().st_size,
        "generate_seconds": generated,
        "first_import": first,
        "reimport": again,
        "reimport_speedup": round(again["events_per_second"] / first["events_per_second"], 2),
        "plain_copy_seconds": round(copy_seconds, 1),
        "plain_copy_rows_per_second": round(args.count / copy_seconds),
        "first_import_time_over_plain_copy": ratio,
        "machine_probe_seconds_before_and_after_first_import": [probe_before, probe_after],
    }
    (OUT / "import_events.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


def generate(path: Path, args) -> float:
    import orjson

    from events.demo_documents import generate_documents

    started = time.monotonic()
    with open(path, "wb") as file:
        for document in generate_documents(
            args.count, seed=7, places=args.places, organizers=args.organizers
        ):
            file.write(orjson.dumps(document) + b"\n")
    seconds = time.monotonic() - started
    print(
        f"generated {args.count:,} documents, {path.stat().st_size / 1e9:.2f} GB in {seconds:.0f} s"
    )
    return round(seconds, 1)


def machine_probe() -> float:
    """Seconds of a fixed Python busy loop: the machine's own speed at this moment, which
    varies by up to half within an hour on the shared development machine (docs/benchmarks.md),
    so that a figure can be read beside it."""
    started = time.perf_counter()
    total = 0
    for number in range(30_000_000):
        total += number
    seconds = round(time.perf_counter() - started, 2)
    print(f"machine probe: {seconds} s (30 million additions; lower is faster)", flush=True)
    return seconds


def run_import(path: Path, label: str, name: str) -> dict:
    out_path, err_path = OUT / f"import-{name}.out", OUT / f"import-{name}.err"
    started, postgres_before = time.monotonic(), _postgres_cpu()
    command = [sys.executable, str(ROOT / "manage.py"), "import_events", str(path)]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=_PRODUCTION_ENVIRONMENT)
        _pid, status, usage = os.wait4(process.pid, 0)  # its CPU and peak memory (maxrss, kB)
    seconds = time.monotonic() - started
    postgres = _postgres_cpu() - postgres_before if postgres_before is not None else None
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{label} failed: {err_path.read_text()[-2000:]}")
    summary = out_path.read_text().strip().splitlines()[-1]
    count = sum(int(part.split()[1]) for part in summary.split(", "))
    result = {
        "seconds": round(seconds, 1),
        "events_per_second": round(count / seconds),
        "peak_memory_mb": round(usage.ru_maxrss / 1024),
        "summary": summary,
        "import_process_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "postgres_cpu_seconds": round(postgres, 1) if postgres is not None else None,
    }
    print(
        f"{label}: {summary} in {seconds:.1f} s = {result['events_per_second']:,}/s, "
        f"peak memory {result['peak_memory_mb']} MB; CPU: import process "
        f"{result['import_process_cpu_seconds']} s, PostgreSQL {result['postgres_cpu_seconds']} s",
        flush=True,
    )
    return result


# As production runs it: DEBUG off (no query log kept), which asks for a real secret key.
_PRODUCTION_ENVIRONMENT = {
    **os.environ,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "localhost",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x9Tq2LmV8sPz" * 5),
}


def _postgres_cpu() -> float | None:
    """CPU seconds used so far by the PostgreSQL server's processes, ended ones included."""
    from django.db import connection

    ticks = os.sysconf("SC_CLK_TCK")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        postmaster = int(_proc_stat(backend)[1])
        total = sum(int(value) for value in _proc_stat(postmaster)[11:15])  # with ended children
        for pid in filter(str.isdigit, os.listdir("/proc")):
            fields = _proc_stat(pid)
            if fields and int(fields[1]) == postmaster:
                total += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return total / ticks


def _proc_stat(pid) -> list[str]:
    """The fields of /proc/PID/stat after the command name, from the state on."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def plain_copy_seconds() -> float:
    """Seconds of a plain COPY of the events' rows into the events table, emptied in a
    transaction that is then rolled back (the catalogue stays for bench/list_pages.py)."""
    from django.db import connection, transaction

    rows = OUT / "events.csv"
    with connection.cursor() as cursor, open(rows, "wb") as file:
        cursor.cursor.copy_expert("COPY events_event TO STDOUT (FORMAT csv)", file)
    try:
        with transaction.atomic(), connection.cursor() as cursor, open(rows, "rb") as file:
            cursor.execute("TRUNCATE events_event CASCADE")
            started = time.monotonic()
            cursor.cursor.copy_expert(
                "COPY events_event FROM STDIN (FORMAT csv)", file, size=1 << 20
            )
            seconds = time.monotonic() - started
            transaction.set_rollback(True)
    finally:
        rows.unlink()
    print(f"plain COPY of the same rows into the events table: {seconds:.1f} s", flush=True)
    return seconds


if __name__ == "__main__":
    main()
