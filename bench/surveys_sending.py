#!/usr/bin/env python
"""Sending throughput: invitations through Celery (2 worker processes) to a local SMTP server,
beside a plain smtplib loop over one connection to the same server as the limit.

    flock /work/bench.lock python scripts/services.py run --durable -- \\
        .venv/bin/python bench/surveys_sending.py [--messages 20000]

The worker path is the product's: chunks of 100 queued on Redis, per invitation a
compare-and-set claim, rendering (text and HTML in the holder's language), SMTP, and the
confirming update. Target (issue 6): at least 500 messages/s.
"""

import argparse
import os
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

from _django import ROOT, setup


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sink(port: int) -> subprocess.Popen:
    sink = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "smtp_sink.py"), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout.readline().strip() == "ready"
    return sink


def stop_sink(sink: subprocess.Popen) -> int:
    sink.terminate()
    output = sink.communicate(timeout=30)[0].strip()
    return int(output) if output.isdigit() else -1


def make_invitations(count: int) -> list[int]:
    from django.db import connection
    from surveys_data import build

    from surveys.models import Campaign, Invitation, Survey

    build(museums=50, holders=count, visits=count, days=3)
    survey = Survey.objects.create(name="bench", title_nl="t", title_fr="t", title_en="t")
    campaign = Campaign.objects.create(
        name="bench", survey=survey, visits_from="2020-01-01", visits_until="2030-01-01"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO surveys_invitation
                (campaign_id, visit_id, holder_id, museum_id, language, state, attempts,
                 last_error, created_at)
            SELECT %s, v.id, v.holder_id, v.museum_id, h.language, 'pending', 0, '', now()
            FROM museumpas_visit v JOIN museumpas_holder h ON h.id = v.holder_id
            """,
            [campaign.pk],
        )
        cursor.execute("ANALYZE")
    return list(Invitation.objects.order_by("pk").values_list("pk", flat=True))


def plain_smtplib(port: int, count: int) -> float:
    """The same messages, prebuilt, through smtplib over one connection: the server's limit."""
    from surveys.models import Invitation
    from surveys.services.mail import invitation_message

    invitations = Invitation.objects.select_related(
        "campaign__survey", "museum", "holder", "visit"
    ).order_by("pk")[:count]
    messages = [
        # CRLF as on the wire: smtplib sends bytes as they are (Django's backend does the same).
        (message.from_email, message.to, message.message().as_bytes(linesep="\r\n"))
        for message in (invitation_message(i, token="x" * 32) for i in invitations)
    ]
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for sender, recipients, data in messages:
            client.sendmail(sender, recipients, data)
    return len(messages) / (time.monotonic() - started)


def start_worker(port: int) -> subprocess.Popen:
    from publiq_backoffice.celery import app

    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "LOG_LEVEL": "WARNING",
        # Workers keep their database connection, as the README advises for production.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "600"),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "publiq_backoffice",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "-n",
            "bench@localhost",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=["bench@localhost"], timeout=0.5):
        if time.monotonic() > deadline or worker.poll() is not None:
            sys.exit("the worker did not start")
    return worker


def through_celery(port: int, ids: list[int]) -> float:
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from surveys.models import Invitation
    from surveys.services.sending import invitations_queue

    worker = start_worker(port)
    try:
        started = timezone.now()
        with transaction.atomic():
            invitations_queue(ids)
        # Polled once a second so the poll itself costs the workers little CPU; the end is the
        # last confirmation's own timestamp.
        while (sent := Invitation.objects.filter(state="sent").count()) < len(ids):
            time.sleep(1)
            if (timezone.now() - started).total_seconds() > 600:
                sys.exit(f"only {sent} of {len(ids)} sent after 10 minutes")
        finished = Invitation.objects.aggregate(last=Max("sent_at"))["last"]
        return len(ids) / (finished - started).total_seconds()
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20_000)
    args = parser.parse_args()
    # Production settings, as the workers run there: with DEBUG on, Django keeps every query.
    os.environ.update(DEBUG="false", SECRET_KEY="bench-" + "k3y-" * 15, ALLOWED_HOSTS="localhost")
    setup()
    ids = make_invitations(args.messages)

    port = free_port()
    sink = start_sink(port)
    try:
        limit = plain_smtplib(port, min(args.messages, 5_000))
    finally:
        received_before = stop_sink(sink)
    print(f"plain smtplib loop, one connection: {limit:.0f} messages/s", flush=True)

    sink = start_sink(port)
    try:
        rate = through_celery(port, ids)
    finally:
        received = stop_sink(sink)
    print(
        f"Celery, 2 worker processes: {len(ids)} invitations in chunks of 100: "
        f"{rate:.0f} messages/s; the server received {received} "
        f"(plain loop run: {received_before})"
    )


if __name__ == "__main__":
    main()
