"""Channels for tests, written through the import (the only writer), and files to import."""

import datetime
import gzip
import json
import uuid
from pathlib import Path

from django.core.management import call_command

from tests.channels.snowplow_lines import enriched_line

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "channels"


def integration(**values) -> dict:
    """The reference Integration (constructed by publiq) with `values` changed."""
    document = json.loads((FIXTURES / "platform_integration_example.json").read_text())
    document.update(values)
    return document


def channel_document(
    *,
    name: str,
    status: str = "active",
    type: str = "widgets",
    party: str = "Third party",
    city: str = "Aalst",
    pages: tuple[str, ...] = (),
    keys: tuple[str, ...] = (),
    partner_id: str | None = None,
    channel_id: str | None = None,
) -> dict:
    channel_id = channel_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"channel/{name}"))
    partner_id = partner_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"partner/{city}"))
    return integration(
        id=channel_id,
        name=name,
        status=status,
        type=type,
        partnerStatus=party,
        organization={
            "id": partner_id,
            "name": f"Gemeente {city}",
            "address": {"city": city, "zip": "9300"},
        },
        keycloakClients=[
            {"clientId": key, "clientSecret": "s3cr3t-" + key, "environment": "prod"}
            for key in keys
        ],
        authClients=[],
        legacyAuthConsumers=[],
        widgetPages=[{"id": page, "title": f"Page {page}", "language": "nl"} for page in pages],
    )


def write_json(tmp_path: Path, documents, name="channels.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(documents))
    return path


def import_channels(tmp_path: Path, documents, day: datetime.date, name="channels.json"):
    call_command(
        "import_channels", str(write_json(tmp_path, documents, name)), date=day.isoformat()
    )


def write_tsv(tmp_path: Path, lines, name="events.tsv", gz=False) -> Path:
    path = tmp_path / name
    text = "".join(line + "\n" for line in lines)
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def views(page_id: str, day: datetime.date, count: int = 1, kind="page_view", **extra):
    at = datetime.datetime.combine(day, datetime.time(10, 0))
    return [enriched_line(page_id=page_id, at=at, kind=kind, **extra) for _ in range(count)]


def write_usage(tmp_path: Path, rows, name="usage.csv") -> Path:
    path = tmp_path / name
    path.write_text("date,client_id,requests\n" + "".join(f"{d},{k},{r}\n" for d, k, r in rows))
    return path
