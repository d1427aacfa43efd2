"""Who sees which museum, and the summary tables the dashboards read.

The summary tables hold only what can be recomputed from the raw tables (visits, passes,
invitations, responses, answers): `dashboards.services.summaries` deletes and rewrites them
for a museum and a day or month, after every write (hooks, Celery) and every night.

Two conventions run through all three tables:

- `museum` is a museum's own row; `museum` empty is the network's row for one size class (and,
  for days, one museum region): the benchmark, summed over museums, never naming one.
- A segment is the holder's age group, language and region. Rows with all three empty (`ALL`)
  are the totals over every segment, stored besides the per-segment rows so that unfiltered
  pages and the staff overview read a few rows instead of summing many.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from museumpas.models import Museum
from surveys.models import Question

ALL = ""  # the segment value of total rows
SEGMENT = ["age_group", "language", "region"]  # the fields of a segment


class MuseumMembership(models.Model):
    """A museum user belongs to one or more museums and sees only their dashboards.

    It lives here rather than in `museumpas` because it is about who may read the dashboards,
    not about the pass: museumpas keeps no users.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="museum_memberships",
    )
    museum = models.ForeignKey(
        Museum, verbose_name=_("museum"), on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("museum membership")
        verbose_name_plural = _("museum memberships")
        constraints = [models.UniqueConstraint(fields=["user", "museum"], name="membership_once")]

    def __str__(self):
        return f"{self.user} · {self.museum}"


class _Segmented(models.Model):
    museum = models.ForeignKey(Museum, null=True, on_delete=models.CASCADE, related_name="+")
    size_class = models.CharField(max_length=10)
    age_group = models.CharField(max_length=10)
    language = models.CharField(max_length=2)
    region = models.CharField(max_length=10)

    class Meta:
        abstract = True

    def __str__(self):
        segment = "/".join((self.age_group, self.language, self.region)) if self.age_group else "*"
        return f"{self.museum_id or self.size_class} {segment}"


class _VisitsAndSales(_Segmented):
    visits = models.IntegerField(default=0)
    passes_online = models.IntegerField(default=0)
    passes_museum = models.IntegerField(default=0)
    passes_partner = models.IntegerField(default=0)
    renewals = models.IntegerField(default=0)
    # Network rows: how many museums had visits, and sold passes, in this row.
    museums_visited = models.IntegerField(default=0)
    museums_selling = models.IntegerField(default=0)

    class Meta:
        abstract = True


OWN = Q(museum__isnull=False)
NETWORK = Q(museum__isnull=True)
TOTALS = Q(age_group=ALL)


class DaySummary(_VisitsAndSales):
    """Visits at a museum on a (local) day and passes it sold that day (by `valid_from`).

    Museum rows are totals only; network rows are per size class, museum region and segment
    (and their totals), for the benchmarks and the period comparison.
    """

    museum_region = models.CharField(max_length=10)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["museum", "day", *SEGMENT],
                condition=OWN,
                name="day_summary_museum",
            ),
            models.UniqueConstraint(
                fields=["day", "size_class", "museum_region", *SEGMENT],
                condition=NETWORK,
                name="day_summary_network",
            ),
        ]
        indexes = [
            # The period comparison: every museum's visits in a window of days.
            models.Index(fields=["day", "museum"], condition=OWN, name="day_summary_own_days"),
        ]


class MonthSummary(_VisitsAndSales):
    """A museum's month: visits and passes again (per segment), and the survey feedback.

    Survey figures are dated by the month of the visit, the only date a response keeps:
    `delivered` and `responded` count invitations (the response rate), `responses` the
    stored responses.
    """

    month = models.DateField()
    delivered = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responses = models.IntegerField(default=0)
    # Network rows: how many museums responded in this row.
    museums_responding = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["museum", "month", *SEGMENT],
                condition=OWN,
                name="month_summary_museum",
            ),
            models.UniqueConstraint(
                fields=["month", "size_class", *SEGMENT],
                condition=NETWORK,
                name="month_summary_network",
            ),
        ]
        indexes = [
            # The staff overview: every museum's totals for a range of months.
            models.Index(
                fields=["month", "museum"], condition=OWN & TOTALS, name="month_summary_totals"
            ),
        ]


class AnswerSummary(_Segmented):
    """How often each answer was given to a question, per museum, month of visit and segment.

    `value` is the number for NPS and rating questions ("0" to "10") and the choice's key for
    choice questions (a multiple-choice answer counts once for each key chosen).
    """

    month = models.DateField()
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=64)
    answers = models.IntegerField(default=0)
    # Network rows: how many museums had this answer in this row.
    museums = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["museum", "month", "question", *SEGMENT, "value"],
                condition=OWN,
                name="answer_summary_museum",
            ),
            models.UniqueConstraint(
                fields=["month", "question", "size_class", *SEGMENT, "value"],
                condition=NETWORK,
                name="answer_summary_network",
            ),
        ]
        indexes = [
            # The staff overview's NPS: every museum's totals for the NPS questions.
            models.Index(
                fields=["question", "month", "museum"],
                condition=OWN & TOTALS,
                name="answer_summary_totals",
            ),
        ]
