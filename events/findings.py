"""The message of a data finding, rendered from its kind, field and value in the reader's
language (the finding stores no text: a message read in French must not be frozen in Dutch)."""

from __future__ import annotations

from typing import Any

import orjson
from django.utils.translation import gettext

VALUE_SHOWN = 120  # characters of the value as received, in a message


def shown_value(value: Any) -> str:
    """The value as received, as JSON, cut to a length a message can carry."""
    text = orjson.dumps(value).decode()
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


def finding_message(kind: str, field: str, value: Any) -> str:
    term = value if isinstance(value, dict) else {}
    values = {
        "field": field,
        "value": shown_value(value),
        "id": term.get("id", ""),
        "domain": term.get("domain", ""),
    }
    return _templates().get(kind, _templates()["invalid_value"]) % values


def _templates() -> dict[str, str]:
    return {
        "wrong_domain": gettext(
            "%(field)s: term %(id)s is filed under “%(domain)s”, but the taxonomy puts it "
            "in another domain; imported in the taxonomy's domain."
        ),
        "unknown_term": gettext(
            "%(field)s: the taxonomy does not know term %(id)s; kept with the document's label."
        ),
        "extra_event_type": gettext(
            "%(field)s: a second event type, %(id)s; the event keeps the first one."
        ),
        "number_as_text": gettext(
            "%(field)s: numbers written as text (%(value)s); imported as numbers."
        ),
        "unlinked": gettext(
            "%(field)s has no usable @id; kept with its name and address, linked to no record."
        ),
        "age_range": gettext(
            "%(field)s: %(value)s is not an age range like 6-12; imported without an age."
        ),
        "html_in_text": gettext("%(field)s holds HTML; imported without the tags."),
        "invalid_value": gettext("%(field)s: %(value)s cannot be read; left out."),
    }
