"""A museum's dashboard: its figures and the benchmarks turned into tables, with every privacy
rule applied. The page, the CSV exports and the API all render these same tables, so what one
hides the others hide too."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from django.utils import timezone
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
TOO_FEW_HOLDERS = "holders"  # UiTPAS figures: holders, not responses, are counted


@dataclass
class Cell:
    value: float | int | str | None = None  # None: nothing to show
    hidden: bool = False  # withheld, for the reason below
    reason: str = TOO_FEW_RESPONSES

    @property
    def exported(self) -> float | int | str:
        """What the CSV and XLSX exports write: the number itself, so that it stays one (-20);
        a withheld cell as the page writes it (dashboards.rendering)."""
        if self.hidden:
            if self.reason == TOO_FEW_MUSEUMS:
                return rendering.NO_VALUE
            return f"<{privacy.min_responses()}"
        return "" if self.value is None else self.value


@dataclass
class Row:
    label: str
    cells: list[Cell]
    axis: str = ""  # the chart's axis when a table has two ("percent" beside the NPS)
    url: str = ""  # the label links here (the UiTPAS staff overview's dashboards)


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
    scale: str = "count"  # the chart's axis: "count", "rating" (1-5), "nps", "percent"
    incomplete: int | None = None  # the column of the running month, not over yet
    notes: list[str] = field(default_factory=list)
    csv_url: str = ""  # set by the view that renders it
    xlsx_url: str = ""

    @property
    def chart_id(self) -> str:
        return f"chart-{self.slug}"

    @property
    def wide(self) -> bool:
        """A table of five or more number columns without a chart takes a whole row."""
        return self.chart is None and len(self.columns) >= 5

    @property
    def incomplete_label(self) -> str:
        return "" if self.incomplete is None else self.columns[self.incomplete]

    @property
    def table_id(self) -> str:
        return f"table-{self.slug}"

    def html(self) -> SafeString:
        """The numbers as an HTML `<table>` (what the page shows below each chart)."""
        return rendering.table_html(self)

    def chart_data(self) -> dict:
        """What static/js/charts.js draws: a withheld value is null with its reason beside it,
        so the chart marks it instead of drawing a zero or leaving a silent gap."""
        rows = self.rows if self.chart_rows is None else [self.rows[i] for i in self.chart_rows]
        k, museums = privacy.min_responses(), privacy.min_benchmark_museums()
        return {
            "labels": self.columns,
            "scale": self.scale,
            "incomplete": self.incomplete,
            "series": [
                {
                    "label": row.label,
                    "axis": row.axis,
                    "values": [None if cell.hidden else cell.value for cell in row.cells],
                    "hidden": [cell.reason if cell.hidden else None for cell in row.cells],
                }
                for row in rows
            ],
            "text": {
                TOO_FEW_RESPONSES: _("hidden: fewer than %(k)d answers") % {"k": k},
                TOO_FEW_MUSEUMS: _("hidden: fewer than %(museums)d museums") % {"museums": museums},
                TOO_FEW_HOLDERS: _("hidden: fewer than %(k)d holders") % {"k": k},
                "incomplete": _("running month, not complete yet"),
            },
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


def _nps_values(question_ids: list[int], counts: Counter) -> dict:
    return nps_of(_question_counts(counts, question_ids)) or {}


def _average_values(question_id: int, counts: Counter) -> dict:
    return {"": average_of(_question_counts(counts, [question_id]))}


def _share_values(question: Question, counts: Counter) -> dict:
    answered = counts[(question.pk, ANSWERED)]
    return {
        choice["key"]: percent(counts[(question.pk, choice["key"])], answered)
        for choice in question.choices
    }


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
        network = Figures()
        for figures in by_class.values():
            network.add(figures)
        self.museums_same_size = museums_per_class.get(museum.size_class, 0)
        # (figures, museums): the museums of the same size class, and all museums.
        self.benchmarks = (
            (by_class.get(museum.size_class, Figures()), self.museums_same_size),
            (network, sum(museums_per_class.values())),
        )
        self.months = period.months
        self.monthly = {month: own.monthly.get(month, Counter()) for month in self.months}
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

    def _network_cell(self, figures: Figures, value, measures: tuple[str, ...]) -> Cell:
        """A visits or sales figure of other museums: enough museums behind each month of each
        of its `measures`."""
        if value is None:
            return Cell()
        if not all(privacy.museums_are_enough(self._months_of(figures, m)) for m in measures):
            return Cell(hidden=True, reason=TOO_FEW_MUSEUMS)
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

    def _question_rows(
        self, series: Series, question_ids: list[int], labels, values
    ) -> tuple[list[Row], list[Row]]:
        """Rows per month, and rows over the period beside the benchmarks, of the figures
        `values` works out from answers counted per (question, value), one per (key, label)."""
        by_month = {month: values(self.own.answers.get(month, Counter())) for month in self.months}
        total = values(self.own.answers_total)
        others = [
            (values(figures.answers_total), self._answered_months(figures, question_ids))
            for figures, _museums in self.benchmarks
        ]
        trend = [
            Row(label, [series.month_cell(m, by_month[m].get(key)) for m in self.months])
            for key, label in labels
        ]
        benchmark = [
            Row(
                label,
                [
                    series.total_cell(total.get(key)),
                    *(self._benchmark(v.get(key), months) for v, months in others),
                ],
            )
            for key, label in labels
        ]
        return trend, benchmark

    def dimension_is_safe(self, name: str) -> bool:
        """Would a filter on this dimension alone be allowed in every run of the period?"""
        return all(privacy.cut_is_safe(cells, (name,)) for cells in self.response_runs.values())

    # Tables.

    def build(self) -> Dashboard:
        counts = {month: self.monthly[month]["responses"] for month in self.months}
        responses = self.series(counts, self.cells.responses, self.response_runs)
        nps = self.question_series(self.nps_ids)
        nps_labels = (
            ("nps", _("NPS")),
            ("promoters", _("Promoters (%)")),
            ("passives", _("Passives (%)")),
            ("detractors", _("Detractors (%)")),
        )
        nps_trend, nps_benchmark = self._question_rows(
            nps, self.nps_ids, nps_labels, partial(_nps_values, self.nps_ids)
        )
        passes = (
            ("passes_online", _("Online")),
            ("passes_museum", _("At the museum")),
            ("passes_partner", _("Through a partner")),
            ("renewals", _("Of which renewals")),
        )
        tables = [
            self.key_figures(responses, nps_benchmark),
            self.counts_table(
                "visits", _("Visits with the pass per month"), [("visits", _("Visits"))]
            ),
            self.counts_table("passes", _("Passes sold per month, by channel"), passes),
            self.responses_table(responses),
            Table("nps", _("NPS per month"), self.columns, nps_trend, chart="line", scale="nps"),
            *self.rating_tables(),
            *self.choice_tables(),
        ]
        for row in nps_trend + nps_benchmark:
            row.axis = "nps" if row.label == _("NPS") else "percent"
        self._mark_running_month(tables)
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

    def key_figures(self, responses: Series, nps_rows: list[Row]) -> Table:
        table = Table(
            "key-figures",
            _("Key figures"),
            [_("This museum"), _("Average museum of the same size"), _("Average museum")],
            section="summary",
        )
        counts = (
            (_("Visits with the pass"), lambda figures: figures.total("visits"), "visits"),
            (_("Passes sold"), Figures.passes, "passes"),
            (_("Renewals"), lambda figures: figures.total("renewals"), "passes"),
        )
        for label, measure, museums_key in counts:
            cells = [Cell(measure(self.own))]
            for figures, museums in self.benchmarks:
                total = measure(figures)
                average = round(total / museums) if total and museums else None
                cells.append(self._network_cell(figures, average, (museums_key,)))
            table.rows.append(Row(label, cells))
        table.rows.append(
            Row(
                _("Passes sold per 100 visits"),
                [
                    Cell(_sales_rate(self.own)),
                    *(
                        self._network_cell(figures, _sales_rate(figures), ("visits", "passes"))
                        for figures, _museums in self.benchmarks
                    ),
                ],
            )
        )
        survey = [
            (figures, museums, self._months_of(figures, "responses"))
            for figures, museums in self.benchmarks
        ]
        table.rows += [
            Row(
                _("Responses"),
                [
                    responses.total_cell(self.own.total("responses")),
                    *(
                        self._benchmark(round(f.total("responses") / n) if n else None, months)
                        for f, n, months in survey
                    ),
                ],
            ),
            Row(
                _("Response rate (%)"),
                [
                    responses.total_cell(_response_rate(self.own)),
                    *(self._benchmark(_response_rate(f), months) for f, _n, months in survey),
                ],
            ),
            *nps_rows,
        ]
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

    def counts_table(self, slug: str, title: str, measures) -> Table:
        """Visits or sales per month: one row per (measure, label)."""
        table = Table(slug, title, self.columns, section="visits", chart="bar")
        for measure, label in measures:
            table.rows.append(Row(label, [Cell(self.monthly[m][measure]) for m in self.months]))
        return table

    def _mark_running_month(self, tables: list[Table]) -> None:
        """A month that is not over yet is drawn as such, not as a fall."""
        this_month = timezone.localdate().replace(day=1)
        if this_month not in self.months:
            return
        for table in tables:
            if table.columns is self.columns:
                table.incomplete = self.months.index(this_month)

    def responses_table(self, series: Series) -> Table:
        delivered, responses, rate = [], [], []
        for month in self.months:
            counts = self.monthly[month]
            delivered.append(Cell(counts["delivered"]))
            responses.append(series.month_cell(month, counts["responses"]))
            rate.append(series.month_cell(month, percent(counts["responded"], counts["delivered"])))
        rows = [
            Row(_("Invitations delivered"), delivered),
            Row(_("Responses"), responses),
            Row(_("Response rate (%)"), rate),
        ]
        title = _("Survey responses per month")
        return Table("responses", title, self.columns, rows, chart="bar", chart_rows=[0, 1])

    def _questions(self, *kinds) -> list[Question]:
        return [question for question in self.questions.values() if question.kind in kinds]

    @staticmethod
    def _benchmark_columns() -> list[str]:
        return [_("This museum"), _("Museums of the same size"), _("All museums")]

    def rating_tables(self) -> list[Table]:
        questions = self._questions(QuestionKind.RATING)
        if not questions:
            return []
        trend = Table(
            "ratings",
            _("Average rating per month (1-5)"),
            self.columns,
            chart="line",
            scale="rating",
        )
        benchmark = Table(
            "ratings-benchmark",
            _("Average rating (1-5)"),
            self._benchmark_columns(),
            chart="bar",
            scale="rating",
        )
        for question in questions:
            rows = self._question_rows(
                self.question_series([question.pk]),
                [question.pk],
                [("", question.text(_language()))],
                partial(_average_values, question.pk),
            )
            trend.rows += rows[0]
            benchmark.rows += rows[1]
        return [trend, benchmark]

    def choice_tables(self) -> list[Table]:
        language = _language()
        tables = []
        for question in self._questions(QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            trend, benchmark = self._question_rows(
                self.question_series([question.pk]),
                [question.pk],
                question.choice_labels(language),
                partial(_share_values, question),
            )
            title = {"question": question.text(language)}
            tables += [
                Table(
                    f"choices-{question.pk}",
                    _("%(question)s: share per month (%%)") % title,
                    self.columns,
                    trend,
                    chart="bar",
                    scale="percent",
                ),
                Table(
                    f"choices-{question.pk}-benchmark",
                    _("%(question)s: share over the period (%%)") % title,
                    self._benchmark_columns(),
                    benchmark,
                    chart="bar",
                    scale="percent",
                ),
            ]
        return tables


def _sales_rate(figures: Figures) -> float | None:
    return percent(figures.passes(), figures.total("visits"))


def _response_rate(figures: Figures) -> float | None:
    return percent(figures.total("responded"), figures.total("delivered"))


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
    question_ids = {
        pk for figures in (own, *by_class.values()) for pk, _value in figures.answers_total
    }
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
