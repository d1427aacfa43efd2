#!/usr/bin/env python
"""Dashboards benchmark: 200 museums, 10,000,000 visits, 500,000 responses.

    flock /work/bench.lock .venv/bin/python scripts/services.py run --durable -- \\
        .venv/bin/python bench/dashboards.py

`--scale 0.01` builds a hundredth of the visits, holders, passes and responses for a quick
check (the 200 museums stay). The data is written with INSERT ... SELECT generate_series over
the 36 months up to today, then:

1. the nightly rebuild of the summary tables (`summaries_rebuild`, as the beat job runs it);
2. the incremental refresh one new visit, and one new response, cause (`summaries_refresh`,
   what the Celery tasks run);
3. the museum dashboard (page and API) and the staff pages through Django's test client in
   this process (no web server), with production settings: p50 and p95 per page;
4. the same dashboard figures computed from the raw tables (`tests/dashboards/raw.py`) beside
   the ones read from the summaries, and a check that the two are equal.

Visits are stored in the order they happened, as the visits API and the daily imports store
them (`--scattered-visits`: in random order, the worst layout for reads by date). They are
skewed towards some museums (a museum's share falls with its rank), so the museum
user's museum, the busiest one, is the dearest case for the raw tables.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import p95, timed_requests  # noqa: E402 - bench/ is on the path when run as a script

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "publiq_backoffice.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x9Tq2LmV8sPz" * 5)
os.environ.setdefault("LOG_LEVEL", "WARNING")
OUT = ROOT / "bench" / "out"

MUSEUMS = 200
VISITS = 10_000_000
RESPONSES = 500_000
HOLDERS = 200_000
MONTHS = 36
INVITED_SHARE = 7  # one visit in 7 gets an invitation: about 1.43 million at full scale


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--raw-repeat", type=int, default=3)
    parser.add_argument("--scattered-visits", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("benchmarks run on PostgreSQL: use scripts/services.py run --durable -- ...")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    results = {"scale": args.scale, "repeat": args.repeat}
    results["build"] = build(args.scale, scattered=args.scattered_visits)
    results["rebuild_seconds"] = rebuild()
    museum_id = busiest_museum()
    results["museum"] = museum_id
    results["refresh"] = refreshes(museum_id)
    results["pages"] = pages(museum_id, args.repeat)
    results["raw"] = raw_beside_summaries(museum_id, args.raw_repeat)
    report(results)
    OUT.mkdir(parents=True, exist_ok=True)
    name = "dashboards-scattered.json" if args.scattered_visits else "dashboards.json"
    (OUT / name).write_text(json.dumps(results, indent=2, default=str))


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def figures(timings_ms: list[float]) -> dict:
    ordered = sorted(timings_ms)
    return {
        "count": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95(ordered), 1),
        "max_ms": round(ordered[-1], 1),
    }


# The data.


def build(scale: float, *, scattered: bool) -> dict:
    from django.db import connection

    counts = {
        "museums": MUSEUMS,
        "holders": max(1_000, round(HOLDERS * scale)),
        "visits": round(VISITS * scale),
        "responses": round(RESPONSES * scale),
        "scattered": scattered,
    }
    today = datetime.date.today()
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for _ in range(MONTHS - 2):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    counts["from"], counts["to"] = first, today
    seconds = {}
    with connection.cursor() as cursor:
        for step, function in (
            ("museums and holders", _museums_and_holders),
            ("passes", _passes),
            ("visits", _visits),
            ("survey and invitations", _invitations),
            ("responses and answers", _responses),
        ):
            seconds[step] = round(timed(lambda f=function: f(cursor, counts)), 1)
            print(f"  built {step} in {seconds[step]} s", flush=True)
        seconds["vacuum analyze"] = round(timed(lambda: cursor.execute("VACUUM ANALYZE")), 1)
        for table in ("museumpas_pass", "museumpas_visit", "surveys_invitation", "surveys_answer"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    counts["seconds"] = seconds
    print(f"data: {counts}", flush=True)
    return counts


def _museums_and_holders(cursor, counts: dict) -> None:
    cursor.execute(
        """
        INSERT INTO museumpas_museum
            (external_id, name, city, postcode, region, size_class, active)
        SELECT 'm' || g, 'Museum ' || g, 'Gent', '9000',
               (ARRAY['flanders', 'flanders', 'brussels', 'wallonia'])[1 + g %% 4],
               (ARRAY['small', 'medium', 'large'])[1 + g %% 3], true
        FROM generate_series(1, %s) AS g
        """,
        [counts["museums"]],
    )
    cursor.execute(
        """
        INSERT INTO museumpas_holder
            (external_id, language, postcode, region, birth_year, email, created)
        SELECT 'h' || g,
               (ARRAY['nl', 'nl', 'nl', 'fr', 'en'])[1 + g %% 5],
               (ARRAY['2000', '9000', '1000', '4000', '8000'])[1 + g %% 5],
               (ARRAY['flanders', 'flanders', 'brussels', 'wallonia', 'flanders'])[1 + g %% 5],
               1940 + g %% 70,
               'holder' || g || '@example.org',
               %s
        FROM generate_series(1, %s) AS g
        """,
        [counts["from"], counts["holders"]],
    )


# A museum of rank r (0 = busiest) gets a share of the visits and sales that falls with r.
_SKEWED_MUSEUM = "(SELECT min(id) FROM museumpas_museum) + floor(power(random(), 2.5) * %s)::int"


def _passes(cursor, counts: dict) -> None:
    # Every holder bought a pass in the first year, half of them renewed it twice since.
    cursor.execute(
        f"""
        INSERT INTO museumpas_pass
            (external_id, holder_id, card_number, valid_from, valid_until, channel, sold_by_id,
             is_renewal, price)
        SELECT 'p' || h.id || '-' || n, h.id, lpad(h.id::text, 10, '0') || n, d.day,
               d.day + 364,
               (ARRAY['online', 'online', 'museum', 'partner'])[1 + (h.id + n) %% 4],
               {_SKEWED_MUSEUM}, n > 0, 65
        FROM museumpas_holder h
        CROSS JOIN generate_series(0, 2) AS n
        CROSS JOIN LATERAL (SELECT %s::date + (n * 365 + h.id %% 365)::int AS day) AS d
        WHERE (n = 0 OR h.id %% 2 = 0) AND d.day <= %s
        """,
        [counts["museums"], counts["from"], counts["to"]],
    )


def _visits(cursor, counts: dict) -> None:
    """Visits in the order they happened (as the API and the daily imports store them), or, with
    --scattered-visits, in random order: each month's visits then lie all over the table."""
    cursor.execute("SELECT min(id), max(id) FROM museumpas_holder")
    holder_min, holder_max = cursor.fetchone()
    days = (counts["to"] - counts["from"]).days
    moment = "random()" if counts["scattered"] else "(g - 1 + random()) / %s"
    cursor.execute(
        f"""
        INSERT INTO museumpas_visit (external_id, holder_id, museum_id, visited_at)
        SELECT 'v' || g, %s + floor(random() * %s)::int, {_SKEWED_MUSEUM},
               %s::timestamptz + {moment} * make_interval(days => %s)
        FROM generate_series(1, %s) AS g
        """,
        [
            holder_min,
            holder_max - holder_min + 1,
            counts["museums"],
            counts["from"],
            *([] if counts["scattered"] else [counts["visits"]]),
            days,
            counts["visits"],
        ],
    )


