"""Reads of the dashboards, from the summary tables only.

Museum-facing reads take a `ScopedMuseum` (dashboards.scoping.museum_for) and nothing else;
benchmark reads return network rows, which name no museum.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Max, Q, Sum

from dashboards.figures import ANSWERED, MEASURES, Figures
from dashboards.models import ALL, TOTALS, AnswerSummary, DaySummary, MonthSummary
from dashboards.periods import Period
from dashboards.privacy import DIMENSIONS, Segment, rule_dimensions
from dashboards.scoping import ScopedMuseum, require_scope
from museumpas.models import Museum
from surveys.models import Answer, Question, QuestionKind


def segment_filter(segment: Segment) -> Q:
    """Rows of one segment: the totals rows for everyone, the per-segment rows otherwise."""
    if segment.is_everyone:
        return TOTALS
    return ~TOTALS & Q(**segment.values())


_MUSEUM_COUNTS = ("museums_visited", "museums_selling", "museums_responding")


def _months(period: Period) -> Q:
    return Q(month__range=(period.first, period.last))


def museum_figures(scope: ScopedMuseum, period: Period, segment: Segment) -> Figures:
    require_scope(scope)
    figures = Figures()
    rows = (
        MonthSummary.objects.filter(_months(period), segment_filter(segment), museum=scope.pk)
        .values("month")
        .annotate(**{measure: Sum(measure) for measure in MEASURES})
    )
    for row in rows:
        month = row.pop("month")
        figures.monthly[month] = Counter(row)
    answers = (
        AnswerSummary.objects.filter(_months(period), segment_filter(segment), museum=scope.pk)
        .values_list("month", "question_id", "value")
        .annotate(Sum("answers"))
    )
    for month, question_id, value, count in answers:
        figures.answers.setdefault(month, Counter())[(question_id, value)] += count
        figures.answers_total[(question_id, value)] += count
    return figures


def response_history(scope: ScopedMuseum) -> dict[datetime.date, int]:
    """A museum's responses per month over its whole history: its runs of months
    (dashboards.privacy.runs) do not depend on the period asked."""
    require_scope(scope)
    rows = MonthSummary.objects.filter(TOTALS, museum=scope.pk, responses__gt=0)
    return dict(rows.values_list("month", "responses"))


def benchmark_figures(period: Period, segment: Segment) -> dict[str, Figures]:
    """The network's figures per size class; `museums_monthly` counts the museums behind each
    figure per month (the most in any one segment: never more than truly contributed), with
    the answers per question and month in `answered`."""
    by_class: dict[str, Figures] = defaultdict(Figures)
    rows = (
        MonthSummary.objects.filter(_months(period), segment_filter(segment), museum=None)
        .values("size_class", "month")
        .annotate(
            **{measure: Sum(measure) for measure in MEASURES},
            **{name: Max(name) for name in _MUSEUM_COUNTS},
        )
    )
    for row in rows:
        figures, month = by_class[row["size_class"]], row["month"]
        figures.monthly[month] = Counter({measure: row[measure] for measure in MEASURES})
        figures.museums_monthly[month] = Counter(
            visits=row["museums_visited"],
            passes=row["museums_selling"],
            responses=row["museums_responding"],
        )
    answers = (
        AnswerSummary.objects.filter(_months(period), segment_filter(segment), museum=None)
        .values_list("size_class", "question_id", "value")
        .annotate(Sum("answers"))
    )
    for size_class, question_id, value, count in answers:
        by_class[size_class].answers_total[(question_id, value)] += count
    answered = (
        AnswerSummary.objects.filter(
            _months(period), segment_filter(segment), museum=None, value=ANSWERED
        )
        .values_list("size_class", "month", "question_id")
        .annotate(Sum("answers"), Max("museums"))
    )
    for size_class, month, question_id, count, museums in answered:
        figures = by_class[size_class]
        figures.answered.setdefault(month, Counter())[question_id] += count
        figures.museums_monthly.setdefault(month, Counter())[question_id] = museums
    return dict(by_class)


@dataclass
class SegmentCells:
    """A museum's responses (and answers per question) per month and segment, for the filter
    rule: (age group, language, region) -> count."""

    responses: dict[datetime.date, Counter] = field(default_factory=dict)
    answers: dict[int, dict[datetime.date, Counter]] = field(default_factory=dict)


def segment_cells(scope: ScopedMuseum, period: Period, segment: Segment) -> SegmentCells:
    """The responses per month and segment (the filters' rule needs every segment, to tell
    which filters are safe), and the answers per question and month cut by the dimensions the
    rule checks for the `segment` (dashboards.privacy.rule_dimensions): the other dimensions
    are summed in the database and left empty in the keys. Without a filter the answers'
    cells are not needed, and not read."""
    require_scope(scope)
    cells = SegmentCells()
    responses: dict = defaultdict(Counter)
    rows = MonthSummary.objects.filter(_months(period), ~TOTALS, museum=scope.pk).values_list(
        "month", *DIMENSIONS, "responses"
    )
    for month, age_group, language, region, count in rows:
        responses[month][(age_group, language, region)] += count
    cells.responses = dict(responses)
    dimensions = rule_dimensions(segment.dimensions)
    if not dimensions:
        return cells
    answers = (
        AnswerSummary.objects.filter(_months(period), ~TOTALS, museum=scope.pk, value="")
        .values_list("question_id", "month", *dimensions)
        .annotate(Sum("answers"))
    )
    by_question: dict = defaultdict(lambda: defaultdict(Counter))
    for question_id, month, *values, count in answers:
        named = dict(zip(dimensions, values, strict=True))
        key = tuple(named.get(name, ALL) for name in DIMENSIONS)
        by_question[question_id][month][key] += count
    cells.answers = {question_id: dict(by_month) for question_id, by_month in by_question.items()}
    return cells


def questions_by_id(ids) -> dict[int, Question]:
    questions = Question.objects.filter(pk__in=list(ids)).order_by("survey_id", "position", "pk")
    return {question.pk: question for question in questions}


def museums_per_size_class() -> Counter:
    return Counter(Museum.objects.filter(active=True).values_list("size_class", flat=True))


def comments(
    scope: ScopedMuseum, period: Period, segment: Segment, *, search: str = "", limit: int = 20
) -> list[dict]:
    """The most recent free-text answers: the text and the month of the visit, nothing else.

    Most recent by the month of the visit, then by response (the order they were stored in):
    the index on (museum, visit month) serves that order, and it shows no more than the page
    does. By submission time, PostgreSQL sorted every response of the period of a busy museum
    first (about 40 ms of a 150 ms page at 500,000 responses).
    """
    require_scope(scope)
    answers = Answer.objects.filter(
        response__museum=scope.pk,
        response__visit_month__range=(period.first, period.last),
        question__kind=QuestionKind.TEXT,
        **{f"response__{name}": value for name, value in segment.values().items()},
    )
    # A text found by the search is not empty: the condition is left out then, since
    # PostgreSQL would count both conditions' selectivity (one comment in forty answers, then
    # again the share of comments holding the word), think one row matches, and look up the
    # response of every matching answer in the network, one by one.
    answers = answers.filter(text__icontains=search) if search else answers.exclude(text="")
    recent = answers.order_by("-response__visit_month", "-response_id", "-pk").values(
        "text", month=F("response__visit_month")
    )[:limit]
    # Reading the most recent responses first, the 20 comments come after a few hundred rows
    # (a millisecond or two), but over many months PostgreSQL expects many rows and starts
    # parallel workers, whose start alone took 20 to 30 ms at the busiest museum.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        return list(recent)


def museum_overview(period: Period) -> list[dict]:
    """Every active museum's totals for the period, for the staff overview (three queries)."""
    museums = list(
        Museum.objects.filter(active=True)
        .order_by("name")
        .values("pk", "name", "city", "region", "size_class")
    )
    totals = {
        row.pop("museum_id"): row
        for row in MonthSummary.objects.filter(_months(period), museum__isnull=False, age_group=ALL)
        .values("museum_id")
        .annotate(**{measure: Sum(measure) for measure in MEASURES})
    }
    nps: dict[int, Counter] = defaultdict(Counter)
    answers = (
        AnswerSummary.objects.filter(
            _months(period),
            museum__isnull=False,
            age_group=ALL,
            question__kind=QuestionKind.NPS,
        )
        .values_list("museum_id", "value")
        .annotate(Sum("answers"))
    )
    for museum_id, value, count in answers:
        nps[museum_id][value] += count
    for museum in museums:
        museum["counts"] = Counter(totals.get(museum["pk"], {}))
        museum["nps"] = nps.get(museum["pk"], Counter())
    return museums


def visits_in_windows(windows: list[tuple[datetime.date, datetime.date]]) -> dict:
    """Visits per window: by museum size and region (network totals rows), by the holder's
    age group and region (network segment rows), and per museum (museum rows)."""
    sums = {
        f"w{index}": Sum("visits", filter=Q(day__range=window))
        for index, window in enumerate(windows)
    }
    span = Q(day__gte=min(first for first, _ in windows), day__lte=max(last for _, last in windows))
    network = (
        DaySummary.objects.filter(span, museum=None)
        .values("size_class", "museum_region", "age_group", "region")
        .annotate(**sums)
    )
    per_museum = (
        DaySummary.objects.filter(span, museum__isnull=False).values("museum_id").annotate(**sums)
    )
    return {"network": list(network), "museums": list(per_museum)}
