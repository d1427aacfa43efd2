"""A URL check's error in the reader's language. The check stores its error in English (logs,
the admin and the API read it as it is); the task page shows it translated."""

import re

from django.utils.translation import gettext as _

REASONS = (
    (r"^(?P<host>\S+) does not resolve", lambda: _("%(host)s does not exist (no such host name)")),
    (
        r"^(?P<host>\S+) resolves to (?P<address>\S+), an internal address",
        lambda: _("%(host)s leads to an internal address (%(address)s): not checked"),
    ),
    (r"^more than (?P<count>\d+) redirects", lambda: _("more than %(count)s redirects")),
    (r"^no answer within (?P<seconds>\d+) s", lambda: _("no answer within %(seconds)s seconds")),
    (r"^TLS error: (?P<detail>.*)", lambda: _("secure connection (TLS) failed: %(detail)s")),
    (r"^connection refused", lambda: _("the server refused the connection")),
    (r"^not an http\(s\) URL", lambda: _("not a web address (http or https)")),
    (r"^malformed URL", lambda: _("not a valid address")),
    (
        r"^(?P<host>\S+) was checked \d+ times",
        lambda: _("%(host)s was checked too often; try later"),
    ),
)
_COMPILED = [(re.compile(pattern), message) for pattern, message in REASONS]


def url_check_reason(error: str) -> str:
    for pattern, message in _COMPILED:
        found = pattern.match(error)
        if found:
            return message() % found.groupdict()
    return error
