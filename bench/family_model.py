#!/usr/bin/env python
"""Family-model benchmark: training on 100,000 labels, then 1,000,000 events classified by it.

    flock /tmp/bench.lock .venv/bin/python scripts/services.py run --durable -- \\
        .venv/bin/python bench/family_model.py [--events 1000000] [--labels 100000]

1. Events: as bench/queues.py builds them (5,000 generated documents through the real import,
   copied in SQL). The classifier keeps per word (not per text) the word's feature indices,
   so the copies' repeated texts still cost each event its own tokenising and counting.
2. Labels: every (events / labels)-th event gets a curated label, family where its maximum age
   is 12 or less, flipped for one in ten (curators disagree with ages too).
3. `family_model_train` (cross-validation and the final fit), timed; the version activated.
4. `family_classify_all` twice, each in a fresh process (peak memory is its own): the first run
   writes every row, the second must write none.
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
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
OUT = ROOT / "bench" / "out"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--labels", type=int, default=100_000)
    parser.add_argument("--phase", choices=["classify"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    import django

    django.setup()
    if args.phase == "classify":
        print(json.dumps(classify_run()))
        return
    from django.core.management import call_command
    from queues import build_events  # bench/queues.py: the same 1,000,000 events

    call_command("migrate", verbosity=0)
    results = {"events": args.events, "labels": args.labels}
    started = time.monotonic()
    build_events(args.events)
    results["build_events_seconds"] = round(time.monotonic() - started, 1)
    label(args.events, args.labels)
    results["training"] = train()
    results["first_run"] = in_child()
    results["second_run"] = in_child()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "family_model.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


def label(events: int, labels: int) -> None:
    from django.db import connection

    step = max(events // labels, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO curation_eventcuration (event_id, confirmation, confirmation_note, "
            "offer_kind, url_state, corrected_url, location_fit, family, family_decided_at, "
            "quality, quality_note, moderation, rejection_reason, rejection_note, findings, "
            "findings_note) "
            "SELECT id, '', '', '', '', '', '', "
            "coalesce(max_age <= 12, false) <> (id %% 10 = 0), now(), '{}', '', '', '', '', '', '' "
            "FROM events_event WHERE id %% %s = 0 ORDER BY id LIMIT %s "
            "ON CONFLICT (event_id) DO NOTHING",
            [step, labels],
        )
        cursor.execute("VACUUM ANALYZE events_event, curation_eventcuration")


def train() -> dict:
    from family.services.model import family_model_activate, family_model_train

    started = time.monotonic()
    model = family_model_train()
    seconds = time.monotonic() - started
    family_model_activate(model=model)
    result = {
        "seconds": round(seconds, 1),
        "examples": model.examples,
        "features": len(model.features),
        "rule": model.figures["rule"],
        "model": model.figures["model"],
    }
    print(f"  train: {result}", flush=True)
    return result


def in_child() -> dict:
    """classify_run in a fresh process (its own peak memory)."""
    done = subprocess.run(
        [sys.executable, __file__, "--phase", "classify"],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  classify: {result}", flush=True)
    return result


def classify_run() -> dict:
    from family.services.classify import family_classify_all

    started = time.monotonic()
    result = family_classify_all()
    seconds = time.monotonic() - started
    return {
        "seconds": round(seconds, 1),
        "classified": result.classified,
        "written": result.written,
        "family": result.family,
        "peak_rss_mb": round(peak_rss_mb()),
    }


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main()
