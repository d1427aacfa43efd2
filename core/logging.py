import logging
import re

# Links that carry a secret must not be usable by whoever reads a log line: a survey link answers
# for a holder, a password reset link sets a user's password (and names the user).
_REDACTIONS = (
    (re.compile(r"(/s/)[A-Za-z0-9_\-]{8,}"), r"\1[token]"),
    (re.compile(r"(/accounts/reset/)(?!done/)[^/\s\"']+/[^/\s\"']+"), r"\1[link]"),
)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for pattern, replacement in _REDACTIONS:
            redacted = pattern.sub(replacement, redacted)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
