"""The dashboard's figures and privacy rules on fixed data."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dashboards.periods import Period
from dashboards.privacy import Segment
from dashboards.report import museum_dashboard
from dashboards.scoping import museum_for
from tests.dashboards.factories import MARCH, MONTH, member, rebuilt, visits
from tests.museumpas.factories import MuseumFactory

APRIL = datetime.date(2026, 4, 1)
MAY = datetime.date(2026, 5, 1)
SPRING = Period("custom", MONTH, MAY)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def museum(charlie):
    museum = MuseumFactory(name="Museum A", size_class="small")
    member(charlie, museum)
    return museum


def dashboard_of(charlie, museum, period=MARCH, segment=None, **kwargs):
    rebuilt()
    return museum_dashboard(museum_for(charlie, museum.pk), period, segment or Segment(), **kwargs)


def key(dashboard, label):
    row = next(row for row in dashboard.table("key-figures").rows if row.label == label)
    return row.cells[0]


def row(table, label):
    return next(row for row in table.rows if row.label == label)


def test_nps_is_the_share_of_promoters_minus_the_share_of_detractors(charlie, museum, survey_data):
    survey_data.responses(museum, 10, nps=[10, 10, 9, 9, 8, 7, 6, 5, 0, 10])
    dashboard = dashboard_of(charlie, museum)
    assert key(dashboard, "NPS").value == 20
    assert key(dashboard, "Promoters (%)").value == 50.0
    assert key(dashboard, "Passives (%)").value == 20.0
    assert key(dashboard, "Detractors (%)").value == 30.0
    assert row(dashboard.table("nps"), "NPS").cells[0].value == 20


def test_the_average_rating_is_per_question_and_per_month(charlie, museum, survey_data):
    survey_data.responses(museum, 5, rating=[5, 4, 4, 3, 2])
    survey_data.responses(museum, 5, rating=[5, 5, 5, 4, 5], month=APRIL)
    dashboard = dashboard_of(charlie, museum, SPRING)
    question = survey_data.questions["rating"].text_en
    trend = row(dashboard.table("ratings"), question)
    assert [cell.value for cell in trend.cells] == [3.6, 4.8, None]
    benchmark = row(dashboard.table("ratings-benchmark"), question)
    assert benchmark.cells[0].value == 4.2


def test_choices_are_shares_of_those_who_answered_the_question(charlie, museum, survey_data):
    survey_data.responses(museum, 6, single="alone", multiple=["alone", "family"])
    survey_data.responses(museum, 4, single="friends", multiple=["family"])
    dashboard = dashboard_of(charlie, museum)
    single = dashboard.table(f"choices-{survey_data.questions['single'].pk}")
    assert [r.cells[0].value for r in single.rows] == [60.0, 40.0, 0.0]
    multiple = dashboard.table(f"choices-{survey_data.questions['multiple'].pk}-benchmark")
    assert [r.cells[0].value for r in multiple.rows] == [60.0, 0.0, 100.0]


def test_the_response_rate_is_responses_per_delivered_invitation(charlie, museum, survey_data):
    survey_data.invitations(museum, 40, responded=10)
    survey_data.responses(museum, 10)
    dashboard = dashboard_of(charlie, museum)
    assert key(dashboard, "Response rate (%)").value == 25.0
    assert row(dashboard.table("responses"), "Invitations delivered").cells[0].value == 40


def test_four_responses_are_hidden_and_five_are_shown(charlie, museum, survey_data):
    survey_data.responses(museum, 4, nps=10)
    hidden = dashboard_of(charlie, museum)
    for label in ("Responses", "NPS", "Promoters (%)", "Response rate (%)"):
        assert key(hidden, label).hidden, label
        assert key(hidden, label).value is None
    assert row(hidden.table("nps"), "NPS").cells[0].hidden
    assert row(hidden.table("responses"), "Responses").cells[0].hidden

    survey_data.responses(museum, 1, nps=10)
    shown = dashboard_of(charlie, museum)
    assert key(shown, "Responses").value == 5
    assert key(shown, "NPS").value == 100
    assert not row(shown.table("nps"), "NPS").cells[0].hidden


def test_the_threshold_is_a_setting(charlie, museum, survey_data, settings):
    settings.DASHBOARDS_MIN_RESPONSES = 8
    survey_data.responses(museum, 7)
    assert key(dashboard_of(charlie, museum), "Responses").hidden


def test_a_month_under_the_threshold_is_shown_with_its_neighbour_only(charlie, museum, survey_data):
    survey_data.responses(museum, 10, month=MONTH)
    survey_data.responses(museum, 12, month=APRIL)
    survey_data.responses(museum, 3, month=MAY)
    dashboard = dashboard_of(charlie, museum, SPRING)
    responses = row(dashboard.table("responses"), "Responses").cells
    # May's three join April (the runs: March, April-May): neither month is shown alone.
    assert [cell.hidden for cell in responses] == [False, True, True]
    assert responses[0].value == 10
    assert key(dashboard, "Responses").value == 25
    # Nor is a period ending in April, which the spring minus it would give May away.
    assert key(dashboard_of(charlie, museum, Period("custom", MONTH, APRIL)), "Responses").hidden


def test_the_issues_example_no_two_periods_differ_by_a_few_responses(charlie, museum, survey_data):
    """The review's example: two months showed 30 with both months hidden, one of them alone
    27, so the other's 3 were given away. Every period from February to June is asked now."""
    survey_data.responses(museum, 27, month=MONTH)
    survey_data.responses(museum, 3, month=APRIL)
    rebuilt()
    scope = museum_for(charlie, museum.pk)
    months = [datetime.date(2026, month, 1) for month in range(2, 7)]
    shown = {}
    for first, last in itertools.combinations_with_replacement(months, 2):
        period = Period("custom", first, last)
        cell = key(museum_dashboard(scope, period, Segment()), "Responses")
        if not cell.hidden:
            shown[(first, last)] = cell.value
    assert shown[(MONTH, APRIL)] == 30
    assert (MONTH, MONTH) not in shown and (APRIL, APRIL) not in shown
    for (first, last), value in shown.items():
        for (other_first, other_last), other in shown.items():
            if first <= other_first and other_last <= last:  # one period within the other
                assert not 0 < value - other < 5, (first, last, other_first, other_last)


