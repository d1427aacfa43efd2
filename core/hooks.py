"""Hooks for apps that keep derived data: fired after the commit of the rows they announce.

A hook fires with `transaction.on_commit`, so a listener never sees data that is rolled back.
Listeners register in their AppConfig.ready() (`visits_stored.register(refresh)`); they must be
quick (queue a Celery task), and one that raises is logged: the write has happened.
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


class Hook:
    def __init__(self, name: str):
        self.name = name
        self.listeners: list[Callable] = []

    def register(self, listener: Callable) -> Callable:
        if listener not in self.listeners:
            self.listeners.append(listener)
        return listener

    def fire_on_commit(self, **payload) -> None:
        if self.listeners:
            transaction.on_commit(lambda: self._fire(payload))

    def _fire(self, payload: dict) -> None:
        for listener in self.listeners:
            try:
                listener(**payload)
            except Exception:
                # The data is committed; a derived table can be rebuilt, the write cannot be undone.
                logger.exception("hook %s: listener %r failed", self.name, listener)
