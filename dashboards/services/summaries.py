"""Writing the summary tables: for some museums and one month, delete their rows and aggregate
them again from the raw tables, then the network's rows of their size classes.

The same function serves the incremental refresh (hooks → Celery, a few museums and days) and
the nightly rebuild (all museums, month by month). One difference: a whole month of every
museum sums its visits and sales per museum, day and segment once, in a temporary table, and
writes the day and the month rows from it instead of reading the raw rows twice (16.9 s to
12.5 s for bench/dashboards.py's data at a hundredth of its scale); the property test in
tests/dashboards/test_summaries.py holds both ways to the raw tables. Each month is one
transaction: readers see the old rows until it commits, never a half-written month.

The aggregation runs in the database as INSERT ... SELECT: the row-level SELECTs are built with
the ORM (which knows the local time zone) and compiled to SQL; the GROUP BY around them is
written here.

Concurrency: two refreshes of museums of the same size class and month would each recompute
the network's rows from the other's old rows, so a refresh holds a transaction advisory lock
per (month, size class), taken in a fixed order; the rebuild holds one lock that excludes every
refresh while it rewrites a month.
"""

import datetime
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, ExtractYear, TruncDate
from django.db.models.lookups import Range
from django.utils import timezone

from dashboards.figures import MEASURES, PASS_CHANNELS
from dashboards.models import AnswerSummary, DaySummary, MonthSummary
from dashboards.periods import add_months, month_end, month_start, months_between
from museumpas.models import Museum, Pass, SalesChannel, Visit
from museumpas.services import AGE_GROUP_UNKNOWN, AGE_GROUPS, local_date, local_midnight
from surveys.models import CHOICE_KINDS, Answer, Invitation, Response

DAY_MEASURES = ("visits", *PASS_CHANNELS, "renewals")
FEEDBACK_MEASURES = ("delivered", "responded", "responses")

_LOCK_REBUILD = 720_001  # advisory lock namespaces (the first key of the two-key form)
_LOCK_MONTH = 720_002


# Row-level SELECTs, one row per visit, pass, invitation, response or answer.


def age_group_expression(year, birth_year) -> Case:
    """museumpas.services.age_group, in SQL: the age in the year of the visit or sale."""
    age = ExpressionWrapper(year - birth_year, output_field=IntegerField())
    return Case(
        *(When(Range(age, (low, high)), then=Value(key)) for key, low, high in AGE_GROUPS),
        default=Value(AGE_GROUP_UNKNOWN),
        output_field=CharField(),
    )


def _holder_segment(year, holder: str, language=None) -> dict:
    return {
        "k_age": age_group_expression(year, F(f"{holder}birth_year")),
        "k_lang": language if language is not None else F(f"{holder}language"),
        "k_region": F(f"{holder}region"),
    }


def _measures(names: tuple[str, ...], **given) -> dict:
    return {f"n_{name}": given.get(name, Value(0)) for name in names}


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


@dataclass(frozen=True)
class Scope:
    """What one refresh rewrites: these museums (None: all) in one month, and these days."""

    month: datetime.date
    museum_ids: tuple[int, ...] | None
    first_day: datetime.date | None = None  # days of DaySummary to rewrite, if any
    last_day: datetime.date | None = None
    size_classes: tuple[str, ...] | None = None  # the network rows to rewrite (None: all)
    # Whether AnswerSummary is rewritten too. Answers are counted from responses alone (their
    # museum and visit month are the response's own), so a refresh after visits, sales or sent
    # invitations would only read the month's answers again to write the same rows.
    answers: bool = True


def _scoped(queryset: QuerySet, scope: Scope, museum: str, *, network=False) -> QuerySet:
    """The rows of the scope's museums (`museum`: the path to a row's museum), or for the
    network's rows those of its size classes."""
    if network and scope.size_classes is not None:
        queryset = queryset.filter(**{f"{museum}__size_class__in": scope.size_classes})
    elif not network and scope.museum_ids is not None:
        queryset = queryset.filter(**{f"{museum}__in": scope.museum_ids})
    return queryset.order_by()


_PASS_COUNTS = {f"passes_{channel}": _flag(Q(channel=channel)) for channel in SalesChannel.values}
_PASS_COUNTS["renewals"] = _flag(Q(is_renewal=True))


