import hashlib
import secrets

# 24 random bytes: 192 bits, 32 URL-safe characters; core.logging redacts /s/ followed by them.
TOKEN_BYTES = 24


def new_token() -> tuple[str, str]:
    """A fresh link token and the hash that is stored in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