def test_comments_need_ten_responses_in_the_period(charlie, museum, survey_data):
    survey_data.responses(museum, 9, text="Fijn bezoek")
    few = dashboard_of(charlie, museum)
    assert not few.comments_shown and few.table("comments") is None

    survey_data.responses(museum, 1, text="Fijn bezoek")
    enough = dashboard_of(charlie, museum)
    assert enough.comments_shown
    comments = enough.table("comments")
    assert len(comments.rows) == 10
    assert comments.rows[0].cells[0].value.startswith("Fijn bezoek")


def test_comments_can_be_searched(charlie, museum, survey_data):
    survey_data.responses(museum, 8, text="Fijn bezoek")
    survey_data.responses(museum, 2, text="De lift was stuk")
    found = dashboard_of(charlie, museum, search="LIFT").table("comments")
    assert [r.cells[0].value for r in found.rows] == ["De lift was stuk 1", "De lift was stuk 0"]


def test_comment_search_ignores_case_also_of_accented_letters(charlie, museum, survey_data):
    survey_data.responses(museum, 7, text="Fijn bezoek")
    survey_data.responses(museum, 2, text="Gezellig CAFÉ")
    survey_data.responses(museum, 1, text="Très belle expo")
    found = dashboard_of(charlie, museum, search="café").table("comments")
    assert [r.cells[0].value for r in found.rows] == ["Gezellig CAFÉ 1", "Gezellig CAFÉ 0"]
    found = dashboard_of(charlie, museum, search="TRÈS BELLE").table("comments")
    assert [r.cells[0].value for r in found.rows] == ["Très belle expo 0"]
    # Letters with and without an accent stay different letters, as before the index.
    assert dashboard_of(charlie, museum, search="cafe").table("comments").rows == []


def test_recent_comments_are_read_without_parallel_workers(charlie, museum, survey_data):
    survey_data.responses(museum, 10, text="Fijn bezoek")
    with CaptureQueriesContext(connection) as captured:
        comments = dashboard_of(charlie, museum).table("comments")
    assert len(comments.rows) == 10
    statements = [query["sql"] for query in captured.captured_queries]
    setting = statements.index("SET LOCAL max_parallel_workers_per_gather = 0")
    assert "surveys_answer" in statements[setting + 1]
    assert statements[setting + 2].startswith("RELEASE SAVEPOINT")


def test_comments_have_a_trigram_index_and_segment_statistics_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'surveys_answer_text_search'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute(
            "SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'surveys_response_segment'"
        )
        (kinds,) = cursor.fetchone()
    assert "gin (upper(text) gin_trgm_ops)" in definition
    assert sorted(kinds) == ["f", "m"]  # functional dependencies and most common values