def _visit_and_sale_rows(
    scope: Scope, *, day: bool, segmented: bool = True, network: bool = False
) -> list[QuerySet]:
    """A row per visit and per sale of the scope's days (`day`) or month."""
    first, last = (
        (scope.first_day, scope.last_day) if day else (scope.month, month_end(scope.month))
    )
    names = DAY_MEASURES if day else MEASURES
    keys = partial(_visit_and_sale_keys, scope, day=day, segmented=segmented)
    visits = Visit.objects.filter(
        visited_at__gte=local_midnight(first),
        visited_at__lt=local_midnight(last + datetime.timedelta(days=1)),
    )
    passes = Pass.objects.filter(sold_by__isnull=False, valid_from__range=(first, last))
    return [
        _scoped(visits, scope, "museum", network=network).values(
            **keys("museum", "visited_at", TruncDate("visited_at")),
            **_measures(names, visits=Value(1)),
        ),
        _scoped(passes, scope, "sold_by", network=network).values(
            **keys("sold_by", "valid_from", F("valid_from")),
            **_measures(names, **_PASS_COUNTS),
        ),
    ]


def _visit_and_sale_keys(scope: Scope, museum: str, moment: str, day_of, *, day, segmented):
    """The museum (and, per day, its region), the day or month, and the holder's segment."""
    keys = {"k_museum": F(f"{museum}_id"), "k_size": F(f"{museum}__size_class")}
    if day:
        keys.update(k_mregion=F(f"{museum}__region"), k_period=day_of)
    else:
        keys["k_period"] = Value(scope.month)
    if not segmented:
        return keys | {"k_age": Value(""), "k_lang": Value(""), "k_region": Value("")}
    return keys | _holder_segment(ExtractYear(moment), "holder__")


def _feedback_rows(scope: Scope) -> list[QuerySet]:
    """A row per invitation and per response of the scope's month (of its visit)."""
    month = scope.month
    invitations = Invitation.objects.filter(
        visit__visited_at__gte=local_midnight(month),
        visit__visited_at__lt=local_midnight(add_months(month, 1)),
    )
    responses = Response.objects.filter(visit_month=month)
    invitations = _scoped(invitations, scope, "visit__museum").values(
        k_museum=F("visit__museum_id"),
        k_size=F("visit__museum__size_class"),
        k_period=Value(month),
        **_holder_segment(ExtractYear("visit__visited_at"), "holder__", language=F("language")),
        **_measures(
            MEASURES,
            delivered=_flag(Q(sent_at__isnull=False)),
            responded=_flag(Q(responded_at__isnull=False)),
        ),
    )
    responses = _scoped(responses, scope, "museum").values(
        k_museum=F("museum_id"),
        k_size=F("museum__size_class"),
        k_period=Value(month),
        k_age=F("age_group"),
        k_lang=F("language"),
        k_region=F("region"),
        **_measures(MEASURES, responses=Value(1)),
    )
    return [invitations, responses]


def _answer_rows(scope: Scope, condition: Q, **value) -> QuerySet:
    """A row per answer of the scope's month meeting `condition`, with its keys and `value`."""
    answers = Answer.objects.filter(condition, response__visit_month=scope.month)
    return _scoped(answers, scope, "response__museum").values(
        k_museum=F("response__museum_id"),
        k_size=F("response__museum__size_class"),
        k_period=Value(scope.month),
        k_question=F("question_id"),
        k_age=F("response__age_group"),
        k_lang=F("response__language"),
        k_region=F("response__region"),
        **value,
    )


# SQL around them.


def _compiled(querysets: list[QuerySet]) -> tuple[str, list]:
    """One UNION ALL of row-level SELECTs, whose columns line up by construction."""
    parts, params = [], []
    for queryset in querysets:
        sql, part_params = queryset.query.sql_with_params()
        parts.append(sql)
        params.extend(part_params)
    return " UNION ALL ".join(parts), params


