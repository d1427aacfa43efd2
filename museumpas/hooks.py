"""Hook points for apps that keep derived data (the dashboards' summary tables, issue 7).

A hook is fired with `transaction.on_commit`, after the rows it announces are committed, so a
listener never sees data that is rolled back. Listeners register in their AppConfig.ready():

    from museumpas.hooks import visits_stored
    visits_stored.register(refresh_visit_summaries)

A listener must be quick (queue a Celery task) and must not raise: the write has happened.
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


# visits_stored(museum_days: set[tuple[int, datetime.date]]): visits were added or changed for
# these (museum id, local visit date) pairs.
visits_stored = Hook("visits_stored")

# passes_stored(museum_days: set[tuple[int, datetime.date]]): passes sold by these museums
# (`sold_by`) were added or changed, for these (museum id, valid_from) pairs.
passes_stored = Hook("passes_stored")