def test_a_filter_leaving_a_small_group_beside_it_is_refused(charlie, museum, survey_data):
    survey_data.responses(museum, 20, age_group="36-45", nps=9)
    survey_data.responses(museum, 3, age_group="66+", nps=0)
    # All visitors minus the 36-45 would give the three 66+ respondents' NPS.
    dashboard = dashboard_of(charlie, museum, segment=Segment(age_group="36-45"))
    assert dashboard.segment_refused
    assert dashboard.notes
    assert key(dashboard, "NPS").hidden and key(dashboard, "Responses").hidden
    assert not dashboard.comments_shown
    assert dashboard.safe_dimensions == {"age_group": False, "language": True, "region": True}

    # The other way round too: the small group itself.
    assert dashboard_of(charlie, museum, segment=Segment(age_group="66+")).segment_refused


def test_a_filter_is_allowed_when_every_group_it_cuts_holds_enough(charlie, museum, survey_data):
    survey_data.responses(museum, 20, age_group="36-45", nps=9)
    survey_data.responses(museum, 5, age_group="66+", nps=0)
    dashboard = dashboard_of(charlie, museum, segment=Segment(age_group="66+"))
    assert not dashboard.segment_refused
    assert key(dashboard, "Responses").value == 5
    assert key(dashboard, "NPS").value == -100


def test_a_combination_of_filters_is_checked_on_all_its_groups(charlie, museum, survey_data):
    for age_group, language, count in (
        ("36-45", "nl", 10),
        ("36-45", "fr", 10),
        ("66+", "nl", 6),
        ("66+", "fr", 2),
    ):
        survey_data.responses(museum, count, age_group=age_group, language=language)
    # Each filter alone cuts the responses into groups of 8 and more...
    assert not dashboard_of(charlie, museum, segment=Segment(age_group="66+")).segment_refused
    assert not dashboard_of(charlie, museum, segment=Segment(language="fr")).segment_refused
    # ... but both together have a group of two (66+ in French), whichever cell is asked for.
    both = Segment(age_group="36-45", language="nl")
    assert dashboard_of(charlie, museum, segment=both).segment_refused


def test_a_filter_is_refused_for_a_period_with_a_month_where_its_groups_are_too_small(
    charlie, museum, survey_data
):
    survey_data.responses(museum, 10, age_group="36-45", month=MONTH)
    survey_data.responses(museum, 6, age_group="66+", month=MONTH)
    survey_data.responses(museum, 10, age_group="36-45", month=APRIL)
    survey_data.responses(museum, 2, age_group="66+", month=APRIL)
    # Over the two months the groups hold 20 and 8, but March's 36-45 (10, allowed) taken from
    # the two months' (20) would give April's, and April's total (12) its two 66+.
    both = dashboard_of(charlie, museum, Period("custom", MONTH, APRIL), Segment(age_group="36-45"))
    assert both.segment_refused
    responses = row(both.table("responses"), "Responses").cells
    assert [cell.hidden for cell in responses] == [True, True]
    assert key(both, "Responses").hidden
    march = dashboard_of(charlie, museum, MARCH, Segment(age_group="36-45"))
    assert not march.segment_refused and key(march, "Responses").value == 10


def test_the_nps_warns_below_thirty_answers(charlie, museum, survey_data):
    survey_data.responses(museum, 29)
    assert dashboard_of(charlie, museum).nps_warning
    survey_data.responses(museum, 1)
    assert not dashboard_of(charlie, museum).nps_warning


def test_benchmarks_are_withheld_until_five_museums_contribute(charlie, museum, survey_data):
    others = [MuseumFactory(size_class="small") for _ in range(3)]
    for other in (museum, *others):
        survey_data.responses(other, 10, nps=10)
        visits(other, 20)
    dashboard = dashboard_of(charlie, museum)
    same_size = row(dashboard.table("key-figures"), "NPS").cells[1]
    assert same_size.hidden and same_size.reason == "museums"
    assert row(dashboard.table("key-figures"), "Visits with the pass").cells[2].hidden

    fifth = MuseumFactory(size_class="small")
    survey_data.responses(fifth, 10, nps=0)
    visits(fifth, 70)
    dashboard = dashboard_of(charlie, museum)
    figures = row(dashboard.table("key-figures"), "NPS").cells
    assert [cell.value for cell in figures] == [100, 60, 60]
    visits_row = row(dashboard.table("key-figures"), "Visits with the pass").cells
    assert [cell.value for cell in visits_row] == [20, 30, 30]


def test_museums_without_responses_do_not_count_towards_a_benchmark(charlie, museum, survey_data):
    """Five museums of one size, only two with responses: the other's NPS would show."""
    for _ in range(4):
        visits(MuseumFactory(size_class="small"), 5)
    other = MuseumFactory(size_class="small")
    survey_data.responses(museum, 10, nps=10)
    survey_data.responses(other, 10, nps=0)
    dashboard = dashboard_of(charlie, museum)
    nps = row(dashboard.table("key-figures"), "NPS").cells
    assert nps[1].hidden and nps[2].hidden