def _execute(sql: str, params: Iterable = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(column: str, values: tuple | None) -> tuple[str, list]:
    if values is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _sums(names: tuple[str, ...], prefix: str = "") -> str:
    return ", ".join(f"SUM({prefix}{name})" for name in names)


def _count_if(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


_DAY_COLUMNS = (
    "museum_id, size_class, museum_region, day, age_group, language, region, "
    f"{', '.join(DAY_MEASURES)}, museums_visited, museums_selling"
)
_MONTH_COLUMNS = (
    "museum_id, size_class, month, age_group, language, region, "
    f"{', '.join(MEASURES)}, museums_visited, museums_selling, museums_responding"
)
_ANSWER_COLUMNS = (
    "museum_id, size_class, month, question_id, age_group, language, region, value, "
    "answers, museums"
)
_SOLD = "passes_online + passes_museum + passes_partner > 0"


_CELL_KEYS = "k_museum, k_size, k_mregion, k_period, k_age, k_lang, k_region"
_CELLS = "dashboards_rebuild_cells"  # the rebuild's temporary table, dropped before the commit


def _day_cells(scope: Scope) -> tuple[str, list]:
    """Visits and sales summed per museum, day and holder segment."""
    rows, params = _compiled(_visit_and_sale_rows(scope, day=True, network=True))
    sums = ", ".join(f"SUM(n_{name}) AS n_{name}" for name in DAY_MEASURES)
    return f"SELECT {_CELL_KEYS}, {sums} FROM ({rows}) AS r GROUP BY {_CELL_KEYS}", params


def _write_days(scope: Scope, *, cells: str | None = None) -> None:
    """`cells`: a table holding `_day_cells` of every museum (the rebuild's), read instead of
    the raw tables."""
    table, first, last = _table(DaySummary), scope.first_day, scope.last_day
    insert = f"INSERT INTO {table} ({_DAY_COLUMNS}) SELECT"
    if cells:
        rows, params = f"SELECT * FROM {cells}", []
        per_museum, cell_params = rows, []
    else:
        rows, params = _compiled(_visit_and_sale_rows(scope, day=True, segmented=False))
        per_museum, cell_params = _day_cells(scope)
    _execute(
        f"{insert} k_museum, k_size, k_mregion, k_period, '', '', '', "
        f"{_sums(DAY_MEASURES, 'n_')}, 0, 0 FROM ({rows}) AS r "
        "GROUP BY k_museum, k_size, k_mregion, k_period",
        params,
    )
    keys = "k_size, k_mregion, k_period, k_age, k_lang, k_region"
    _execute(
        f"{insert} NULL, {keys}, {_sums(DAY_MEASURES, 'n_')}, {_count_if('n_visits > 0')}, "
        f"{_count_if('n_passes_online + n_passes_museum + n_passes_partner > 0')} "
        f"FROM ({per_museum}) AS per_museum GROUP BY {keys}",
        cell_params,
    )
    classes, class_params = _in("size_class", scope.size_classes)
    _execute(
        f"{insert} NULL, size_class, museum_region, day, '', '', '', {_sums(DAY_MEASURES)}, "
        f"{_count_if('visits > 0')}, {_count_if(_SOLD)} FROM {table} "
        f"WHERE museum_id IS NOT NULL AND day BETWEEN %s AND %s{classes} "
        "GROUP BY size_class, museum_region, day",
        [first, last, *class_params],
    )


def _write_months(scope: Scope, *, cells: str | None = None) -> None:
    """`cells`: as for `_write_days`; the month's visits and sales are summed from it."""
    table = _table(MonthSummary)
    insert = f"INSERT INTO {table} ({_MONTH_COLUMNS}) SELECT"
    if cells:
        rows, params = _compiled(_feedback_rows(scope))
        feedback = ", ".join("0" for _name in FEEDBACK_MEASURES)
        rows += (
            f" UNION ALL SELECT k_museum, k_size, %s, k_age, k_lang, k_region, "
            f"{', '.join(f'n_{name}' for name in DAY_MEASURES)}, {feedback} FROM {cells}"
        )
        params.append(scope.month)
    else:
        rows, params = _compiled([*_visit_and_sale_rows(scope, day=False), *_feedback_rows(scope)])
    keys = "k_museum, k_size, k_period, k_age, k_lang, k_region"
    _execute(
        f"{insert} {keys}, {_sums(MEASURES, 'n_')}, 0, 0, 0 FROM ({rows}) AS r GROUP BY {keys}",
        params,
    )
    museums, museum_params = _in("museum_id", scope.museum_ids)
    _execute(
        f"{insert} museum_id, size_class, month, '', '', '', {_sums(MEASURES)}, 0, 0, 0 "
        f"FROM {table} WHERE museum_id IS NOT NULL AND month = %s AND age_group <> ''{museums} "
        "GROUP BY museum_id, size_class, month",
        [scope.month, *museum_params],
    )
    classes, class_params = _in("size_class", scope.size_classes)
    _execute(
        f"{insert} NULL, size_class, month, age_group, language, region, {_sums(MEASURES)}, "
        f"{_count_if('visits > 0')}, {_count_if(_SOLD)}, {_count_if('responses > 0')} "
        f"FROM {table} WHERE museum_id IS NOT NULL AND month = %s{classes} "
        "GROUP BY size_class, month, age_group, language, region",
        [scope.month, *class_params],
    )


UNNEST_CHOICE_KEYS = "CROSS JOIN LATERAL jsonb_array_elements_text(r.k_keys) AS c(value)"


def _write_answers(scope: Scope) -> None:
    table = _table(AnswerSummary)
    insert = f"INSERT INTO {table} ({_ANSWER_COLUMNS}) SELECT"
    keys = "k_museum, k_size, k_period, k_question, k_age, k_lang, k_region"
    # Every answer counts once under the value "" (how many answered the question), numbers
    # under their value, each chosen key under the key.
    counted = _answer_rows(scope, Q(), k_value=Value(""))
    numbers = _answer_rows(scope, Q(number__isnull=False), k_value=Cast("number", CharField()))
    rows, params = _compiled([counted, numbers])
    _execute(
        f"{insert} {keys}, k_value, COUNT(*), 0 FROM ({rows}) AS r GROUP BY {keys}, k_value",
        params,
    )
    choices = _answer_rows(scope, Q(question__kind__in=CHOICE_KINDS), k_keys=F("choice_keys"))
    rows, params = _compiled([choices])
    _execute(
        f"{insert} {keys}, c.value, COUNT(*), 0 FROM ({rows}) AS r {UNNEST_CHOICE_KEYS} "
        f"GROUP BY {keys}, c.value",
        params,
    )
    museums, museum_params = _in("museum_id", scope.museum_ids)
    _execute(
        f"{insert} museum_id, size_class, month, question_id, '', '', '', value, SUM(answers), 0 "
        f"FROM {table} WHERE museum_id IS NOT NULL AND month = %s AND age_group <> ''{museums} "
        "GROUP BY museum_id, size_class, month, question_id, value",
        [scope.month, *museum_params],
    )
    classes, class_params = _in("size_class", scope.size_classes)
    _execute(
        f"{insert} NULL, size_class, month, question_id, age_group, language, region, value, "
        f"SUM(answers), COUNT(*) FROM {table} WHERE museum_id IS NOT NULL AND month = %s"
        f"{classes} GROUP BY size_class, month, question_id, age_group, language, region, value",
        [scope.month, *class_params],
    )


def _delete(scope: Scope) -> None:
    """The rows the refresh rewrites: its museums' own rows, its size classes' network rows."""
    tables = [(MonthSummary, {"month": scope.month})]
    if scope.answers:
        tables.append((AnswerSummary, {"month": scope.month}))
    if scope.first_day is not None:
        tables.append((DaySummary, {"day__range": (scope.first_day, scope.last_day)}))
    for model, period in tables:
        own = model.objects.filter(museum__isnull=False, **period)
        if scope.museum_ids is not None:
            own = own.filter(museum_id__in=scope.museum_ids)
        own.delete()
        network = model.objects.filter(museum__isnull=True, **period)
        if scope.size_classes is not None:
            network = network.filter(size_class__in=scope.size_classes)
        network.delete()


def _lock(scope: Scope) -> None:
    with connection.cursor() as cursor:
        if scope.museum_ids is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [_LOCK_REBUILD])
            return
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [_LOCK_REBUILD])
        for size_class in sorted(scope.size_classes or ()):
            key = zlib.crc32(f"{scope.month}:{size_class}".encode()) & 0x7FFFFFFF
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_MONTH, key])


