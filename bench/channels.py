#!/usr/bin/env python
"""Channels benchmark: 600 channels, 50,000,000 Snowplow widget events over two years.

    flock /tmp/bench.lock .venv/bin/python scripts/services.py run --durable -- \\
        .venv/bin/python bench/channels.py [--events 50000000]

1. Generates, once, one gzipped enriched-TSV file per day into bench/out/channels-<events>/
   (reused when present). Lines carry the fields a browser tracker fills (user agent, page,
   referrer, geo, ...), about 1.1 kB each; 2 % are events of unknown widgets, 1 % another
   app's, 1 % page pings (not counted).
2. Imports them with `import_widget_events` (the command, in this process): events/s and the
   resident memory after each tenth of the files (flat memory: it does not grow with the
   events), and the peak (ru_maxrss).
3. The nightly rebuild (`rebuild_channel_summaries`'s service).
4. Pages through Django's test client: the staff dashboard (12 and 24 months), the channels
   table, the busiest channel's page and the summary API, p50 and p95; beside them the staff
   dashboard's figures computed from the raw daily rows, with a check that both agree.
"""

import argparse
import datetime
import gzip
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This script's own name is the app's: the project root goes first, bench/ (for _django) last.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
sys.path.append(str(ROOT / "bench"))

from _django import p95, timed_requests, web_environment  # noqa: E402

web_environment()
OUT = ROOT / "bench" / "out"
CHANNELS, DAYS = 600, 730
NAMESPACE = uuid.UUID("0c7e3a52-51f6-4f0b-9a7e-6f2d1b4c9e21")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    directory = OUT / f"channels-{args.events}"
    results = {"events": args.events, "generate": generate(directory, args.events)}
    if args.generate_only:
        print(json.dumps(results, indent=2, default=str))
        return
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    results["channels"] = channels()
    results["import"] = import_events(directory)
    results["rebuild_seconds"] = rebuild()
    results["pages"] = pages(args.repeat)
    results["raw"] = raw_beside_summaries()
    print(json.dumps(results, indent=2, default=str))
    (OUT / f"channels-{args.events}.json").write_text(json.dumps(results, indent=2, default=str))


# The data.


def _channel_id(index: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"channel/{index}"))


def _pages(index: int) -> list[str]:
    return [f"{uuid.uuid5(NAMESPACE, f'page/{index}/{n}').hex}" for n in range(1 + index % 4)]


def _templates(rng: random.Random) -> list[tuple[float, str]]:
    """A line per (page, kind) with \\x01 for the timestamp and \\x02 for the event id, and
    the page's weight: channels differ a lot in size (a few big, many small)."""
    from tests.channels.snowplow_lines import enriched_line

    stamp = datetime.datetime(2000, 1, 1)
    templates = []
    for index in range(CHANNELS):
        weight = 1 / (1 + index) ** 0.8
        for page in _pages(index):
            for kind, share in (
                ("page_view", 0.4),
                ("teaser_impression", 0.5),
                ("button_click", 0.1),
            ):
                event_page = kind == "page_view" and rng.random() < 0.3
                line = enriched_line(
                    page_id=page,
                    at=stamp,
                    kind=kind,
                    event_id="\x02",
                    page_type="event_page" if event_page else "search_page",
                    cdbid=str(uuid.uuid5(NAMESPACE, f"event/{rng.randrange(5000)}")),
                )
                templates.append((weight * share, _filled(line)))
    unknown = enriched_line(page_id="unknown-widget-page", at=stamp, event_id="\x02")
    other = enriched_line(page_id=None, at=stamp, app_id="uitinvlaanderen", event_id="\x02")
    ping = enriched_line(page_id="x", at=stamp, kind="page_ping", event_id="\x02")
    total = sum(weight for weight, _line in templates)
    extra = [
        (0.02 * total, _filled(unknown)),
        (0.01 * total, _filled(other)),
        (0.01 * total, _filled(ping)),
    ]
    return templates + extra


