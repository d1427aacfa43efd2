"""The summary tables hold exactly what the raw tables say, whichever way they were written."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards import selectors
from dashboards.figures import Figures
from dashboards.models import AnswerSummary, DaySummary, MonthSummary
from dashboards.periods import Period, month_start
from dashboards.privacy import Segment
from dashboards.scoping import ScopedMuseum
from dashboards.services.summaries import summaries_rebuild, summaries_refresh
from museumpas.models import Holder, Museum, Pass, Visit
from museumpas.services import AGE_GROUP_UNKNOWN, AGE_GROUPS, age_group
from surveys.models import Answer, Invitation, Response
from tests.dashboards import raw
from tests.dashboards.factories import SurveyData, visits
from tests.museumpas.factories import MuseumFactory

FIRST_DAY = datetime.date(2026, 2, 20)  # the data spans February to April
PERIOD = Period("custom", datetime.date(2026, 2, 1), datetime.date(2026, 4, 1))
AGE_KEYS = [key for key, _low, _high in AGE_GROUPS] + [AGE_GROUP_UNKNOWN]
LANGUAGES = ["nl", "fr", "en"]
REGIONS = ["flanders", "brussels", "wallonia", "other"]
CHOICE_KEYS = ["alone", "friends", "family"]


class _Rollback(Exception):
    pass


# Birth years at the edges of the age groups in 2026 (25/26, 35/36, ...) come up often.
EDGE_YEARS = [2026 - low + shift for _key, low, _high in AGE_GROUPS[1:] for shift in (0, 1)]
holders = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(1935, 2015), st.sampled_from(EDGE_YEARS)),
        st.sampled_from(LANGUAGES),
        st.sampled_from(REGIONS),
    ),
    min_size=1,
    max_size=4,
)
visit_rows = st.lists(
    st.tuples(
        st.integers(0, 2),  # museum
        st.integers(0, 3),  # holder
        st.integers(0, 60),  # day after FIRST_DAY
        st.integers(0, 23),  # hour, UTC: near midnight the local day is the next one
        st.sampled_from(["none", "delivered", "responded", "failed"]),  # invitation
    ),
    max_size=25,
)
pass_rows = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 2)),
        st.integers(0, 3),
        st.integers(0, 60),
        st.sampled_from(["online", "museum", "partner"]),
        st.booleans(),
    ),
    max_size=10,
)
response_rows = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from([datetime.date(2026, month, 1) for month in (2, 3, 4)]),
        st.sampled_from(AGE_KEYS),
        st.sampled_from(LANGUAGES),
        st.sampled_from(REGIONS),
        st.one_of(st.none(), st.integers(0, 10)),  # NPS
        st.one_of(st.none(), st.integers(1, 5)),  # rating
        st.lists(st.sampled_from(CHOICE_KEYS), unique=True, max_size=3),  # multiple choice
        st.sampled_from(["", "", "Mooi"]),
    ),
    max_size=20,
)
segments = st.builds(
    Segment,
    age_group=st.sampled_from(["", *AGE_KEYS]),
    language=st.sampled_from(["", *LANGUAGES]),
    region=st.sampled_from(["", *REGIONS]),
)


def _store(survey: SurveyData, museums, holder_rows, visit_specs, pass_specs, responses):
    people = [
        Holder.objects.create(
            external_id=f"h{index}", birth_year=birth, language=language, region=region
        )
        for index, (birth, language, region) in enumerate(holder_rows)
    ]
    for index, (museum, holder, day, hour, invited) in enumerate(visit_specs):
        visited_at = datetime.datetime.combine(
            FIRST_DAY + datetime.timedelta(days=day), datetime.time(hour), datetime.UTC
        )
        visit = Visit.objects.create(
            external_id=f"v{index}",
            holder=people[holder % len(people)],
            museum=museums[museum],
            visited_at=visited_at,
        )
        if invited != "none":
            Invitation.objects.create(
                campaign=survey.campaign,
                visit=visit,
                holder=visit.holder,
                museum=visit.museum,
                language=visit.holder.language,
                state=invited,
                sent_at=None if invited == "failed" else visited_at,
                responded_at=visited_at if invited == "responded" else None,
            )
    for index, (museum, holder, day, channel, renewal) in enumerate(pass_specs):
        valid_from = FIRST_DAY + datetime.timedelta(days=day)
        Pass.objects.create(
            external_id=f"p{index}",
            holder=people[holder % len(people)],
            valid_from=valid_from,
            valid_until=valid_from + datetime.timedelta(days=364),
            channel=channel,
            sold_by=None if museum is None else museums[museum],
            is_renewal=renewal,
            price=Decimal("65.00"),
        )
    for museum, month, age, language, region, nps, rating, chosen, text in responses:
        response = Response.objects.create(
            survey=survey.survey,
            campaign=survey.campaign,
            museum=museums[museum],
            visit_month=month,
            age_group=age,
            language=language,
            region=region,
        )
        answers = [
            (survey.questions["nps"], {"number": nps}),
            (survey.questions["rating"], {"number": rating}),
        ]
        if chosen:
            answers.append((survey.questions["multiple"], {"choice_keys": chosen}))
        if text:
            answers.append((survey.questions["text"], {"text": text}))
        for question, value in answers:
            if value.get("number", 0) is not None:
                Answer.objects.create(response=response, question=question, **value)


def expected(museum_ids: set[int], segment: Segment) -> Figures:
    """The figures of these museums, counted in Python from the raw rows."""
    figures = Figures()

    def month_of(moment) -> datetime.date:
        return month_start(timezone.localtime(moment).date())

    def add(month, measure, count=1):
        if PERIOD.first <= month <= PERIOD.last:
            figures.monthly.setdefault(month, Counter())[measure] += count

    def holder_key(holder, on, language=None):
        return (
            age_group(birth_year=holder.birth_year, on=on),
            language or holder.language,
            holder.region,
        )

    for visit in Visit.objects.filter(museum_id__in=museum_ids).select_related("holder"):
        if segment.matches(holder_key(visit.holder, timezone.localtime(visit.visited_at).date())):
            add(month_of(visit.visited_at), "visits")
    for sale in Pass.objects.filter(sold_by_id__in=museum_ids).select_related("holder"):
        if segment.matches(holder_key(sale.holder, sale.valid_from)):
            add(month_start(sale.valid_from), f"passes_{sale.channel}")
            add(month_start(sale.valid_from), "renewals", int(sale.is_renewal))
    for invitation in Invitation.objects.filter(visit__museum_id__in=museum_ids).select_related(
        "visit", "holder"
    ):
        visited = timezone.localtime(invitation.visit.visited_at).date()
        if segment.matches(holder_key(invitation.holder, visited, invitation.language)):
            add(month_start(visited), "delivered", int(invitation.sent_at is not None))
            add(month_start(visited), "responded", int(invitation.responded_at is not None))
    for response in Response.objects.filter(museum_id__in=museum_ids):
        if not segment.matches((response.age_group, response.language, response.region)):
            continue
        add(response.visit_month, "responses")
        for answer in response.answers.all():
            values = [""]
            if answer.number is not None:
                values.append(str(answer.number))
            values += answer.choice_keys
            for value in values:
                key = (answer.question_id, value)
                figures.answers.setdefault(response.visit_month, Counter())[key] += 1
                figures.answers_total[key] += 1
    return figures


def expected_segments() -> tuple[dict, dict]:
    """Visits per museum, month and segment, and per size class, museum region, day and
    segment: what MonthSummary's and DaySummary's per-segment rows must hold."""
    months: dict = {}
    days: dict = {}
    for visit in Visit.objects.select_related("holder", "museum"):
        day = timezone.localtime(visit.visited_at).date()
        segment = (
            age_group(birth_year=visit.holder.birth_year, on=day),
            visit.holder.language,
            visit.holder.region,
        )
        month_key = (visit.museum_id, month_start(day), *segment)
        months[month_key] = months.get(month_key, 0) + 1
        day_key = (visit.museum.size_class, visit.museum.region, day, *segment)
        days[day_key] = days.get(day_key, 0) + 1
    return months, days


def stored_segments() -> tuple[dict, dict]:
    segment = ("age_group", "language", "region")
    months = MonthSummary.objects.filter(museum__isnull=False, visits__gt=0).exclude(age_group="")
    days = DaySummary.objects.filter(museum=None, visits__gt=0).exclude(age_group="")
    return (
        {row[:-1]: row[-1] for row in months.values_list("museum_id", "month", *segment, "visits")},
        {
            row[:-1]: row[-1]
            for row in days.values_list("size_class", "museum_region", "day", *segment, "visits")
        },
    )


def _write_summaries(incrementally: bool) -> None:
    if not incrementally:
        summaries_rebuild()
        return
    # What the hooks announce: every visit's and sale's museum and day, every response.
    days = {
        (visit.museum_id, timezone.localtime(visit.visited_at).date())
        for visit in Visit.objects.all()
    }
    days |= set(Pass.objects.filter(sold_by__isnull=False).values_list("sold_by_id", "valid_from"))
    # Visits and sales leave the answers to the refresh after the responses, as the tasks do.
    summaries_refresh(museum_days=days, answers=False)
    months = set(Response.objects.values_list("museum_id", "visit_month"))
    summaries_refresh(museum_months=months, answers=True)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sizes=st.lists(st.sampled_from(["small", "large"]), min_size=3, max_size=3),
    holder_rows=holders,
    visit_specs=visit_rows,
    pass_specs=pass_rows,
    responses=response_rows,
    segment=segments,
    incrementally=st.booleans(),
)
def test_summaries_equal_the_raw_aggregates(
    sizes, holder_rows, visit_specs, pass_specs, responses, segment, incrementally
):
    try:
        with transaction.atomic():
            survey = SurveyData()
            museums = [
                Museum.objects.create(external_id=f"m{index}", name=f"M{index}", size_class=size)
                for index, size in enumerate(sizes)
            ]
            _store(survey, museums, holder_rows, visit_specs, pass_specs, responses)
            _write_summaries(incrementally)
            assert stored_segments() == expected_segments()
            for museum in museums:
                scope = ScopedMuseum(museum=museum, staff=True)
                want = raw.comparable(expected({museum.pk}, segment))
                assert raw.comparable(selectors.museum_figures(scope, PERIOD, segment)) == want
                assert raw.comparable(raw.museum_figures(museum.pk, PERIOD, segment)) == want
            from_summaries = selectors.benchmark_figures(PERIOD, segment)
            from_raw = raw.benchmark_figures(PERIOD, segment)
            for size in ("small", "large"):
                ids = {museum.pk for museum in museums if museum.size_class == size}
                want = raw.comparable(expected(ids, segment))
                want["answers"] = {}  # the network's answers are summed over the period only
                assert raw.comparable(from_summaries.get(size, Figures())) == want
                assert raw.comparable(from_raw.get(size, Figures())) == want
            raise _Rollback
    except _Rollback:
        pass


def _rows() -> dict:
    return {
        model.__name__: sorted(
            (tuple(row.values())[1:] for row in model.objects.values().order_by("pk")), key=str
        )
        for model in (DaySummary, MonthSummary, AnswerSummary)
    }


@pytest.mark.django_db
def test_a_refresh_run_twice_or_late_leaves_the_same_rows(survey_data, march):
    museum = MuseumFactory()
    visits(museum, 3, day=march)
    survey_data.responses(museum, 4)
    summaries_rebuild()
    rebuilt = _rows()
    for _twice in range(2):
        summaries_refresh(
            museum_days={(museum.pk, march)}, museum_months={(museum.pk, march)}, answers=True
        )
    assert _rows() == rebuilt


@pytest.mark.django_db
def test_the_rebuild_removes_the_rows_of_months_left_without_data(march):
    museum = MuseumFactory()
    [visit] = visits(museum, 1, day=march)
    summaries_rebuild()
    assert MonthSummary.objects.filter(month=march).exists()
    Visit.objects.filter(pk=visit.pk).update(
        visited_at=visit.visited_at + datetime.timedelta(days=40)
    )
    summaries_rebuild()
    assert not MonthSummary.objects.filter(month=march).exists()
    assert not DaySummary.objects.filter(day=march).exists()
    assert MonthSummary.objects.filter(month=datetime.date(2026, 4, 1), visits=1).exists()


@pytest.mark.django_db
def test_museum_rows_hold_totals_and_segments_and_network_rows_name_no_museum(survey_data, march):
    museum = MuseumFactory(size_class="large")
    survey_data.responses(museum, 2, age_group="66+", language="fr", region="wallonia")
    summaries_rebuild()
    own = MonthSummary.objects.filter(museum=museum).values_list(
        "age_group", "language", "region", "responses"
    )
    assert sorted(own) == [("", "", "", 2), ("66+", "fr", "wallonia", 2)]
    network = MonthSummary.objects.filter(museum=None)
    assert sorted(network.values_list("size_class", "age_group", "responses")) == [
        ("large", "", 2),
        ("large", "66+", 2),
    ]
    assert set(network.values_list("museums_responding", flat=True)) == {1}