def _refresh(scope: Scope) -> None:
    with transaction.atomic():
        # The lock comes first, so every statement after it sees what the refresh before it
        # committed.
        _lock(scope)
        _delete(scope)
        if _is_whole_month(scope):
            # The rebuild: visits and sales are read once for the days and the month.
            _execute(f"DROP TABLE IF EXISTS {_CELLS}")
            cells, params = _day_cells(scope)
            _execute(f"CREATE TEMPORARY TABLE {_CELLS} AS {cells}", params)
            _write_days(scope, cells=_CELLS)
            _write_months(scope, cells=_CELLS)
            _execute(f"DROP TABLE {_CELLS}")
        else:
            if scope.first_day is not None:
                _write_days(scope)
            _write_months(scope)
        if scope.answers:
            _write_answers(scope)


def _is_whole_month(scope: Scope) -> bool:
    """Every museum's days of the whole month: the days and the month count the same rows."""
    return (
        scope.museum_ids is None
        and scope.size_classes is None
        and scope.first_day == scope.month
        and scope.last_day == month_end(scope.month)
    )


# Entry points.


def summaries_refresh(
    *,
    museum_days: Iterable[tuple[int, datetime.date]] = (),
    museum_months: Iterable[tuple[int, datetime.date]] = (),
    answers: bool,
) -> int:
    """Rewrite the summaries of these museums' days (and their months) and months, and their
    answers if `answers` (after stored responses: nothing else changes them).

    Idempotent: it reads what is committed and rewrites it whole, so running it twice, late or
    out of order leaves the same rows. Returns the number of months rewritten.
    """
    museums: dict[datetime.date, set[int]] = defaultdict(set)
    days: dict[datetime.date, set[datetime.date]] = defaultdict(set)
    for museum_id, day in museum_days:
        museums[month_start(day)].add(museum_id)
        days[month_start(day)].add(day)
    for museum_id, month in museum_months:
        museums[month_start(month)].add(museum_id)
    all_museums = set().union(*museums.values())
    size_classes = dict(Museum.objects.filter(pk__in=all_museums).values_list("pk", "size_class"))
    for month in sorted(museums):
        museum_ids = tuple(sorted(museums[month] & size_classes.keys()))
        if not museum_ids:
            continue
        _refresh(
            Scope(
                month=month,
                museum_ids=museum_ids,
                first_day=min(days[month], default=None),
                last_day=max(days[month], default=None),
                size_classes=tuple(sorted({size_classes[pk] for pk in museum_ids})),
                answers=answers,
            )
        )
    return len(museums)


