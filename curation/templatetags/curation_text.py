"""Template filters of the task page."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from curation.url_check_reasons import url_check_reason

register = template.Library()


@register.filter
def highlight(text: str, words) -> SafeString:
    """The text, escaped, with each of `words` (whole words, any case) in <mark>."""
    words = sorted({word for word in words or () if word}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(escape(word)) for word in words) + r")(?!\w)",
        re.IGNORECASE,
    )
    return mark_safe(pattern.sub(r"<mark>\1</mark>", escape(text)))


@register.filter
def check_reason(error: str) -> str:
    """A URL check's stored (English) error in the reader's language."""
    return url_check_reason(error)
