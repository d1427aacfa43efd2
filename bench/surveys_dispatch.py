#!/usr/bin/env python
"""Dispatch at scale: 200,000 holders, 1,000,000 visits over a year, create ~50,000 invitations.

    flock /work/bench.lock python scripts/services.py run --durable -- \\
        .venv/bin/python bench/surveys_dispatch.py [--scale 0.1]

Times `surveys_dispatch()` as beat runs it: select the eligible visits of every active campaign
(window, delay, museums, segments, cap, opt-outs, sample), create the invitations and queue
them in chunks on Redis. Target (issue 6): under 60 s.
"""

import argparse
import datetime
import time

from _django import setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    setup()
    from django.utils import timezone
    from surveys_data import build

    from museumpas.models import Holder, Museum
    from surveys.models import Campaign, Invitation, OptOut, Survey
    from surveys.services.dispatch import surveys_dispatch

    holders, visits = int(200_000 * args.scale), int(1_000_000 * args.scale)
    build(museums=200, holders=holders, visits=visits)
    survey = Survey.objects.create(name="bench", title_nl="t", title_fr="t", title_en="t")
    today = timezone.localdate()
    window = {
        "survey": survey,
        "active": True,
        "send_window_days": 30,
        "visits_from": today - datetime.timedelta(days=400),
        "visits_until": today + datetime.timedelta(days=30),
    }
    # A segmented campaign runs first (campaigns run in order of creation) and competes with
    # the main one for the same holders; a visit gets one invitation at most.
    segmented = Campaign.objects.create(
        name="French-speaking first-time visitors with a renewed pass, 100 museums",
        languages=["fr"],
        age_groups=["36-45", "46-55", "56-65"],
        visitor_kind="first",
        pass_kind="renewal",
        all_museums=False,
        **window,
    )
    segmented.museums.set(Museum.objects.order_by("pk")[:100])
    Campaign.objects.create(name="all museums, 74 % sample", sample_percent=74, **window)
    OptOut.objects.bulk_create(
        OptOut(holder_id=pk, museum=None)
        for pk in Holder.objects.order_by("pk").values_list("pk", flat=True)[: holders // 100]
    )

    started = time.monotonic()
    result = surveys_dispatch()
    elapsed = time.monotonic() - started
    print(
        f"dispatch: {result.created} invitations created and {result.queued} queued "
        f"in {elapsed:.1f} s"
    )
    for campaign in Campaign.objects.order_by("pk"):
        print(f"  {campaign.name}: {Invitation.objects.filter(campaign=campaign).count()}")
    started = time.monotonic()
    again = surveys_dispatch()
    print(f"dispatch again: {again.created} created in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
