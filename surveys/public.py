"""Helpers of the public survey pages (no login): the client's address, the page headers."""

from functools import wraps

from django.conf import settings


def client_address(request) -> str:
    """The address rate limits count by: behind PROXY_COUNT proxies, the one they saw."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def public_page(view):
    """A survey link is a bearer token: no referrer leaves the page, no cache keeps it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped
