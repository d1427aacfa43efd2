"""Integrations from publiq platform, upserted by id: the channel, its partner, its public keys
and widget pages, and a status change each time an import sees a new status.

Secrets (`clientSecret`, `consumerSecret`, `consumerKey`) are never read into anything stored,
nor are contacts (personal data the dashboards do not need).
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.dateparse import parse_datetime

from channels.models import (
    ApiUsage,
    Channel,
    ChannelKey,
    ChannelType,
    KeyKind,
    Partner,
    Party,
    Status,
    StatusChange,
    WidgetPage,
)
from channels.services.summaries import summaries_refresh
from channels.services.widget_events import unknown_pages_claim
from core.services import audit_record

PARTIES = {"first party": Party.FIRST, "third party": Party.THIRD}
CLIENT_LISTS = ("keycloakClients", "authClients")
LEGACY_LISTS = ("legacyAuthConsumers", "uiTiDv1Consumers")


class InvalidIntegration(ValueError):
    pass


@dataclass
class Integration:
    """What we keep of one Integration document, validated."""

    channel: dict
    partner: dict | None
    keys: list[tuple[str, str, str]]  # (key, kind, environment)
    pages: list[dict] = field(default_factory=list)
    created: datetime.date | None = None


def _text(document: dict, key: str, limit: int, *, required: bool = False) -> str:
    value = document.get(key)
    if value is None or value == "":
        if required:
            raise InvalidIntegration(f"{key} is missing")
        return ""
    if not isinstance(value, str):
        raise InvalidIntegration(f"{key} is not a text")
    return value[:limit]


def _choice(document: dict, key: str, choices) -> str:
    value = document.get(key)
    if value not in choices.values:
        raise InvalidIntegration(f"{key} {value!r} is not one of {', '.join(choices.values)}")
    return value


def _uuid(value, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise InvalidIntegration(f"{what} {value!r} is not a UUID") from None


def _partner(document: dict) -> dict | None:
    organisation = document.get("organization")
    if not organisation:
        return None
    if not isinstance(organisation, dict):
        raise InvalidIntegration("organization is not an object")
    address = organisation.get("address") or {}
    return {
        "id": _uuid(organisation.get("id"), "organization.id"),
        "name": _text(organisation, "name", 255, required=True),
        "municipality": _text(address, "city", 100) if isinstance(address, dict) else "",
        "zip_code": _text(address, "zip", 10) if isinstance(address, dict) else "",
    }


def _keys(document: dict) -> list[tuple[str, str, str]]:
    """Only the public identifiers: client ids and legacy API keys, per environment."""
    keys = {}
    for lists, name, kind in (
        (CLIENT_LISTS, "clientId", KeyKind.CLIENT_ID),
        (LEGACY_LISTS, "apiKey", KeyKind.API_KEY),
    ):
        for list_name in lists:
            for credential in document.get(list_name) or []:
                if not isinstance(credential, dict):
                    raise InvalidIntegration(f"{list_name} holds something else than objects")
                key = credential.get(name)
                if key:
                    environment = str(credential.get("environment") or "")[:10]
                    keys[str(key)[:255]] = (kind, environment)
    return [(key, kind, environment) for key, (kind, environment) in keys.items()]


def _pages(document: dict) -> list[dict]:
    pages = []
    for page in document.get("widgetPages") or []:
        if not isinstance(page, dict) or not page.get("id"):
            raise InvalidIntegration("a widget page has no id")
        pages.append(
            {
                "id": str(page["id"])[:64],
                "title": _text(page, "title", 255),
                "language": _text(page, "language", 5),
                "last_updated": parse_datetime(str(page.get("last_updated") or "")),
            }
        )
    return pages


def _subscription(document: dict) -> dict:
    subscription = document.get("subscription") or {}
    if not isinstance(subscription, dict):
        raise InvalidIntegration("subscription is not an object")
    try:
        price = subscription.get("price")
        price = None if price is None else Decimal(str(price))
    except InvalidOperation:
        raise InvalidIntegration(f"subscription price {price!r} is not a number") from None
    return {
        "subscription": _text(subscription, "name", 100),
        "subscription_category": _text(subscription, "category", 20),
        "subscription_price": price,
    }


def integration_read(document) -> Integration:
    """The Integration document validated; InvalidIntegration says what is wrong."""
    if not isinstance(document, dict):
        raise InvalidIntegration("not a JSON object")
    party = PARTIES.get(str(document.get("partnerStatus", "third party")).lower())
    if party is None:
        raise InvalidIntegration(f"partnerStatus {document.get('partnerStatus')!r} is unknown")
    created = parse_datetime(str(document.get("createdAt") or document.get("created_at") or ""))
    channel = {
        "id": _uuid(document.get("id"), "id"),
        "type": _choice(document, "type", ChannelType),
        "name": _text(document, "name", 255, required=True),
        "description": _text(document, "description", 5000),
        "status": _choice(document, "status", Status),
        "party": party,
        "website": _text(document, "website", 500),
        "key_visibility": _text(document, "keyVisibility", 5),
        **_subscription(document),
    }
    return Integration(
        channel=channel,
        partner=_partner(document),
        keys=_keys(document),
        pages=_pages(document),
        created=created.date() if created else None,
    )


def _status_change(channel: Channel, previous: str, day: datetime.date) -> None:
    """A new status from `day` on; a second import the same day corrects that day's row."""
    StatusChange.objects.filter(channel=channel, day=day).delete()
    StatusChange.objects.create(
        channel=channel, day=day, status=channel.status, previous=previous or ""
    )


def _write(integration: Integration, day: datetime.date) -> bool:
    """Upsert one integration; True when its status changed (or it is new)."""
    values = dict(integration.channel)
    if integration.partner:
        partner, _created = Partner.objects.update_or_create(
            id=integration.partner["id"], defaults=integration.partner
        )
        values["partner"] = partner
    else:
        values["partner"] = None
    old_status = Channel.objects.filter(pk=values["id"]).values_list("status", flat=True).first()
    channel, created = Channel.objects.update_or_create(id=values.pop("id"), defaults=values)
    if created or old_status != channel.status:
        _status_change(channel, old_status or "", (created and integration.created) or day)
    _write_keys(channel, integration.keys)
    for page in integration.pages:
        values = {key: value for key, value in page.items() if key != "id"}
        WidgetPage.objects.update_or_create(id=page["id"], defaults={**values, "channel": channel})
    return created or old_status != channel.status


def _write_keys(channel: Channel, keys: list[tuple[str, str, str]]) -> None:
    ChannelKey.objects.filter(channel=channel).exclude(key__in=[key for key, *_ in keys]).delete()
    for key, kind, environment in keys:
        ChannelKey.objects.update_or_create(
            key=key, defaults={"channel": channel, "kind": kind, "environment": environment}
        )
    # API usage counted before the key was known now belongs to its channel.
    ApiUsage.objects.filter(key__in=[key for key, *_ in keys]).exclude(channel=channel).update(
        channel=channel
    )


def integrations_import(
    *, integrations: list[Integration], day: datetime.date, actor=None, description: str = ""
) -> dict:
    """Write valid integrations in one transaction with the run's audit row."""
    with transaction.atomic():
        changed = sum(_write(integration, day) for integration in integrations)
        unknown_pages_claim([page["id"] for item in integrations for page in item.pages])
        summaries_refresh(channel_ids={item.channel["id"] for item in integrations})
        counts = {"integrations": len(integrations), "status_changes": changed}
        audit_record(
            actor=actor,
            action="channels.import_channels",
            object_type="channels.channel",
            new_values=counts,
            note=description[:500],
        )
    return counts
