"""Typed readers for configuration from the environment.

Each reader names the variable and the expected form when a value is refused, so a typo in a
deployment fails at start-up with a message instead of surfacing later as odd behaviour.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REQUIRED = object()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str, default) -> str | None:
        value = (self.environ.get(name) or "").strip()
        if not value and default is REQUIRED:
            raise ImproperlyConfigured(f"{name} is required but not set.")
        return value or None

    def string(self, name: str, default=REQUIRED) -> str:
        value = self._raw(name, default)
        return default if value is None else value

    def boolean(self, name: str, default=REQUIRED) -> bool:
        value = self._raw(name, default)
        if value is None:
            return default
        if value.lower() not in _TRUE | _FALSE:
            spellings = "true, false, 1, 0, yes, no, on, off"
            raise ImproperlyConfigured(
                f"{name}={value!r} is not a boolean: use one of {spellings}."
            )
        return value.lower() in _TRUE

    def integer(self, name: str, default=REQUIRED, *, minimum=None, maximum=None) -> int:
        value = self._raw(name, default)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
        if maximum is not None and number > maximum:
            raise ImproperlyConfigured(f"{name}={number} is above the maximum of {maximum}.")
        return number

    def string_list(self, name: str, default=REQUIRED) -> list[str]:
        value = self._raw(name, default)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def url(self, name: str, default=REQUIRED, *, schemes: tuple[str, ...]) -> str:
        value = self._raw(name, default)
        if value is None:
            return default
        scheme = urlsplit(value).scheme
        if scheme not in schemes:
            raise ImproperlyConfigured(
                f"{name} has scheme {scheme or 'none'!r}; expected one of: {', '.join(schemes)}."
            )
        return value

    def origin_list(self, name: str, default=REQUIRED) -> list[str]:
        origins = self.string_list(name, default)
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ImproperlyConfigured(
                    f"{name}: {origin!r} is not an origin like https://backoffice.example.be."
                )
        return origins

    def timezone(self, name: str, default=REQUIRED) -> str:
        value = self.string(name, default)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"{name}={value!r} is not a time zone name such as Europe/Brussels."
            ) from None
        return value

    def choice(self, name: str, choices: tuple[str, ...], default=REQUIRED) -> str:
        value = self.string(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
        return value

    def database(self, name: str, default=REQUIRED) -> dict:
        """PostgreSQL only: the code has one database and one code path."""
        import dj_database_url

        value = self.url(name, default, schemes=("postgres", "postgresql", "pgsql"))
        try:
            return dj_database_url.parse(value, conn_max_age=0, conn_health_checks=True)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name} cannot be read: {error}") from None


def cache_config(url: str | None, file_cache_dir: str) -> dict:
    """A shared cache: rate limits must hold across web processes, so no per-process default."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": file_cache_dir,
        }
    if urlsplit(url).scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use redis://host:port/db or locmem://.")
