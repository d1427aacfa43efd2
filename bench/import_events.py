#!/usr/bin/env python
"""Import benchmark: N generated UiTdatabank events (1,000,000 by default) into PostgreSQL.

    flock /work/bench.lock .venv/bin/python scripts/services.py run --durable -- \\
        .venv/bin/python bench/import_events.py [--count 1000000]

1. Generates realistic JSON-LD documents (curation/demo_documents.py: Dutch texts of realistic
   length, the real term ids, places and organisers shared between events) as JSON Lines.
2. Imports them with `manage.py import_events --jobs N` (N = the machine's cores by default; a
   separate process, so its peak memory is its own, summed over its processes, with DEBUG off
   as in production): events per second for the first import, then for a re-import of the
   unchanged file.
3. Loads the same flattened rows with COPY into a bare table (no index, no constraint) and
   prints the import's rate as a share of that limit.
"""

import argparse
import contextlib
import json
import os
import re
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
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count(), help="import processes (the machine's cores)"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    documents = OUT / f"events-{args.count}-{args.places}-{args.organizers}.jsonl"
    generated = generate(documents, args) if not documents.exists() else None
    probe_before = machine_probe()
    first = run_import(documents, "first import", args.jobs)
    probe_after = machine_probe()
    again = run_import(documents, "re-import, unchanged", args.jobs)
    copy_rate = copy_baseline(documents)
    results = {
        "events": args.count,
        "jobs": args.jobs,
        "file_bytes": documents.stat().st_size,
        "generate_seconds": generated,
        "first_import": first,
        "reimport": again,
        "reimport_speedup": round(again["events_per_second"] / first["events_per_second"], 2),
        "copy_events_per_second": copy_rate,
        "first_import_share_of_copy": round(first["events_per_second"] / copy_rate, 3),
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


def run_import(path: Path, label: str, jobs: int) -> dict:
    out_path, err_path = OUT / "import.out", OUT / "import.err"
    started, busy_before, postgres_before = time.monotonic(), _machine_busy(), _postgres_cpu()
    command = [sys.executable, str(ROOT / "manage.py"), "import_events", f"--jobs={jobs}"]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(
            [*command, str(path)], stdout=out, stderr=err, env=_PRODUCTION_ENVIRONMENT
        )
        memory = _TreeMemory(process.pid)
        # wait4 rather than wait: CPU of the process and of its own processes (--jobs), and
        # the peak memory of the largest of them (maxrss, in kB).
        _pid, status, usage = os.wait4(process.pid, 0)
        memory.stop()
    seconds = time.monotonic() - started
    busy = [after - before for after, before in zip(_machine_busy(), busy_before, strict=True)]
    postgres = _postgres_cpu() - postgres_before if postgres_before is not None else None
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{label} failed ({process.returncode}): {err_path.read_text()[-2000:]}")
    summary = out_path.read_text().strip().splitlines()[-1]
    count = sum(int(part.split()[1]) for part in summary.split(", "))
    result = {
        "seconds": round(seconds, 1),
        "events_per_second": round(count / seconds),
        "peak_memory_mb": round(memory.peak / 2**20),  # all its processes together
        "largest_process_peak_memory_mb": round(usage.ru_maxrss / 1024),
        "summary": summary,
        # Where the time went: CPU of the import process (both its threads) and of the
        # PostgreSQL server, and how many of the machine's cores were busy meanwhile, with
        # whatever else was running on it.
        "import_process_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "postgres_cpu_seconds": round(postgres, 1) if postgres is not None else None,
        "machine_cores_busy": round(busy[0] / busy[1], 2) if busy[1] else None,
        # A first import into an empty catalogue builds the secondary indexes at its end.
        "index_build_seconds": _index_build_seconds(err_path.read_text()),
    }
    print(
        f"{label}: {summary} in {seconds:.1f} s = {result['events_per_second']:,}/s, "
        f"peak memory {result['peak_memory_mb']} MB; CPU: import processes "
        f"{result['import_process_cpu_seconds']} s, PostgreSQL {result['postgres_cpu_seconds']} s; "
        f"cores busy on average {result['machine_cores_busy']}",
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


def _index_build_seconds(stderr: str) -> float | None:
    found = re.search(r"built \d+ indexes and foreign keys of the \D+ in ([\d.]+) s", stderr)
    return float(found.group(1)) if found else None


class _TreeMemory:
    """The peak of the resident memory of a process and its children together, sampled."""

    def __init__(self, pid: int):
        import threading

        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.done.wait(0.2):
            children: dict[str, list[str]] = {}
            for pid in filter(str.isdigit, os.listdir("/proc")):
                fields = _proc_stat(pid)
                if fields:
                    children.setdefault(fields[1], []).append(pid)
            tree, total = [str(self.pid)], 0
            while tree:
                pid = tree.pop()
                tree.extend(children.get(pid, []))
                with contextlib.suppress(OSError, IndexError, ValueError):
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            self.peak = max(self.peak, total)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


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


def _machine_busy() -> tuple[float, float]:
    """(busy core-seconds, elapsed seconds) so far, from /proc/stat (Linux)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
    except OSError:
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / ticks, time.monotonic()


def copy_baseline(path: Path) -> float:
    """COPY the import's own flattened rows into a bare table: the database's limit."""
    import orjson
    from django.db import connection
    from django.utils import timezone

    from events.services import documents as readers
    from events.services.event_import import _Document, _event_row, _Pending, _Version
    from events.services.writers import COPY_HEADER, COPY_TRAILER, EVENT_COLUMNS, copy_tuples

    rows_file = OUT / "copy_rows.bin"
    count, embedded, now = 0, {}, timezone.now()
    with open(path, "rb") as source, open(rows_file, "wb") as target:
        target.write(COPY_HEADER)
        batch = []
        for line in source:
            count += 1
            text = line.strip()
            data = orjson.loads(text)
            _kind, udb_id = readers.identify(data)
            record = readers.event_record(data, udb_id, embedded)
            version = _Version(count, readers.content_hash(text), record.modified, [])
            document = _Document(None, data, "event", udb_id, version.hash, text)
            batch.append(_event_row(_Pending(document, record, version), now, None))
            if len(batch) == 5000:
                target.write(copy_tuples(batch))
                batch = []
        target.write(copy_tuples(batch))
        target.write(COPY_TRAILER)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE TABLE bench_copy (LIKE events_event INCLUDING DEFAULTS)")
        # Stored like the events table (migrations 0002 and 0004), without its indexes.
        cursor.execute("ALTER TABLE bench_copy SET (toast_tuple_target = 8160)")
        cursor.execute("ALTER TABLE bench_copy ALTER COLUMN document SET COMPRESSION lz4")
    columns = ", ".join(f'"{column}"' for column in EVENT_COLUMNS)
    started = time.monotonic()
    with connection.cursor() as cursor, open(rows_file, "rb") as rows:
        cursor.cursor.copy_expert(
            f"COPY bench_copy ({columns}) FROM STDIN (FORMAT binary)", rows, size=1 << 20
        )
    seconds = time.monotonic() - started
    rate = round(count / seconds)
    print(
        f"COPY of the same {count:,} flattened rows into a bare table: {seconds:.1f} s = {rate:,}/s"
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy")
    rows_file.unlink()
    return rate


if __name__ == "__main__":
    main()
