"""A museum's dashboard: its figures and the benchmarks turned into tables, with every privacy
rule applied. The page, the CSV exports and the API all render these same tables, so what one
hides the others hide too."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboards import privacy, rendering, selectors
from dashboards.figures import ANSWERED, PASS_CHANNELS, Figures
from dashboards.periods import Period
from dashboards.privacy import Segment
from dashboards.scoping import ScopedMuseum, require_scope
from dashboards.selectors import SegmentCells
from museumpas.models import Museum
from surveys.models import Question, QuestionKind

PROMOTERS, DETRACTORS = range(9, 11), range(0, 7)
ALL_CELLS = ("", "", "")  # the one cell of figures read without a filter


TOO_FEW_RESPONSES, TOO_FEW_MUSEUMS = "responses", "museums"


@dataclass
class Cell:
    value: float | int | str | None = None  # None: nothing to show
    hidden: bool = False  # withheld, for the reason below
    reason: str = TOO_FEW_RESPONSES

    @property
    def csv(self) -> float | int | str:
        """What the CSV export writes: the number itself, so that it stays one (-20)."""
        if self.hidden:
            if self.reason == TOO_FEW_MUSEUMS:
                return f"<{privacy.min_benchmark_museums()} museums"
            return f"<{privacy.min_responses()}"
        return "" if self.value is None else self.value


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    label_header: str = ""  # the heading of the first column, the rows' labels
    numeric: bool = True  # cells are numbers (aligned right)
    section: str = "feedback"
    chart: str | None = None  # "line" or "bar"
    chart_rows: list[int] | None = None  # rows the chart draws (None: all)
    notes: list[str] = field(default_factory=list)
    csv_url: str = ""  # set by the view that renders it

    @property
    def chart_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def table_id(self) -> str:
        return f"table-{self.slug}"

    def html(self) -> SafeString:
        """The numbers as an HTML `<table>` (what the page shows below each chart)."""
        return rendering.table_html(self)

    def chart_data(self) -> dict:
        rows = self.rows if self.chart_rows is None else [self.rows[i] for i in self.chart_rows]
        return {
            "labels": self.columns,
            "series": [
                {
                    "label": row.label,
                    "values": [None if cell.hidden else cell.value for cell in row.cells],
                }
                for row in rows
            ],
        }


@dataclass
class Dashboard:
    museum: Museum
    period: Period
    segment: Segment
    tables: list[Table]
    segment_refused: bool = False
    safe_dimensions: dict[str, bool] = field(default_factory=dict)
    nps_answers: int | None = None  # None: withheld with the NPS
    nps_warning: bool = False
    comments_shown: bool = False
    notes: list[str] = field(default_factory=list)

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.tables if table.slug == slug), None)

    def section(self, name: str) -> list[Table]:
        return [table for table in self.tables if table.section == name]


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def nps_of(distribution: Counter) -> dict | None:
    """NPS = % promoters (9-10) minus % detractors (0-6), from answers counted per value."""
    scores = {int(value): count for value, count in distribution.items() if value != ANSWERED}
    total = sum(scores.values())
    if not total:
        return None
    promoters = sum(scores.get(score, 0) for score in PROMOTERS)
    detractors = sum(scores.get(score, 0) for score in DETRACTORS)
    return {
        "nps": round(100 * (promoters - detractors) / total),
        "promoters": percent(promoters, total),
        "passives": percent(total - promoters - detractors, total),
        "detractors": percent(detractors, total),
        "answers": total,
    }


def average_of(distribution: Counter) -> float | None:
    scores = {int(value): count for value, count in distribution.items() if value != ANSWERED}
    total = sum(scores.values())
    if not total:
        return None
    return round(sum(score * count for score, count in scores.items()) / total, 2)


def _question_counts(counts: Counter, question_ids: list[int]) -> Counter:
    """Answers per value, summed over some questions (the NPS questions of several surveys)."""
    pooled: Counter = Counter()
    for (question_id, value), count in counts.items():
        if question_id in question_ids:
            pooled[value] += count
    return pooled


def _language() -> str:
    language = (get_language() or "nl")[:2]
    return language if language in ("nl", "fr", "en") else "en"


@dataclass
class Series:
    """The months of one figure that may be shown, and whether its period total may."""

    counts: dict[datetime.date, int]
    hidden: set[datetime.date]
    total_shown: bool

    def month_cell(self, month: datetime.date, value) -> Cell:
        if month in self.hidden:
            return Cell(hidden=True)
        return Cell(value if self.counts.get(month) else None)

    def total_cell(self, value) -> Cell:
        return Cell(value) if self.total_shown else Cell(hidden=True)


class DashboardBuilder:
    def __init__(
        self,
        *,
        museum: Museum,
        period: Period,
        segment: Segment,
        own: Figures,
        by_class: dict[str, Figures],
        museums_per_class: Counter,
        cells: SegmentCells,
        questions: dict[int, Question],
        runs: list[privacy.Run],
    ):
        self.museum, self.period, self.segment = museum, period, segment
        self.own, self.cells, self.questions = own, cells, questions
        self.same_size = by_class.get(museum.size_class, Figures())
        self.network = Figures()
        for figures in by_class.values():
            self.network.add(figures)
        self.museums_same_size = museums_per_class.get(museum.size_class, 0)
        self.museums_network = sum(museums_per_class.values())
        self.months = period.months
        self.columns = [date_format(month, "M Y") for month in self.months]
        self.runs = runs
        self.response_runs = privacy.run_cells(self.months, runs, cells.responses)
        self.refused = privacy.release(
            self.months, runs, self.response_runs, segment.dimensions
        ).refused
        self.nps_ids = [pk for pk, q in questions.items() if q.kind == QuestionKind.NPS]

    # Privacy (dashboards.privacy): the museum's runs of months and the filters' cuts.

    def series(
        self, counts: dict[datetime.date, int], cells_by_month: dict, per_run=None
    ) -> Series:
        """`counts` what each month's figure rests on, with the filter; `cells_by_month` the
        same per segment cell, whatever the filter (`per_run`: already summed per run)."""
        if self.refused:  # by the responses' cut: every feedback figure goes with it
            return Series(counts, set(self.months), False)
        per_run = per_run or privacy.run_cells(self.months, self.runs, cells_by_month)
        release = privacy.release(self.months, self.runs, per_run, self.segment.dimensions)
        return Series(counts, set(release.hidden), release.total_shown)

    def dimension_is_safe(self, name: str) -> bool:
        """Would a filter on this dimension alone be allowed in every run of the period?"""
        return all(privacy.cut_is_safe(cells, (name,)) for cells in self.response_runs.values())

    def responses_series(self) -> Series:
        counts = {
            month: self.own.monthly.get(month, Counter())["responses"] for month in self.months
        }
        return self.series(counts, self.cells.responses, self.response_runs)

    def question_series(self, question_ids: list[int]) -> Series:
        counts = {
            month: sum(
                self.own.answers.get(month, Counter())[(pk, ANSWERED)] for pk in question_ids
            )
            for month in self.months
        }
        if self.segment.is_everyone:  # the counts are the cells' totals: no cut to check
            return self.series(counts, {month: {ALL_CELLS: n} for month, n in counts.items()})
        cells: dict = {}
        for pk in question_ids:
            for month, by_segment in self.cells.answers.get(pk, {}).items():
                cells.setdefault(month, Counter()).update(by_segment)
        return self.series(counts, cells)

    @staticmethod
    def _benchmark(value, monthly: list[tuple[int, int]]) -> Cell:
        """A survey figure of other museums, from (count, museums) per month."""
        if not any(count for count, _museums in monthly):
            return Cell()
        if not privacy.museums_are_enough(monthly):
            return Cell(hidden=True, reason=TOO_FEW_MUSEUMS)
        if not privacy.benchmark_is_shown(monthly):
            return Cell(hidden=True)
        return Cell(value)

    @staticmethod
    def _months_of(figures: Figures, measure: str) -> list[tuple[int, int]]:
        """(count, museums) per month of a benchmark: visits, passes or responses."""
        return [
            (
                sum(counts[channel] for channel in PASS_CHANNELS)
                if measure == "passes"
                else counts[measure],
                figures.museums_monthly.get(month, Counter())[measure],
            )
            for month, counts in figures.monthly.items()
        ]

    @staticmethod
    def _answered_months(figures: Figures, question_ids: list[int]) -> list[tuple[int, int]]:
        """(answers, museums) per month of a benchmark, over one or more questions."""
        return [
            (
                sum(answered[pk] for pk in question_ids),
                max(figures.museums_monthly.get(month, Counter())[pk] for pk in question_ids),
            )
            for month, answered in figures.answered.items()
            if question_ids
        ]

    def _average(self, figures: Figures, measure_total: int, museums_key: str, divisor: int):
        if not measure_total or not divisor:
            return Cell()
        if not privacy.museums_are_enough(self._months_of(figures, museums_key)):
            return Cell(hidden=True, reason=TOO_FEW_MUSEUMS)
        return Cell(round(measure_total / divisor))

    # Tables.

    def build(self) -> Dashboard:
        responses = self.responses_series()
        nps = self.question_series(self.nps_ids)
        tables = [
            self.key_figures(responses, nps),
            self.visits_table(),
            self.passes_table(),
            self.responses_table(responses),
            self.nps_table(nps),
            *self.rating_tables(),
            *self.choice_tables(),
        ]
        nps_answers = sum(nps.counts.values()) if nps.total_shown else None
        notes = []
        if self.refused:
            notes.append(
                _(
                    "These filters would show, or let one work out, a group of fewer than "
                    "%(k)d responses: the feedback is hidden. Choose fewer or other filters."
                )
                % {"k": privacy.min_responses()}
            )
        return Dashboard(
            museum=self.museum,
            period=self.period,
            segment=self.segment,
            tables=tables,
            segment_refused=self.refused,
            safe_dimensions={name: self.dimension_is_safe(name) for name in privacy.DIMENSIONS},
            nps_answers=nps_answers,
            nps_warning=bool(nps_answers) and nps_answers < privacy.nps_warning_below(),
            comments_shown=responses.total_shown
            and sum(responses.counts.values()) >= privacy.min_responses_for_comments(),
            notes=notes,
        )

    def key_figures(self, responses: Series, nps: Series) -> Table:
        table = Table(
            "key-figures",
            _("Key figures"),
            [_("This museum"), _("Average museum of the same size"), _("Average museum")],
            section="summary",
        )
        benchmarks = (
            (self.same_size, self.museums_same_size),
            (self.network, self.museums_network),
        )
        own = self.own
        counts = (
            (_("Visits with the pass"), own.total("visits"), "visits", lambda f: f.total("visits")),
            (_("Passes sold"), own.passes(), "passes", lambda f: f.passes()),
            (_("Renewals"), own.total("renewals"), "passes", lambda f: f.total("renewals")),
        )
        for label, value, museums_key, measure in counts:
            table.rows.append(
                Row(
                    label,
                    [
                        Cell(value),
                        *(
                            self._average(figures, measure(figures), museums_key, divisor)
                            for figures, divisor in benchmarks
                        ),
                    ],
                )
            )
        table.rows.append(
            Row(
                _("Passes sold per 100 visits"),
                [
                    Cell(percent(own.passes(), own.total("visits"))),
                    *(self._average_rate(figures) for figures, _divisor in benchmarks),
                ],
            )
        )
        table.rows += self._feedback_key_rows(responses, nps, benchmarks)
        table.notes.append(
            _(
                "Benchmarks sum the museums of the network (or of this size class: "
                "%(same_size)d museums) and are shown only when at least %(museums)d museums "
                "contribute, so that no museum's figures can be worked out from them. Counts "
                "are per museum; rates over all their visits and responses."
            )
            % {"same_size": self.museums_same_size, "museums": privacy.min_benchmark_museums()}
        )
        return table

    def _average_rate(self, figures: Figures) -> Cell:
        if not figures.total("visits"):
            return Cell()
        if not (
            privacy.museums_are_enough(self._months_of(figures, "visits"))
            and privacy.museums_are_enough(self._months_of(figures, "passes"))
        ):
            return Cell(hidden=True, reason=TOO_FEW_MUSEUMS)
        return Cell(percent(figures.passes(), figures.total("visits")))

    def _feedback_key_rows(self, responses: Series, nps: Series, benchmarks) -> list[Row]:
        own = self.own
        rows = [
            Row(
                _("Responses"),
                [responses.total_cell(own.total("responses"))]
                + [
                    self._benchmark(
                        round(figures.total("responses") / divisor) if divisor else None,
                        self._months_of(figures, "responses"),
                    )
                    for figures, divisor in benchmarks
                ],
            ),
            Row(
                _("Response rate (%)"),
                [responses.total_cell(percent(own.total("responded"), own.total("delivered")))]
                + [
                    self._benchmark(
                        percent(figures.total("responded"), figures.total("delivered")),
                        self._months_of(figures, "responses"),
                    )
                    for figures, _divisor in benchmarks
                ],
            ),
        ]
        own_nps = nps_of(_question_counts(own.answers_total, self.nps_ids)) or {}
        bench_nps = [
            (
                nps_of(_question_counts(figures.answers_total, self.nps_ids)) or {},
                self._answered_months(figures, self.nps_ids),
            )
            for figures, _divisor in benchmarks
        ]
        for key, label in (
            ("nps", _("NPS")),
            ("promoters", _("Promoters (%)")),
            ("passives", _("Passives (%)")),
            ("detractors", _("Detractors (%)")),
        ):
            rows.append(
                Row(
                    label,
                    [nps.total_cell(own_nps.get(key))]
                    + [self._benchmark(values.get(key), monthly) for values, monthly in bench_nps],
                )
            )
        return rows

    def visits_table(self) -> Table:
        table = Table(
            "visits",
            _("Visits with the pass per month"),
            self.columns,
            section="visits",
            chart="bar",
        )
        table.rows.append(
            Row(
                _("Visits"),
                [Cell(self.own.monthly.get(month, Counter())["visits"]) for month in self.months],
            )
        )
        return table

    def passes_table(self) -> Table:
        table = Table(
            "passes",
            _("Passes sold per month, by channel"),
            self.columns,
            section="visits",
            chart="bar",
        )
        labels = dict(
            zip(
                (*PASS_CHANNELS, "renewals"),
                (_("Online"), _("At the museum"), _("Through a partner"), _("Of which renewals")),
                strict=True,
            )
        )
        for measure, label in labels.items():
            table.rows.append(
                Row(
                    label,
                    [
                        Cell(self.own.monthly.get(month, Counter())[measure])
                        for month in self.months
                    ],
                )
            )
        return table

    def responses_table(self, responses: Series) -> Table:
        table = Table(
            "responses",
            _("Survey responses per month"),
            self.columns,
            chart="bar",
            chart_rows=[0, 1],
        )
        monthly = {month: self.own.monthly.get(month, Counter()) for month in self.months}
        table.rows = [
            Row(
                _("Invitations delivered"),
                [Cell(monthly[month]["delivered"]) for month in self.months],
            ),
            Row(
                _("Responses"),
                [responses.month_cell(month, monthly[month]["responses"]) for month in self.months],
            ),
            Row(
                _("Response rate (%)"),
                [
                    responses.month_cell(
                        month, percent(monthly[month]["responded"], monthly[month]["delivered"])
                    )
                    for month in self.months
                ],
            ),
        ]
        return table

    def nps_table(self, nps: Series) -> Table:
        table = Table("nps", _("NPS per month"), self.columns, chart="line")
        values = {
            month: nps_of(_question_counts(self.own.answers.get(month, Counter()), self.nps_ids))
            or {}
            for month in self.months
        }
        for key, label in (
            ("nps", _("NPS")),
            ("promoters", _("Promoters (%)")),
            ("passives", _("Passives (%)")),
            ("detractors", _("Detractors (%)")),
        ):
            table.rows.append(
                Row(label, [nps.month_cell(month, values[month].get(key)) for month in self.months])
            )
        return table

    def _questions(self, *kinds) -> list[Question]:
        return [question for question in self.questions.values() if question.kind in kinds]

    def rating_tables(self) -> list[Table]:
        questions = self._questions(QuestionKind.RATING)
        if not questions:
            return []
        language = _language()
        trend = Table("ratings", _("Average rating per month (1-5)"), self.columns, chart="line")
        benchmark = Table(
            "ratings-benchmark",
            _("Average rating (1-5)"),
            [_("This museum"), _("Museums of the same size"), _("All museums")],
            chart="bar",
        )
        for question in questions:
            series = self.question_series([question.pk])
            label = question.text(language)
            trend.rows.append(
                Row(
                    label,
                    [
                        series.month_cell(
                            month,
                            average_of(
                                _question_counts(
                                    self.own.answers.get(month, Counter()), [question.pk]
                                )
                            ),
                        )
                        for month in self.months
                    ],
                )
            )
            benchmark.rows.append(
                Row(
                    label,
                    [
                        series.total_cell(
                            average_of(_question_counts(self.own.answers_total, [question.pk]))
                        ),
                        *(
                            self._benchmark(
                                average_of(_question_counts(figures.answers_total, [question.pk])),
                                self._answered_months(figures, [question.pk]),
                            )
                            for figures in (self.same_size, self.network)
                        ),
                    ],
                )
            )
        return [trend, benchmark]

    def choice_tables(self) -> list[Table]:
        language = _language()
        tables = []
        for question in self._questions(QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            series = self.question_series([question.pk])
            title = question.text(language)
            trend = Table(
                f"choices-{question.pk}",
                _("%(question)s: share per month (%%)") % {"question": title},
                self.columns,
                chart="bar",
            )
            benchmark = Table(
                f"choices-{question.pk}-benchmark",
                _("%(question)s: share over the period (%%)") % {"question": title},
                [_("This museum"), _("Museums of the same size"), _("All museums")],
                chart="bar",
            )
            for key, label in question.choice_labels(language):
                trend.rows.append(
                    Row(
                        label,
                        [
                            series.month_cell(
                                month, self._share(self.own.answers.get(month), question.pk, key)
                            )
                            for month in self.months
                        ],
                    )
                )
                benchmark.rows.append(
                    Row(
                        label,
                        [
                            series.total_cell(
                                self._share(self.own.answers_total, question.pk, key)
                            ),
                            *(
                                self._benchmark(
                                    self._share(figures.answers_total, question.pk, key),
                                    self._answered_months(figures, [question.pk]),
                                )
                                for figures in (self.same_size, self.network)
                            ),
                        ],
                    )
                )
            tables += [trend, benchmark]
        return tables

    @staticmethod
    def _share(counts: Counter | None, question_id: int, key: str) -> float | None:
        counts = counts or Counter()
        return percent(counts[(question_id, key)], counts[(question_id, ANSWERED)])


def comments_table(comments: list[dict]) -> Table:
    table = Table(
        "comments",
        _("Recent comments"),
        [_("Comment")],
        label_header=_("Month of the visit"),
        section="comments",
        numeric=False,
    )
    for comment in comments:
        table.rows.append(Row(date_format(comment["month"], "M Y"), [Cell(comment["text"])]))
    return table


def museum_dashboard(
    scope: ScopedMuseum, period: Period, segment: Segment, *, search: str = ""
) -> Dashboard:
    """Everything a museum's dashboard shows, for the page, its CSV exports and the API."""
    require_scope(scope)
    own = selectors.museum_figures(scope, period, segment)
    by_class = selectors.benchmark_figures(period, segment)
    question_ids = {question_id for question_id, _value in own.answers_total}
    for figures in by_class.values():
        question_ids |= {question_id for question_id, _value in figures.answers_total}
    dashboard = DashboardBuilder(
        museum=scope.museum,
        period=period,
        segment=segment,
        own=own,
        by_class=by_class,
        museums_per_class=selectors.museums_per_size_class(),
        cells=selectors.segment_cells(scope, period, segment),
        questions=selectors.questions_by_id(question_ids),
        runs=privacy.runs(selectors.response_history(scope)),
    ).build()
    if dashboard.comments_shown:
        comments = selectors.comments(scope, period, segment, search=search)
        dashboard.tables.append(comments_table(comments))
    return dashboard
