"""The staff overview: every museum's figures for a period, with the potential flags."""

import statistics
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dashboards import privacy, selectors
from dashboards.figures import PASS_CHANNELS
from dashboards.periods import Period
from dashboards.report import nps_of, percent

MANY_VISITS_FEW_SALES = "sell"
MANY_SALES_FEW_VISITS = "visit"
FLAGS = {
    MANY_VISITS_FEW_SALES: _("many visits, few sales"),
    MANY_SALES_FEW_VISITS: _("many sales, few visits"),
}


@dataclass
class Medians:
    visits: float
    passes: float


def overview_rows(period: Period) -> tuple[list[dict], Medians]:
    """One row per active museum; NPS hidden below the response threshold, as everywhere."""
    rows = []
    for museum in selectors.museum_overview(period):
        counts, nps = museum.pop("counts"), nps_of(museum.pop("nps"))
        passes = sum(counts[channel] for channel in PASS_CHANNELS)
        answers = nps["answers"] if nps else 0
        rows.append(
            {
                **museum,  # pk, name, city, region, size_class
                "visits": counts["visits"],
                "passes": passes,
                "sales_per_100": percent(passes, counts["visits"]),
                "renewals": counts["renewals"],
                "responses": counts["responses"],
                "nps": nps["nps"] if nps and answers >= privacy.min_responses() else None,
                "nps_hidden": 0 < answers < privacy.min_responses(),
                "flags": [],
            }
        )
    medians = Medians(
        visits=statistics.median([row["visits"] for row in rows]) if rows else 0,
        passes=statistics.median([row["passes"] for row in rows]) if rows else 0,
    )
    for row in rows:
        if row["visits"] > medians.visits and row["passes"] < medians.passes:
            row["flags"].append(MANY_VISITS_FEW_SALES)
        if row["passes"] > medians.passes and row["visits"] < medians.visits:
            row["flags"].append(MANY_SALES_FEW_VISITS)
    return rows, medians
