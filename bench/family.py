#!/usr/bin/env python
"""Family-offer benchmark: classify 1,000,000 events in one process.

    flock /work/bench.lock .venv/bin/python scripts/services.py run --durable -- \\
        .venv/bin/python bench/family.py [--events 1000000]

1. Events: as bench/queues.py builds them (5,000 generated documents through the real import,
   their rows then copied in SQL to `--events`). The copies repeat the templates' texts; the
   classifier keeps nothing per text, so repetition does not flatter it.
2. `family_classify_all` three times, each in a fresh process (peak memory is that process's
   own): the first run (every event without a stored result), a second run (nothing changed:
   the target is 0 rows written), and a run after a new rule version is activated (every row
   rewritten). Events per second, rows written, peak resident memory.
3. The import hook: `family_classify_events` on batches of 2,000 events, as the import calls
   it, per event; and 20,000 new documents imported with the family classification on and
   off (events per second of the whole import).
4. The evaluation with 20,000 curated decisions: the active version and a draft side by side.
"""

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
OUT = ROOT / "bench" / "out"
HOOK_BATCH = 2_000
HOOK_BATCHES = 20
IMPORT_DOCUMENTS = 20_000
DECISIONS = 20_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    setup()
    from queues import build_events  # bench/queues.py: the same 1,000,000 events

    results = {"events": args.events}
    started = time.monotonic()
    build_events(args.events)
    analyze()
    results["build_events_seconds"] = round(time.monotonic() - started, 1)
    results["first_run"] = in_child(classify_run)
    results["second_run"] = in_child(classify_run)
    activate_new_version()
    results["new_version_run"] = in_child(classify_run)
    results["hook"] = hook_per_event()
    results["import"] = import_with_and_without_hook()
    results["evaluation"] = evaluation(DECISIONS)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "family.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE events_event, family_familyclassification")


def in_child(function):
    """Run `function` in a fresh process; its result, with that process's peak memory."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_child, (function.__name__,))


def _child(name: str) -> dict:
    setup()
    before_mb = peak_rss_mb()
    result = globals()[name]()
    result["peak_rss_mb"] = round(peak_rss_mb())
    result["rss_after_django_setup_mb"] = round(before_mb)
    return result


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM). Not getrusage's
    ru_maxrss: Linux carries that over from the parent through fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def classify_run() -> dict:
    from family.services.classify import family_classify_all

    started = time.monotonic()
    result = family_classify_all()
    seconds = time.monotonic() - started
    line = {
        "seconds": round(seconds, 1),
        "events_per_second": round(result.classified / seconds),
        "classified": result.classified,
        "written": result.written,
        "family": result.family,
        "rule_version": result.rule_version,
    }
    print(f"  classify: {line}", flush=True)
    return line


def activate_new_version() -> None:
    from family.models import FamilyRule
    from family.services.versions import (
        family_rule_activate,
        family_rule_create,
        rule_as_json,
    )

    values = rule_as_json(FamilyRule.objects.get(is_active=True))
    values["keywords"] = [*values["keywords"], "speelnamiddag"]
    rule = family_rule_create(values=values, note="bench: one more keyword")
    family_rule_activate(rule=rule)


def hook_per_event() -> dict:
    """The hook's own cost: the import calls it with a batch's ids inside its transaction.
    Unchanged events (a re-import that changed nothing the rule reads) and new events (no
    stored row yet: deleted first, in the same transaction, which is then rolled back)."""
    from django.db import transaction

    from events.models import Event
    from family.models import FamilyClassification
    from family.services.classify import family_classify_events

    ids = list(
        Event.objects.order_by("?").values_list("pk", flat=True)[: HOOK_BATCH * HOOK_BATCHES]
    )
    timings = {"unchanged": [], "new": []}
    for number in range(max(1, len(ids) // HOOK_BATCH)):  # fewer batches at a small scale
        batch = ids[number * HOOK_BATCH : (number + 1) * HOOK_BATCH]
        for kind in timings:
            with transaction.atomic():
                if kind == "new":
                    FamilyClassification.objects.filter(event_id__in=batch).delete()
                started = time.perf_counter()
                family_classify_events(event_ids=batch)
                timings[kind].append((time.perf_counter() - started) / len(batch) * 1e6)
                transaction.set_rollback(True)
    result = {
        f"{kind}_microseconds_per_event_median": round(statistics.median(values), 1)
        for kind, values in timings.items()
    }
    print(f"  hook: {result}", flush=True)
    return result


def import_with_and_without_hook() -> dict:
    from events.demo_documents import generate_documents
    from events.services.event_import import events_import
    from events.services.sources import Item
    from events.signals import events_imported
    from family import listeners

    def run(seed: int) -> float:
        documents = list(generate_documents(IMPORT_DOCUMENTS, seed=seed, places=500))
        items = (Item("bench", f"index {n}", data=doc) for n, doc in enumerate(documents))
        started = time.monotonic()
        summary = events_import(items=items, description="bench/family.py")
        assert summary.created == IMPORT_DOCUMENTS, summary.line()
        return round(IMPORT_DOCUMENTS / (time.monotonic() - started))

    with_hook = run(101)
    # Without family's receiver the import writes no classification.
    events_imported.disconnect(listeners.classify_after_import)
    try:
        without_hook = run(102)
    finally:
        events_imported.connect(listeners.classify_after_import)
    with_hook_again = run(103)
    result = {
        "documents": IMPORT_DOCUMENTS,
        "with_classification_events_per_second": [with_hook, with_hook_again],
        "without_classification_events_per_second": without_hook,
    }
    print(f"  import: {result}", flush=True)
    return result


def evaluation(count: int) -> dict:
    """`count` curated decisions on random events, then the evaluation page's work."""
    from django.db import connection

    from family.models import FamilyRule
    from family.selectors import family_evaluation
    from family.services.versions import family_rule_create, rule_as_json

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO curation_eventcuration (event_id, confirmation, confirmation_note, "
            "offer_kind, url_state, corrected_url, location_fit, family, quality, "
            "quality_note, moderation, rejection_reason, rejection_note, findings, findings_note, "
            "family_decided_at) "
            "SELECT id, '', '', '', '', '', '', random() < 0.5, '{}', '', '', '', '', '', '', "
            "now() "
            "FROM events_event ORDER BY md5(id::text) LIMIT %s ON CONFLICT DO NOTHING",
            [count],
        )
    active = FamilyRule.objects.get(is_active=True)
    values = {**rule_as_json(active), "threshold": 2}
    draft = family_rule_create(values=values, note="bench: threshold 2")
    timings = []
    for _run in range(3):
        started = time.monotonic()
        evaluations = family_evaluation([active, draft])
        timings.append(time.monotonic() - started)
    result = {
        "decisions": evaluations[0].all.total,
        "seconds_two_versions_median": round(statistics.median(timings), 2),
    }
    print(f"  evaluation: {result}", flush=True)
    return result


if __name__ == "__main__":
    main()
