"""Scoping: the one door to a museum's figures."""

import pytest
from django.http import Http404

from dashboards import selectors
from dashboards.periods import default_period
from dashboards.privacy import Segment
from dashboards.report import museum_dashboard
from dashboards.scoping import MuseumScopeMissing, ScopedMuseum, museum_for, museums_for
from tests.dashboards.factories import member
from tests.museumpas.factories import MuseumFactory
from tests.support.users import make_user


@pytest.fixture
def museums(db):
    return MuseumFactory(name="A"), MuseumFactory(name="B")


def test_a_museum_user_gets_their_own_museum(charlie, museums):
    museum_a, _museum_b = museums
    member(charlie, museum_a)
    scope = museum_for(charlie, museum_a.pk)
    assert scope.museum == museum_a and not scope.staff


def test_another_museum_is_not_found_rather_than_forbidden(charlie, museums):
    museum_a, museum_b = museums
    member(charlie, museum_a)
    with pytest.raises(Http404):
        museum_for(charlie, museum_b.pk)
    with pytest.raises(Http404):
        museum_for(charlie, 999_999)  # and one that does not exist answers the same
    with pytest.raises(Http404):
        museum_for(charlie, "1; drop table")


def test_a_museum_user_may_belong_to_several_museums(charlie, museums):
    for museum in museums:
        member(charlie, museum)
    assert set(museums_for(charlie)) == set(museums)


@pytest.mark.parametrize("persona", ["alice", "sofie"])
def test_publiq_staff_see_every_museum(request, persona, museums):
    user = request.getfixturevalue(persona)
    for museum in museums:
        assert museum_for(user, museum.pk).staff


def test_a_user_without_a_dashboard_role_sees_no_museum_even_with_a_membership(museums):
    user = make_user("visitor")
    member(user, museums[0])
    with pytest.raises(Http404):
        museum_for(user, museums[0].pk)


def test_it_refuses_to_run_without_a_museum(charlie):
    with pytest.raises(MuseumScopeMissing):
        museum_for(charlie, None)
    with pytest.raises(MuseumScopeMissing):
        museum_for(charlie, "")


def test_museum_facing_selectors_refuse_anything_but_a_scoped_museum(museums):
    museum = museums[0]
    for call in (
        lambda scope: selectors.museum_figures(scope, default_period(), Segment()),
        lambda scope: selectors.segment_cells(scope, default_period(), Segment()),
        lambda scope: selectors.comments(scope, default_period(), Segment()),
        lambda scope: museum_dashboard(scope, default_period(), Segment()),
    ):
        with pytest.raises(MuseumScopeMissing):
            call(museum)
        with pytest.raises(MuseumScopeMissing):
            call(museum.pk)
        call(ScopedMuseum(museum=museum, staff=True))