FILLERS = {  # what a browser tracker adds: about 1.1 kB a line in all
    8: "js-3.17.0",
    9: "js-3.17.0",
    13: "81.164.x.x",
    15: "b3a1f0c2-9d8e-4f7a-a6b5-c4d3e2f1a0b9",
    16: "7",
    17: "e5f4d3c2-b1a0-4f9e-8d7c-6b5a49382716",
    18: "BE",
    19: "VOV",
    20: "Aalst",
    21: "9300",
    22: "50.9378",
    23: "4.0403",
    30: "UiT in Aalst - agenda",
    31: "https://www.google.com/",
    32: "https",
    33: "www.uitinaalst.be",
    34: "443",
    35: "/agenda",
    36: "page=2&what=concerten",
    39: "https",
    40: "www.google.com",
    42: "/",
    45: "search",
    46: "Google",
    67: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    68: "Chrome",
    69: "Browser",
    70: "120.0.0.0",
    71: "Browser",
    72: "WEBKIT",
    73: "nl-BE",
    80: "1",
    81: "24",
    82: "1920",
    83: "937",
    84: "Windows 10",
    85: "Windows",
    86: "Microsoft",
    87: "Europe/Brussels",
    88: "Computer",
    89: "0",
    90: "1920",
    91: "1080",
    92: "UTF-8",
    93: "1903",
    94: "4210",
    123: "be2c5c63-0d62-4f4b-8f2e-3a3b8d1e7c55",
    128: "9a3c1f7e6d5b4a39281706f5e4d3c2b1",
}


def _filled(line: str) -> str:
    fields = line.split("\t")
    for index, value in FILLERS.items():
        fields[index] = fields[index] or value
    text = "\t".join(fields)
    return text.replace("2000-01-01 00:00:00.000", "\x01")


def generate(directory: Path, events: int) -> dict:
    done = directory / "done.json"
    if done.exists():
        return json.loads(done.read_text())
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(22)
    weights, lines = zip(*_templates(rng), strict=True)
    first = datetime.date.today() - datetime.timedelta(days=DAYS - 1)
    started, written, counter = time.perf_counter(), 0, 0
    per_day = events // DAYS
    for offset in range(DAYS):
        day = first + datetime.timedelta(days=offset)
        count = per_day + (1 if offset < events - per_day * DAYS else 0)
        chosen = rng.choices(lines, weights=weights, k=count)
        with gzip.open(directory / f"events-{day}.tsv.gz", "wt", compresslevel=1) as stream:
            chunk = []
            for number, template in enumerate(chosen):
                seconds = number * 86_000 // count
                stamp = (
                    f"{day} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000"
                )
                counter += 1
                chunk.append(template.replace("\x01", stamp).replace("\x02", f"{counter:032x}"))
                if len(chunk) == 10_000:
                    stream.write("\n".join(chunk) + "\n")
                    chunk = []
            if chunk:
                stream.write("\n".join(chunk) + "\n")
        written += count
    size = sum(path.stat().st_size for path in directory.glob("*.gz"))
    result = {
        "events": written,
        "files": DAYS,
        "gzipped_bytes": size,
        "seconds": round(time.perf_counter() - started, 1),
    }
    done.write_text(json.dumps(result))
    return result


