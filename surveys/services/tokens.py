"""Link tokens: the survey link's and the unsubscribe link's, and the one hash stored for both.

The unsubscribe token is derived one way from the survey token, and the row stores the hash of
the unsubscribe token: the survey link finds its row (token -> unsubscribe token -> hash), the
unsubscribe link finds the same row (unsubscribe token -> hash), and nothing leads from the
unsubscribe token, which mail providers see and follow, to the token that answers the survey.
"""

import base64
import hashlib
import secrets

# 24 random bytes: 192 bits, 32 URL-safe characters; core.logging redacts /s/ followed by them.
TOKEN_BYTES = 24


def new_token() -> tuple[str, str]:
    """A fresh survey link token and the hash that is stored in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def unsubscribe_token(token: str) -> str:
    """The unsubscribe link's token for a survey token: 32 URL-safe characters, like it."""
    digest = hashlib.sha256(b"unsubscribe:" + token.encode()).digest()[:TOKEN_BYTES]
    return base64.urlsafe_b64encode(digest).decode()


def token_hash(token: str) -> str:
    """What is stored for a survey token."""
    return unsubscribe_token_hash(unsubscribe_token(token))


def unsubscribe_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
