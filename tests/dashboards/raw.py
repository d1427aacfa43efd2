"""The dashboard's figures computed from the raw tables, without the summary tables: the
reference the summaries are compared with (test_summaries.py) and what a dashboard would cost
without them (bench/dashboards.py)."""

import datetime
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.functions import Cast, ExtractYear, TruncMonth

from dashboards.figures import Figures
from dashboards.periods import Period, month_start
from dashboards.privacy import Segment
from dashboards.services.summaries import UNNEST_CHOICE_KEYS, age_group_expression
from museumpas.models import Pass, Visit
from museumpas.services import local_date, local_midnight
from surveys.models import CHOICE_KINDS, Answer, Invitation, Response


def _segment(queryset: QuerySet, segment: Segment, *, year: str, language: str) -> QuerySet:
    values = segment.values()
    if "age_group" in values:
        age = age_group_expression(ExtractYear(year), F("holder__birth_year"))
        queryset = queryset.alias(raw_age=age).filter(raw_age=values["age_group"])
    if "language" in values:
        queryset = queryset.filter(**{language: values["language"]})
    if "region" in values:
        queryset = queryset.filter(holder__region=values["region"])
    return queryset


def _sources(period: Period, segment: Segment, museum_id: int | None) -> dict[str, QuerySet]:
    """Visits, sales, invitations and responses of the period (of one museum, or all)."""
    start = local_midnight(period.first)
    end = local_midnight(period.end + datetime.timedelta(days=1))
    visits = Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)
    passes = Pass.objects.filter(
        sold_by__isnull=False, valid_from__range=(period.first, period.end)
    )
    invitations = Invitation.objects.filter(visit__visited_at__gte=start, visit__visited_at__lt=end)
    responses = Response.objects.filter(
        visit_month__range=(period.first, period.last), **segment.values()
    )
    if museum_id is not None:
        visits = visits.filter(museum_id=museum_id)
        passes = passes.filter(sold_by_id=museum_id)
        invitations = invitations.filter(visit__museum_id=museum_id)
        responses = responses.filter(museum_id=museum_id)
    return {
        "visits": _segment(visits, segment, year="visited_at", language="holder__language"),
        "passes": _segment(passes, segment, year="valid_from", language="holder__language"),
        "invitations": _segment(
            invitations, segment, year="visit__visited_at", language="language"
        ),
        "responses": responses,
    }


# source: (its museum, its month, the measures counted)
_MEASURES = {
    "visits": ("museum", TruncMonth("visited_at"), {"visits": Count("pk")}),
    "passes": (
        "sold_by",
        TruncMonth("valid_from"),
        {
            "passes_online": Count("pk", filter=Q(channel="online")),
            "passes_museum": Count("pk", filter=Q(channel="museum")),
            "passes_partner": Count("pk", filter=Q(channel="partner")),
            "renewals": Count("pk", filter=Q(is_renewal=True)),
        },
    ),
    "invitations": (
        "visit__museum",
        TruncMonth("visit__visited_at"),
        {
            "delivered": Count("pk", filter=Q(sent_at__isnull=False)),
            "responded": Count("pk", filter=Q(responded_at__isnull=False)),
        },
    ),
    "responses": ("museum", F("visit_month"), {"responses": Count("pk")}),
}


def _month(value) -> datetime.date:
    if hasattr(value, "hour"):
        value = local_date(value)
    return month_start(value)


def _counts(museum_id: int | None, period: Period, segment: Segment) -> list[tuple]:
    """(size class, month, measure, count) rows."""
    rows = []
    for source, queryset in _sources(period, segment, museum_id).items():
        museum, month, measures = _MEASURES[source]
        grouped = (
            queryset.order_by()
            .values(raw_size=F(f"{museum}__size_class"), raw_month=month)
            .annotate(**measures)
        )
        for row in grouped:
            for measure in measures:
                rows.append((row["raw_size"], _month(row["raw_month"]), measure, row[measure]))
    return rows


def _answers(museum_id: int | None, period: Period, segment: Segment) -> QuerySet:
    answers = Answer.objects.filter(
        response__visit_month__range=(period.first, period.last),
        **{f"response__{name}": value for name, value in segment.values().items()},
    )
    if museum_id is not None:
        answers = answers.filter(response__museum_id=museum_id)
    return answers.order_by()


def _answer_rows(museum_id: int | None, period: Period, segment: Segment) -> list[tuple]:
    """(size class, month, question, value, count) rows."""
    keys = {
        "raw_size": F("response__museum__size_class"),
        "raw_month": F("response__visit_month"),
        "raw_question": F("question_id"),
    }
    answers = _answers(museum_id, period, segment)
    rows = list(answers.values_list(*keys.values()).annotate(Count("pk")))
    rows = [(size, month, question, "", count) for size, month, question, count in rows]
    rows += list(
        answers.filter(number__isnull=False)
        .values_list(*keys.values(), Cast("number", CharField()))
        .annotate(Count("pk"))
    )
    sql, params = (
        answers.filter(question__kind__in=CHOICE_KINDS)
        .values(**keys, k_keys=F("choice_keys"))
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT raw_size, raw_month, raw_question, c.value, COUNT(*) "
            f"FROM ({sql}) AS r {UNNEST_CHOICE_KEYS} "
            "GROUP BY raw_size, raw_month, raw_question, c.value",
            params,
        )
        rows += [
            (size, _month(month), question, value, count)
            for size, month, question, value, count in cursor.fetchall()
        ]
    return rows


def museum_figures(museum_id: int, period: Period, segment: Segment) -> Figures:
    figures = Figures()
    for _size, month, measure, count in _counts(museum_id, period, segment):
        figures.monthly.setdefault(month, Counter())[measure] += count
    for _size, month, question, value, count in _answer_rows(museum_id, period, segment):
        figures.answers.setdefault(month, Counter())[(question, value)] += count
        figures.answers_total[(question, value)] += count
    return figures


def benchmark_figures(period: Period, segment: Segment) -> dict[str, Figures]:
    """Per size class."""
    by_class: dict[str, Figures] = defaultdict(Figures)
    for size, month, measure, count in _counts(None, period, segment):
        by_class[size].monthly.setdefault(month, Counter())[measure] += count
    for size, _month, question, value, count in _answer_rows(None, period, segment):
        by_class[size].answers_total[(question, value)] += count
    return dict(by_class)


def comparable(figures: Figures) -> dict:
    """Every count, without zeros, for comparing two ways of computing them."""

    def without_zeros(counts) -> dict:
        return {key: value for key, value in counts.items() if value}

    return {
        "monthly": {
            month: without_zeros(c) for month, c in figures.monthly.items() if any(c.values())
        },
        "answers": {
            month: without_zeros(c) for month, c in figures.answers.items() if any(c.values())
        },
        "answers_total": without_zeros(figures.answers_total),
    }