def _invitations(cursor, counts: dict) -> None:
    from surveys.demo import _survey
    from surveys.models import Campaign

    survey = _survey()
    campaign = Campaign.objects.create(
        name="Bench campaign",
        survey=survey,
        active=True,
        visits_from=counts["from"],
        visits_until=counts["to"],
    )
    counts["campaign"], counts["survey"] = campaign.pk, survey.pk
    cursor.execute(
        """
        INSERT INTO surveys_invitation
            (campaign_id, visit_id, holder_id, museum_id, language, state, attempts, last_error,
             created_at, queued_at, sent_at)
        SELECT %s, v.id, v.holder_id, v.museum_id, h.language, 'sent', 1, '',
               v.visited_at + interval '1 day', v.visited_at + interval '1 day',
               v.visited_at + interval '1 day'
        FROM museumpas_visit v JOIN museumpas_holder h ON h.id = v.holder_id
        WHERE v.id %% %s = 0
        """,
        [campaign.pk, INVITED_SHARE],
    )
    cursor.execute(
        """
        UPDATE surveys_invitation SET state = 'responded', responded_at = sent_at + interval '2 h'
        WHERE id IN (SELECT id FROM surveys_invitation ORDER BY random() LIMIT %s)
        """,
        [counts["responses"]],
    )


def _age_group_sql(age: str) -> str:
    from museumpas.services import AGE_GROUP_UNKNOWN, AGE_GROUPS

    cases = " ".join(
        f"WHEN {age} BETWEEN {low} AND {high} THEN '{key}'" for key, low, high in AGE_GROUPS
    )
    return f"CASE {cases} ELSE '{AGE_GROUP_UNKNOWN}' END"


def _responses(cursor, counts: dict) -> None:
    from django.conf import settings

    local = f"(v.visited_at AT TIME ZONE '{settings.TIME_ZONE}')"
    age = _age_group_sql(f"(extract(year FROM {local})::int - h.birth_year)")
    cursor.execute(
        f"""
        INSERT INTO surveys_response
            (invitation_id, survey_id, campaign_id, museum_id, visit_month, language, age_group,
             region, submitted_at)
        SELECT i.id, %s, i.campaign_id, i.museum_id, date_trunc('month', {local})::date,
               i.language, {age}, h.region, i.responded_at
        FROM surveys_invitation i
        JOIN museumpas_visit v ON v.id = i.visit_id
        JOIN museumpas_holder h ON h.id = i.holder_id
        WHERE i.responded_at IS NOT NULL
        """,
        [counts["survey"]],
    )
    from surveys.models import Question

    question = dict(Question.objects.filter(survey_id=counts["survey"]).values_list("kind", "pk"))
    # NPS: a museum's mood shifts its scores; ratings follow the NPS; one or two ways of hearing
    # about the museum; a comment on one response in ten.
    cursor.execute(
        """
        INSERT INTO surveys_answer (response_id, question_id, number, choice_keys, text)
        SELECT r.id, q.question, q.number, q.keys, q.text
        FROM (
            SELECT r.id, least(10, greatest(0, round(7 + (r.museum_id %% 5) * 0.5
                       + (random() - 0.6) * 8)))::int AS nps
            FROM surveys_response r
        ) AS r
        CROSS JOIN LATERAL (VALUES
            (%s, r.nps, '[]'::jsonb, ''),
            (%s, least(5, greatest(1, (r.nps + 2) / 2)), '[]'::jsonb, ''),
            (%s, NULL, jsonb_build_array(
                (ARRAY['alone', 'partner', 'family', 'friends'])[1 + r.id %% 4]), ''),
            (%s, NULL, CASE WHEN r.id %% 3 = 0
                 THEN '["newsletter", "social"]'::jsonb
                 ELSE jsonb_build_array(
                     (ARRAY['newsletter', 'social', 'word_of_mouth', 'press'])[1 + r.id %% 4])
                 END, ''),
            (%s, NULL, '[]'::jsonb,
             CASE WHEN r.id %% 10 = 0 THEN 'Mooie collectie, opmerking ' || r.id END)
        ) AS q(question, number, keys, text)
        WHERE q.text IS NOT NULL
        """,
        [
            question["nps"],
            question["rating"],
            question["single"],
            question["multiple"],
            question["text"],
        ],
    )


# The figures.


def rebuild() -> float:
    from dashboards.services.summaries import summaries_rebuild

    def progress(done: int, total: int) -> None:
        print(f"  … month {done} of {total}", end="\r", flush=True)

    result = summaries_rebuild(progress=progress)
    print(f"\nnightly rebuild: {result.months} months in {result.seconds:.1f} s", flush=True)
    return round(result.seconds, 1)


def busiest_museum() -> int:
    from django.db.models import Count

    from museumpas.models import Museum

    return Museum.objects.annotate(visit_count=Count("visits")).order_by("-visit_count").first().pk


