"""Figures: the counts a dashboard is made of, before any privacy rule or rounding.

Both the summary tables (dashboards.selectors) and the raw tables (tests/dashboards/raw.py)
produce them, so the two can be compared number for number.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

MEASURES = (
    "visits",
    "passes_online",
    "passes_museum",
    "passes_partner",
    "renewals",
    "delivered",
    "responded",
    "responses",
)
PASS_CHANNELS = ("passes_online", "passes_museum", "passes_partner")
ANSWERED = ""  # the value under which every answer to a question counts once


@dataclass
class Figures:
    # month -> measure -> count
    monthly: dict[datetime.date, Counter] = field(default_factory=dict)
    # month -> (question id, value) -> answers; value ANSWERED counts every answer once
    answers: dict[datetime.date, Counter] = field(default_factory=dict)
    # over the whole period: (question id, value) -> answers
    answers_total: Counter = field(default_factory=Counter)
    # benchmarks, per month: measure ("visits", "passes", "responses" or a question id) ->
    # museums behind it, and question id -> answers
    museums_monthly: dict[datetime.date, Counter] = field(default_factory=dict)
    answered: dict[datetime.date, Counter] = field(default_factory=dict)

    def total(self, measure: str) -> int:
        return sum(month[measure] for month in self.monthly.values())

    def passes(self) -> int:
        return sum(self.total(channel) for channel in PASS_CHANNELS)

    def add(self, other: "Figures") -> None:
        self.answers_total.update(other.answers_total)
        # Museums of different size classes are different museums: their counts add up too.
        for name in ("monthly", "answers", "museums_monthly", "answered"):
            mine = getattr(self, name)
            for month, counts in getattr(other, name).items():
                mine.setdefault(month, Counter()).update(counts)