def museum_months_for_responses(response_ids: Iterable[int]) -> set[tuple[int, datetime.date]]:
    return set(
        Response.objects.filter(pk__in=list(response_ids))
        .values_list("museum_id", "visit_month")
        .distinct()
    )


def museum_months_for_invitations(
    invitation_ids: Iterable[int],
) -> set[tuple[int, datetime.date]]:
    visits = Invitation.objects.filter(pk__in=list(invitation_ids)).values_list(
        "visit__museum_id", "visit__visited_at"
    )
    return {(museum_id, month_start(local_date(visited_at))) for museum_id, visited_at in visits}


def data_months() -> list[datetime.date]:
    """Every month from the first to the last one with a visit, a sale or a response."""
    bounds = [
        Visit.objects.aggregate(first=Min("visited_at"), last=Max("visited_at")),
        Pass.objects.filter(sold_by__isnull=False).aggregate(
            first=Min("valid_from"), last=Max("valid_from")
        ),
        Response.objects.aggregate(first=Min("visit_month"), last=Max("visit_month")),
    ]
    days = [
        local_date(value) if isinstance(value, datetime.datetime) else value
        for bound in bounds
        for value in bound.values()
        if value is not None
    ]
    if not days:
        return []
    return months_between(min(days), max(days))


@dataclass
class RebuildResult:
    months: int
    seconds: float


def summaries_rebuild(*, progress: Callable[[int, int], None] | None = None) -> RebuildResult:
    """Rewrite every summary from the raw tables, a month per transaction."""
    started = timezone.now()
    months = data_months()
    for done, month in enumerate(months, start=1):
        _refresh(Scope(month=month, museum_ids=None, first_day=month, last_day=month_end(month)))
        if progress:
            progress(done, len(months))
    with transaction.atomic():
        # Rows of months that no longer hold any data (a visit moved, a museum merged away).
        for model, field in (
            (DaySummary, "day"),
            (MonthSummary, "month"),
            (AnswerSummary, "month"),
        ):
            stale = model.objects.all()
            if months:
                stale = stale.filter(
                    Q(**{f"{field}__lt": months[0]}) | Q(**{f"{field}__gt": month_end(months[-1])})
                )
            stale.delete()
    return RebuildResult(months=len(months), seconds=(timezone.now() - started).total_seconds())
