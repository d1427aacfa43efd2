"""From a write to the summaries: hooks, listeners, tasks, in this process (tasks run eagerly);
test_worker.py runs the same path through a real Celery worker."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from dashboards.models import AnswerSummary, DaySummary, MonthSummary
from dashboards.tasks import refresh_invitations
from museumpas.importing import import_csv
from museumpas.models import Visit
from museumpas.services import visit_record
from publiq_backoffice.celery import app
from surveys.services.responses import response_submit
from surveys.services.sending import invitations_send
from tests.museumpas.factories import HolderFactory, MuseumFactory
from tests.surveys.factories import InvitationFactory, invitation_with_link, survey_with_every_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def own_month(museum, **filters):
    return MonthSummary.objects.filter(museum=museum, age_group="", **filters)


def test_a_visit_from_a_museums_client_reaches_the_summaries(
    eager_tasks, django_capture_on_commit_callbacks
):
    museum = MuseumFactory(size_class="small")
    holder = HolderFactory(external_id="pass-1", birth_year=1990)
    visited_at = timezone.make_aware(datetime.datetime(2026, 3, 3, 23, 30))
    with django_capture_on_commit_callbacks(execute=True):
        visit_record(museum=museum, holder_external_id="pass-1", visited_at=visited_at)
    assert DaySummary.objects.get(museum=museum).visits == 1
    assert DaySummary.objects.get(museum=museum).day == datetime.date(2026, 3, 3)
    assert own_month(museum, visits=1).exists()
    network = MonthSummary.objects.get(museum=None, age_group="36-45")
    assert (network.size_class, network.visits, network.region) == ("small", 1, holder.region)


def test_passes_imported_for_a_museum_reach_the_summaries(
    eager_tasks, django_capture_on_commit_callbacks
):
    museum = MuseumFactory(external_id="m1")
    HolderFactory(external_id="h1")
    lines = [
        "id,holder_id,card_number,valid_from,valid_until,channel,museum_id,renewal,price\n",
        "p1,h1,1,2026-03-02,2027-03-01,museum,m1,true,65.00\n",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert import_csv("passes", lines).stored == 1
    assert own_month(museum, passes_museum=1, renewals=1).exists()


def test_a_response_and_its_invitation_reach_the_summaries(
    eager_tasks, django_capture_on_commit_callbacks
):
    survey = survey_with_every_kind()
    invitation, _token = invitation_with_link(campaign__survey=survey)
    nps = survey.questions.get(kind="nps")
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(invitation=invitation, answers={nps.pk: 10})
    row = own_month(invitation.museum).get()
    assert (row.delivered, row.responded, row.responses) == (1, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_sent_invitation_counts_as_delivered(eager_tasks, smtp_settings, monkeypatch):
    from surveys import tasks

    monkeypatch.setattr(tasks.send_invitations, "apply_async", lambda *args, **kwargs: None)
    invitation = InvitationFactory(state="pending", attempts=0, sent_at=None, expires_at=None)
    invitations_send(invitation_ids=[invitation.pk])
    row = own_month(invitation.museum).get()
    assert (row.delivered, row.responses) == (1, 0)


ANSWER_TABLE = AnswerSummary._meta.db_table


def answer_rows() -> list[tuple]:
    """Every answer summary row with its primary key: a rewrite gives the rows new keys."""
    return sorted(AnswerSummary.objects.values_list())


def answer_statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if ANSWER_TABLE in query["sql"]]


@pytest.fixture
def answered(eager_tasks, django_capture_on_commit_callbacks):
    """A museum's response, its answers in the summaries; the invitation's visit is its month."""
    survey = survey_with_every_kind()
    invitation, _token = invitation_with_link(campaign__survey=survey)
    nps = survey.questions.get(kind="nps")
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(invitation=invitation, answers={nps.pk: 10})
    assert AnswerSummary.objects.filter(museum=invitation.museum, question=nps, value="").exists()
    return invitation, nps


def test_a_visit_refresh_leaves_the_answer_summaries_untouched(
    answered, django_capture_on_commit_callbacks
):
    invitation, _nps = answered
    museum, visit = invitation.museum, invitation.visit
    before = answer_rows()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        visit_record(
            museum=museum, holder_external_id=visit.holder.external_id, visited_at=visit.visited_at
        )
    assert own_month(museum).get().visits == 2  # the refresh ran
    assert answer_rows() == before
    assert answer_statements(queries) == []


def test_a_sent_invitation_refresh_leaves_the_answer_summaries_untouched(answered):
    invitation, _nps = answered
    before = answer_rows()
    with CaptureQueriesContext(connection) as queries:
        assert refresh_invitations([invitation.pk]) == 1
    assert answer_rows() == before
    assert answer_statements(queries) == []


def test_a_response_refresh_rewrites_the_answer_summaries(
    answered, django_capture_on_commit_callbacks
):
    first, nps = answered
    second, _token = invitation_with_link(
        campaign=first.campaign,
        visit__museum=first.museum,
        visit__visited_at=first.visit.visited_at,
    )
    before = answer_rows()
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response_submit(invitation=second, answers={nps.pk: 6})
    assert answer_rows() != before
    own = AnswerSummary.objects.filter(museum=first.museum, question=nps, age_group="")
    assert sorted(own.values_list("value", "answers")) == [("", 2), ("10", 1), ("6", 1)]
    statements = answer_statements(queries)
    assert any(sql.startswith("DELETE") for sql in statements)
    assert any(sql.startswith("INSERT") for sql in statements)


def test_the_nightly_rebuild_is_scheduled_and_is_a_command_too():
    job = PeriodicTask.objects.get(task="dashboards.rebuild_summaries")
    assert job.task == "dashboards.rebuild_summaries"
    museum = MuseumFactory()
    # Written without the hooks (as a bulk load would): only the rebuild sees it.
    Visit.objects.create(
        external_id="v1",
        holder=HolderFactory(),
        museum=museum,
        visited_at=timezone.make_aware(datetime.datetime(2026, 2, 1, 10)),
    )
    assert not MonthSummary.objects.exists()
    out, err = StringIO(), StringIO()
    call_command("rebuild_dashboard_summaries", stdout=out, stderr=err)
    assert own_month(museum, visits=1).exists()
    assert out.getvalue().startswith("1 months rebuilt in ")
    assert "month 1 of 1" in err.getvalue()
