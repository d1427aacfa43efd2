#!/usr/bin/env python
# ruff: noqa: E501 - the SQL that builds the data reads best on long lines
"""UiTPAS benchmark: 300 municipalities, 40 card systems, 500,000 holders, 10,000,000
check-ins, 1,000,000 redemptions, 2,000,000 ticket sales over six years.

    flock /tmp/bench.lock /work/main/.venv/bin/python scripts/services.py run --durable -- \\
        /work/main/.venv/bin/python bench/uitpas.py [--scale 0.1]

Data is written with INSERT ... SELECT generate_series (skipped when the database already holds
it), then: the nightly rebuild; the import of check-ins (JSON Lines through `import_records`,
records/s); the pages through Django's test client (p50/p95); each KSB figure read from the
summaries beside the same figure computed from the raw tables, and a check that they agree.
Figures go to stdout and bench/out/uitpas.json.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import ROOT, p95, setup, timed_requests

SIZES = {
    "municipalities": 300,
    "systems": 40,
    "holders": 500_000,
    "checkins": 10_000_000,
    "redemptions": 1_000_000,
    "sales": 2_000_000,
}
YEARS = 6


def build(cursor, scale: float) -> dict:
    n = {k: (v if k in ("municipalities", "systems") else int(v * scale)) for k, v in SIZES.items()}
    start = datetime.date.today().replace(month=1, day=1) - datetime.timedelta(
        days=365 * (YEARS - 1)
    )
    days = (datetime.date.today() - start).days
    cursor.execute("SELECT count(*) FROM uitpas_checkin")
    if cursor.fetchone()[0] >= n["checkins"]:
        return n
    statements = [
        "TRUNCATE uitpas_checkin, uitpas_redemption, uitpas_ticketsale, uitpas_passholder,"
        " uitpas_membership, uitpas_population, uitpas_postalcode, uitpas_municipality,"
        " uitpas_cardsystem, uitpas_holdermonth, uitpas_periodfigures, uitpas_profilefigures CASCADE",
        f"INSERT INTO uitpas_cardsystem (id, name) SELECT i, 'Region ' || i FROM generate_series(1, {n['systems']}) i",
        f"""INSERT INTO uitpas_municipality (nis_code, name, province, uitpas_since, discount_share,
            size_class, card_system_id)
            SELECT (10000 + i)::text, 'Municipality ' || i, 'Province ' || (i % 5),
                   make_date({start.year} + i % 5, 1 + (i % 4) * 3, 1), 0.5,
                   (ARRAY['small','medium','large','city','big_city'])[1 + i % 5], 1 + i % {n["systems"]}
              FROM generate_series(1, {n["municipalities"]}) i""",
        f"""INSERT INTO uitpas_postalcode (code, municipality_id)
            SELECT (1000 + i)::text, (10000 + i)::text FROM generate_series(1, {n["municipalities"]}) i""",
        f"""INSERT INTO uitpas_population (municipality_id, year, inhabitants, people_in_poverty)
            SELECT (10000 + i)::text, y, 5000 + (i * 997) % 120000, 300 + (i * 37) % 9000
              FROM generate_series(1, {n["municipalities"]}) i,
                   generate_series({start.year}, {start.year + YEARS + 1}) y""",
        # Holders are spread unevenly: municipality = a skewed draw over 300.
        f"""INSERT INTO uitpas_passholder (id, birth_year, postal_code, municipality_id, created_on,
            social_active, social_end)
            SELECT md5('h' || i)::uuid, 1940 + i % 80, (1000 + m)::text, (10000 + m)::text,
                   DATE '{start}' + (hashint(i, 1) % {days}), hashint(i, 2) % 10 = 0,
                   CASE WHEN hashint(i, 3) % 10 = 0 THEN DATE '{start}' + (hashint(i, 4) % {days}) END
              FROM (SELECT i, 1 + floor({n["municipalities"]} * power(hashint(i, 5) / 1e9, 1.6))::int AS m
                      FROM generate_series(1, {n["holders"]}) i) s""",
        f"""INSERT INTO uitpas_checkin (id, passholder_id, day, points)
            SELECT 'c' || i, md5('h' || (1 + hashint(i, 6) % {n["holders"]}))::uuid,
                   DATE '{start}' + (hashint(i, 7) % {days}), hashint(i, 8) % 3
              FROM generate_series(1, {n["checkins"]}) i ORDER BY 3""",
        f"""INSERT INTO uitpas_redemption (id, passholder_id, day, points)
            SELECT 'r' || i, md5('h' || (1 + hashint(i, 9) % {n["holders"]}))::uuid,
                   DATE '{start}' + (hashint(i, 10) % {days}), 1 + hashint(i, 11) % 10
              FROM generate_series(1, {n["redemptions"]}) i ORDER BY 3""",
        f"""INSERT INTO uitpas_ticketsale (id, passholder_id, day, tariff_type, price, regular_price)
            SELECT 's' || i, md5('h' || (1 + hashint(i, 12) % {n["holders"]}))::uuid,
                   DATE '{start}' + (hashint(i, 13) % {days}),
                   CASE WHEN hashint(i, 14) % 3 = 0 THEN 'COUPON' ELSE 'SOCIALTARIFF' END, 3, 12
              FROM generate_series(1, {n["sales"]}) i ORDER BY 3""",
        "ANALYZE",
    ]
    cursor.execute(
        "CREATE OR REPLACE FUNCTION hashint(i bigint, salt int) RETURNS int LANGUAGE sql "
        "IMMUTABLE AS $$ SELECT (abs(hashtextextended(i::text, salt)) % 1000000000)::int $$"
    )
    for sql in statements:
        started = time.perf_counter()
        cursor.execute(sql)
        print(
            f"  {[*sql.split(), '', '', ''][2]:<22} {time.perf_counter() - started:6.1f} s",
            flush=True,
        )
    return n


def import_rate(count: int) -> float:
    """Check-ins per second through the import (JSON Lines file, parse, COPY, upsert)."""
    from events.services.sources import ReadProgress, read_files
    from uitpas.services import imports

    path = ROOT / "bench" / "out" / f"uitpas-checkins-{count}.jsonl"
    if not path.exists():
        with path.open("w") as file:
            for i in range(count):
                file.write(
                    json.dumps(
                        {
                            "id": f"bench-{i}",
                            "creationDate": "2026-03-01T10:00:00Z",
                            "eventId": "e",
                            "points": 1,
                            "passholder": {"id": "8703fee0-29cc-452c-b1af-94ef494d4196"},
                        }
                    )
                    + "\n"
                )
    started = time.perf_counter()
    summary = imports.import_records("checkins", read_files([path], ReadProgress(), print), print)
    seconds = time.perf_counter() - started
    assert summary.imported == count, summary.line()
    from uitpas.models import Checkin

    Checkin.objects.filter(id__startswith="bench-").delete()
    return count / seconds


def compare(first: datetime.date, end: datetime.date, busiest: str) -> tuple[bool, int, int]:
    """Every municipality's counts of first..end from the summaries (as the page reads them)
    and from the raw tables: (all equal, ms, ms)."""
    from uitpas import figures, selectors

    started = time.perf_counter()
    summary = selectors.period_counts(first, end)
    summary_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    raw = figures.counts(first, end, raw=True)
    raw_ms = (time.perf_counter() - started) * 1000
    print(f"{first}..{end}, all municipalities: summaries {summary_ms:.0f} ms, raw {raw_ms:.0f} ms")
    for measure in figures.MEASURES:
        mine, theirs = summary[busiest][measure], raw[busiest][measure]
        print(f"  {measure:<24} summaries {mine:>12}  raw {theirs:>12}")
    equal = all(
        round(summary[code][m], 2) == round(raw[code][m], 2)
        for code in raw
        for m in figures.MEASURES
    )
    return equal, round(summary_ms), round(raw_ms)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--only", choices=["rebuild", "pages"], help="only this part (while trying things out)"
    )
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    setup()
    from django.db import connection
    from django.test import Client

    from core.models import User
    from dashboards.periods import add_months, month_end, month_start
    from uitpas.models import Municipality
    from uitpas.services.summaries import summaries_rebuild

    results = {"scale": args.scale}
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    with connection.cursor() as cursor:
        results["sizes"] = build(cursor, args.scale)
    if args.only != "pages":
        started = time.perf_counter()
        rebuilt = summaries_rebuild()
        results["rebuild_s"], results["rebuild_stages"] = rebuilt["seconds"], rebuilt["stages"]
        print(
            f"nightly rebuild: {time.perf_counter() - started:.1f} s {rebuilt['stages']}",
            flush=True,
        )
    if args.only == "rebuild":
        return
    if args.only is None:
        results["import_per_s"] = round(import_rate(200_000))
        print(f"import of check-ins: {results['import_per_s']:,}/s", flush=True)

    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench", "bench@example.be", "x"
    )
    client = Client()
    client.force_login(user)
    busiest = Municipality.objects.get(nis_code="10001")
    this_month = month_start(datetime.date.today())
    last = add_months(this_month, -1)
    pages = {
        "ksb month": (
            f"/uitpas/municipalities/{busiest.pk}/",
            {"period": "month", "from": f"{last:%Y-%m}"},
        ),
        "ksb quarter": (
            f"/uitpas/municipalities/{busiest.pk}/",
            {"period": "quarter", "from": f"{add_months(last, -3):%Y-%m}"},
        ),
        "ksb year": (
            f"/uitpas/municipalities/{busiest.pk}/",
            {"period": "year", "from": f"{last.year - 1}-01"},
        ),
        "ksb last 12 months": (f"/uitpas/municipalities/{busiest.pk}/", {}),
        "ksb card system year": (
            f"/uitpas/card-systems/{busiest.card_system_id}/",
            {"period": "year", "from": f"{last.year - 1}-01"},
        ),
        "ksb custom 26 months": (
            f"/uitpas/municipalities/{busiest.pk}/",
            {
                "period": "custom",
                "from": f"{add_months(last, -30):%Y-%m}",
                "to": f"{add_months(last, -5):%Y-%m}",
            },
        ),
        "api custom days": (
            f"/api/uitpas/municipalities/{busiest.pk}/ratios/",
            {"from": f"{add_months(last, -14)}", "to": f"{last + datetime.timedelta(days=17)}"},
        ),
        "profiles": (f"/uitpas/municipalities/{busiest.pk}/profiles/", {}),
        "first five years": (f"/uitpas/municipalities/{busiest.pk}/first-five-years/", {}),
        "first five years (all)": ("/uitpas/staff/first-five-years/", {}),
        "staff overview": ("/uitpas/staff/", {}),
    }
    results["pages"] = {}
    for name, (url, params) in pages.items():
        timings, queries = timed_requests(client, url, params, args.repeat)
        timings.sort()
        results["pages"][name] = {
            "p50": round(statistics.median(timings), 1),
            "p95": round(p95(timings), 1),
            "queries": queries,
        }
        print(
            f"{name:<24} p50 {statistics.median(timings):7.1f} ms  p95 {p95(timings):7.1f} ms  {queries} queries",
            flush=True,
        )

    # The KSB counts from the summaries and from the raw tables: last year (stored) and the
    # custom range (counted from the monthly summary), both ways.
    year = (datetime.date(last.year - 1, 1, 1), month_end(datetime.date(last.year - 1, 12, 1)))
    custom = (add_months(last, -30), month_end(add_months(last, -5)))
    results["raw_equal"] = True
    for name, (first, end) in (("year", year), ("custom range", custom)):
        equal, summary_ms, raw_ms = compare(first, end, busiest.pk)
        results["raw_equal"] = results["raw_equal"] and equal
        results[f"{name} summary_ms"], results[f"{name} raw_ms"] = summary_ms, raw_ms
    print(
        f"summaries equal the raw tables for every municipality and measure: {results['raw_equal']}"
    )
    (ROOT / "bench" / "out" / "uitpas.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
