import os

from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's package; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class BrowserSession:
    """One headless Chromium for the whole session; each test gets its own context."""

    def __init__(self):
        # Playwright's sync API runs an event loop in this thread; Django's ORM guard would
        # otherwise refuse the test's own queries.
        self._previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        # Django keeps connections per context; once Playwright's loop runs, this thread is in
        # another one, and a connection opened before would stay open and unreachable.
        connections.close_all()
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )

    def new_context(self, **options):
        options.setdefault("locale", "nl-BE")
        return self.browser.new_context(**options)

    def close(self):
        self.browser.close()
        self._playwright.stop()
        if self._previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._previous


def log_in(page, username: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def wait_for_scripts(page) -> None:
    """Wait until the current document has run its scripts (keys pressed before are lost).

    The load event, not a polled predicate: the pages' Content-Security-Policy forbids eval."""
    page.wait_for_load_state("load")