def refreshes(museum_id: int, count: int = 20) -> dict:
    """What a new visit (its museum's day) and a new response (its museum's month) rewrite."""
    from django.utils import timezone

    from dashboards.services.summaries import summaries_refresh

    today = timezone.localdate()
    visit = [
        timed(lambda: summaries_refresh(museum_days={(museum_id, today)}, answers=False)) * 1000
        for _ in range(count)
    ]
    response = [
        timed(
            lambda: summaries_refresh(
                museum_months={(museum_id, today.replace(day=1))}, answers=True
            )
        )
        * 1000
        for _ in range(count)
    ]
    result = {"a visit's day": figures(visit), "a response's month": figures(response)}
    print(f"incremental refresh of the busiest museum: {result}", flush=True)
    return result


def _clients(museum_id: int):
    from django.contrib.auth.models import Group
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from core.models import User
    from dashboards.models import MuseumMembership

    museum_user, _ = User.objects.get_or_create(username="bench-museum")
    museum_user.groups.add(Group.objects.get(name="museum"))
    MuseumMembership.objects.get_or_create(user=museum_user, museum_id=museum_id)
    staff, _ = User.objects.get_or_create(username="bench-staff")
    staff.groups.add(Group.objects.get(name="survey manager"))
    museum_client, staff_client = Client(), Client()
    museum_client.force_login(museum_user)
    staff_client.force_login(staff)
    token, _ = Token.objects.get_or_create(user=museum_user)
    api_client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    return museum_client, api_client, staff_client


def _periods() -> list[tuple[str, dict]]:
    from dashboards import periods

    this_month = periods.month_start(datetime.date.today())
    last_month = periods.add_months(this_month, -1)
    return [
        ("last 12 months (default)", {}),
        ("last month", periods.period_for(periods.MONTH, last_month).query()),
        ("last quarter", periods.period_for(periods.QUARTER, last_month).query()),
        (
            "last year",
            periods.period_for(periods.YEAR, periods.add_months(this_month, -12)).query(),
        ),
        (
            "36 months",
            periods.period_for(
                periods.CUSTOM, periods.add_months(this_month, -35), this_month
            ).query(),
        ),
    ]


def _filters() -> list[tuple[str, dict]]:
    return [
        ("last 12 months, language fr", {"language": "fr"}),
        ("last 12 months, age 36-45", {"age_group": "36-45"}),
        ("last 12 months, region wallonia, language fr", {"region": "wallonia", "language": "fr"}),
        ("last 12 months, comments searched", {"q": "collectie"}),
    ]


def pages(museum_id: int, repeat: int) -> dict:
    from django.urls import reverse

    museum_client, api_client, staff_client = _clients(museum_id)
    page = reverse("dashboards:museum", args=[museum_id])
    api = reverse("dashboards_api:museum-dashboard", args=[museum_id])
    today = datetime.date.today()
    windows = {
        "before_from": today.replace(year=today.year - 2),
        "before_to": today.replace(year=today.year - 2) + datetime.timedelta(days=90),
        "during_from": today.replace(year=today.year - 1),
        "during_to": today.replace(year=today.year - 1) + datetime.timedelta(days=90),
        "after_from": today - datetime.timedelta(days=120),
        "after_to": today - datetime.timedelta(days=30),
    }
    plan = [("dashboard", museum_client, page, label, query) for label, query in _periods()]
    plan += [("dashboard", museum_client, page, label, query) for label, query in _filters()]
    plan += [("dashboard API", api_client, api, label, query) for label, query in _periods()[:2]]
    plan += [
        ("staff overview", staff_client, reverse("dashboards:staff"), label, query)
        for label, query in _periods()
    ]
    plan.append(
        (
            "staff overview",
            staff_client,
            reverse("dashboards:staff"),
            "sorted by NPS",
            {"sort": "nps"},
        )
    )
    plan.append(
        (
            "period comparison",
            staff_client,
            reverse("dashboards:comparison"),
            "3 x 90 days",
            windows,
        )
    )
    results: dict = {}
    for group, client, url, label, query in plan:
        results.setdefault(group, {})[label] = _measure(client, url, query, repeat)
        print(f"  {group}, {label}: {_short(results[group][label])}", flush=True)
    for by_label in results.values():
        timings = [t for measured in by_label.values() for t in measured["samples"]]
        by_label["all of them"] = figures(timings)
    return results


def _measure(client, url: str, query: dict, repeat: int) -> dict:
    timings, queries = timed_requests(client, url, query, repeat)
    result = figures(timings)
    result["queries"] = queries
    result["samples"] = timings
    return result


def _short(measured: dict) -> str:
    return (
        f"p50 {measured['p50_ms']} ms, p95 {measured['p95_ms']} ms, queries {measured['queries']}"
    )


def raw_beside_summaries(museum_id: int, repeat: int) -> dict:
    """The dashboard's figures (the museum's and the benchmarks') from each source."""
    from core.models import User
    from dashboards import selectors
    from dashboards.privacy import Segment
    from dashboards.scoping import museum_for
    from tests.dashboards import raw

    scope = museum_for(User.objects.get(username="bench-museum"), museum_id)
    results = {}
    for label, query in _periods():
        period = _period_of(query)
        for segment_label, segment in (("", Segment()), (", language fr", Segment(language="fr"))):
            if segment_label and label != "last 12 months (default)":
                continue

            def from_summaries(period=period, segment=segment):
                return (
                    selectors.museum_figures(scope, period, segment),
                    selectors.benchmark_figures(period, segment),
                )

            def from_raw(period=period, segment=segment):
                return (
                    raw.museum_figures(museum_id, period, segment),
                    raw.benchmark_figures(period, segment),
                )

            summary_ms = [timed(from_summaries) * 1000 for _ in range(repeat + 1)][1:]
            raw_ms = [timed(from_raw) * 1000 for _ in range(repeat)]
            own, by_class = from_summaries()
            raw_own, raw_by_class = from_raw()
            equal = raw.comparable(own) == raw.comparable(raw_own) and {
                size: raw.comparable(figures_) for size, figures_ in by_class.items()
            } == {size: raw.comparable(figures_) for size, figures_ in raw_by_class.items()}
            results[label + segment_label] = {
                "summaries": figures(summary_ms),
                "raw": figures(raw_ms),
                "equal": equal,
            }
            print(f"  figures, {label}{segment_label}: {results[label + segment_label]}")
    return results


def _period_of(query: dict):
    from dashboards.forms import PeriodForm

    return PeriodForm(query).period_value()


def report(results: dict) -> None:
    build = results["build"]
    print(
        f"\n{build['museums']} museums, {build['museumpas_visit']:,} visits, "
        f"{build['responses']:,} responses ({build['surveys_answer']:,} answers), "
        f"{build['surveys_invitation']:,} invitations, {build['museumpas_pass']:,} passes, "
        f"{build['holders']:,} holders, {build['from']} to {build['to']}, visits stored "
        f"{'in random order' if build['scattered'] else 'in time order'}; "
        f"{results['repeat']} requests per page"
    )
    print(f"nightly rebuild: {results['rebuild_seconds']} s (target under 300 s)")
    for label, measured in results["refresh"].items():
        print(f"incremental refresh, {label}: {_short_figures(measured)}")
    targets = {"dashboard": 150, "dashboard API": 150, "staff overview": 500}
    for group, by_label in results["pages"].items():
        print(f"\n{group} (target p95 under {targets.get(group, '-')} ms): p50, p95, queries")
        for label, measured in by_label.items():
            queries = "/".join(map(str, measured.get("queries", [])))
            print(f"  {label:<46} {measured['p50_ms']:>8} {measured['p95_ms']:>8}   {queries}")
    print("\nfigures of a dashboard: summaries p50/p95 ms, raw p50/p95 ms, equal")
    for label, measured in results["raw"].items():
        summaries, raw = measured["summaries"], measured["raw"]
        print(
            f"  {label:<40} {summaries['p50_ms']:>7} {summaries['p95_ms']:>7}"
            f" {raw['p50_ms']:>9} {raw['p95_ms']:>9}   {measured['equal']}"
        )


def _short_figures(measured: dict) -> str:
    return f"p50 {measured['p50_ms']} ms, p95 {measured['p95_ms']} ms"


if __name__ == "__main__":
    main()