def channels() -> dict:
    """600 integrations through import_channels, every page known."""
    import tempfile

    from django.core.management import call_command

    start = (datetime.date.today() - datetime.timedelta(days=DAYS + 30)).isoformat()
    types = ("widgets", "widgets", "widgets", "search-api")
    documents = [
        {
            "id": _channel_id(index),
            "type": types[index % 4],
            "name": f"Channel {index:03d}",
            "status": "active",
            "partnerStatus": "First party" if index % 25 == 0 else "Third party",
            "organization": {
                "id": str(uuid.uuid5(NAMESPACE, f"partner/{index % 300}")),
                "name": f"Gemeente {index % 300}",
                "address": {"city": f"Gemeente {index % 300}"},
            },
            "widgetPages": [{"id": page, "title": f"Page {page[:6]}"} for page in _pages(index)],
        }
        for index in range(CHANNELS)
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(documents, file)
        file.flush()
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("import_channels", file.name, date=start, stdout=quiet)
    return {"channels": CHANNELS, "seconds": round(time.perf_counter() - started, 2)}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def import_events(directory: Path) -> dict:
    """The command's service over every file: events/s, and the resident memory sampled every
    million events (flat: it follows the pages and days of a file, not its events)."""
    from channels.services.inputs import ImportSummary
    from channels.services.widget_events import widget_events_import

    files = sorted(directory.glob("*.tsv.gz"))
    summary, samples, bad = ImportSummary(), [], []

    def sample() -> None:  # after each file and every 65,536 lines: one sample a million
        if not samples or summary.read - samples[-1][0] >= 1_000_000:
            samples.append((summary.read, _rss_mb()))

    started = time.perf_counter()
    widget_events_import(
        paths=files, on_bad=bad.append, on_unreadable=bad.append, on_line=sample, summary=summary
    )
    elapsed = time.perf_counter() - started
    again = time.perf_counter()
    widget_events_import(paths=files[:1], on_bad=bad.append, on_unreadable=bad.append)
    return {
        "events_read": summary.read,
        "kept": summary.kept,
        "skipped": summary.skipped,
        "bad": summary.bad,
        "seconds": round(elapsed, 1),
        "events_per_second": round(summary.read / elapsed),
        "rss_mb_by_events_read": samples,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "same_file_again_seconds": round(time.perf_counter() - again, 2),
    }


def rebuild() -> float:
    from channels.services.summaries import summaries_rebuild

    return round(summaries_rebuild().seconds, 1)


def figures(timings_ms: list[float]) -> dict:
    ordered = sorted(timings_ms)
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95(ordered), 1)}


def pages(repeat: int) -> dict:
    from django.db.models import Sum
    from django.test import Client
    from django.urls import reverse

    from channels.models import ChannelMonth
    from core.models import User

    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_superuser": True})
    client = Client()
    client.force_login(staff)
    busiest = (
        ChannelMonth.objects.values("channel")
        .annotate(v=Sum("views"))
        .order_by("-v")
        .first()["channel"]
    )
    today = datetime.date.today()
    two_years = {
        "period": "custom",
        "from": f"{today.year - 2}-{today.month:02d}",
        "to": f"{today:%Y-%m}",
    }
    result = {}
    for name, url, params in (
        ("staff dashboard, 12 months", reverse("channels:staff"), {}),
        ("staff dashboard, 24 months", reverse("channels:staff"), two_years),
        ("channels table", reverse("channels:list"), {}),
        ("channels table by consultations", reverse("channels:list"), {"sort": "-views_30"}),
        ("channel page", reverse("channels:channel", args=[busiest]), {}),
        (
            "summary API, 24 months",
            reverse("channels_api:summary"),
            {"from": two_years["from"], "to": two_years["to"]},
        ),
    ):
        timings, queries = timed_requests(client, url, params, repeat)
        result[name] = {**figures(timings), "queries": queries}
    return result


def raw_beside_summaries() -> dict:
    """The staff dashboard's month figures from the raw daily rows (the months query without
    the summary table), timed, and compared with what the page reads."""
    from django.db import connection

    from channels import selectors
    from channels.services.summaries import CHANNEL_MONTHS_SQL, channel_months_params
    from dashboards.periods import default_period

    period = default_period()
    sums = ", ".join(
        f"sum({name}::int)" if name in selectors.FLAGS else f"sum({name})"
        for name in selectors.FIGURES
    )
    sql = (
        f"SELECT month, {sums} FROM ({CHANNEL_MONTHS_SQL}) m"
        " WHERE month BETWEEN %(a)s AND %(b)s GROUP BY month ORDER BY month"
    )
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, {**channel_months_params(), "a": period.first, "b": period.last})
            raw = {row[0]: dict(zip(selectors.FIGURES, row[1:], strict=True)) for row in cursor}
        timings.append((time.perf_counter() - started) * 1000)
    summaries_timings = []
    for _ in range(3):
        started = time.perf_counter()
        read = selectors.month_figures(period.first, period.last)
        summaries_timings.append((time.perf_counter() - started) * 1000)
    read = {month: values for (month, _group), values in read.items()}
    return {
        "raw_ms": round(min(timings), 1),
        "summaries_ms": round(min(summaries_timings), 1),
        "equal": raw == read,
    }


if __name__ == "__main__":
    main()
