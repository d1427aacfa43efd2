import datetime

import pytest
from django.utils import timezone

from surveys.models import Campaign, Invitation, OptOut
from surveys.services.dispatch import in_sample, surveys_dispatch
from tests.museumpas.factories import HolderFactory, MuseumFactory, PassFactory, VisitFactory
from tests.surveys.factories import CampaignFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def invited_visits() -> set[int]:
    return set(Invitation.objects.values_list("visit_id", flat=True))


def test_it_invites_each_due_visit_once_and_a_second_run_adds_nothing(
    django_capture_on_commit_callbacks,
):
    campaign = CampaignFactory()
    visits = VisitFactory.create_batch(3, visited_at=days_ago(2))
    with django_capture_on_commit_callbacks() as queued:
        result = surveys_dispatch()
    assert result.created == 3 and result.queued == 3
    assert len(queued) == 1  # one chunk
    invitation = Invitation.objects.get(visit=visits[0])
    assert (invitation.campaign, invitation.state, invitation.language) == (
        campaign,
        "pending",
        "nl",
    )
    assert invitation.queued_at is not None and invitation.token_hash is None

    with django_capture_on_commit_callbacks() as queued_again:
        again = surveys_dispatch()
    assert (again.created, again.queued, len(queued_again)) == (0, 0, 0)
    assert Invitation.objects.count() == 3


def test_invitations_are_queued_in_chunks(settings, django_capture_on_commit_callbacks):
    settings.SURVEYS_SEND_CHUNK_SIZE = 2
    CampaignFactory()
    VisitFactory.create_batch(5, visited_at=days_ago(2))
    with django_capture_on_commit_callbacks() as queued:
        surveys_dispatch()
    assert len(queued) == 3


def test_a_visit_is_invited_only_after_the_delay_and_within_the_send_window():
    CampaignFactory(send_delay_days=1, send_window_days=7)
    too_recent = VisitFactory(visited_at=days_ago(0.5))
    due = VisitFactory(visited_at=days_ago(1.5))
    too_old = VisitFactory(visited_at=days_ago(9))
    surveys_dispatch()
    assert invited_visits() == {due.pk}
    assert too_recent.pk not in invited_visits() and too_old.pk not in invited_visits()


def test_only_visits_in_the_campaign_window_and_museums_count():
    chosen, other = MuseumFactory(), MuseumFactory()
    today = timezone.localdate()
    campaign = CampaignFactory(
        all_museums=False,
        visits_from=today - datetime.timedelta(days=3),
        visits_until=today - datetime.timedelta(days=2),
    )
    campaign.museums.add(chosen)
    inside = VisitFactory(museum=chosen, visited_at=days_ago(2.5))
    VisitFactory(museum=other, visited_at=days_ago(2.5))
    VisitFactory(museum=chosen, visited_at=days_ago(5))
    surveys_dispatch()
    assert invited_visits() == {inside.pk}


def test_inactive_campaigns_invite_nobody():
    CampaignFactory(active=False)
    VisitFactory(visited_at=days_ago(2))
    surveys_dispatch()
    assert Invitation.objects.count() == 0


def test_a_holder_is_asked_at_most_once_per_cap_across_campaigns_and_museums():
    CampaignFactory(holder_cap_days=90)
    recently_asked, long_ago_asked = HolderFactory(), HolderFactory()
    earlier = InvitationFactory(visit=VisitFactory(holder=recently_asked, visited_at=days_ago(40)))
    Invitation.objects.filter(pk=earlier.pk).update(created_at=days_ago(30))
    old = InvitationFactory(visit=VisitFactory(holder=long_ago_asked, visited_at=days_ago(50)))
    Invitation.objects.filter(pk=old.pk).update(created_at=days_ago(100))
    capped = VisitFactory(holder=recently_asked, visited_at=days_ago(2))
    free = VisitFactory(holder=long_ago_asked, visited_at=days_ago(2))
    surveys_dispatch()
    assert free.pk in invited_visits() and capped.pk not in invited_visits()


def test_a_holder_with_several_due_visits_gets_one_invitation_about_the_latest():
    CampaignFactory()
    holder = HolderFactory()
    VisitFactory(holder=holder, visited_at=days_ago(3))
    latest = VisitFactory(holder=holder, visited_at=days_ago(2))
    surveys_dispatch()
    assert invited_visits() == {latest.pk}


def test_a_visit_yields_one_invitation_when_several_campaigns_run():
    first = CampaignFactory()
    CampaignFactory()
    VisitFactory(visited_at=days_ago(2))
    surveys_dispatch()
    assert list(Invitation.objects.values_list("campaign", flat=True)) == [first.pk]


def test_sampling_draws_the_rate_and_the_same_visits_every_run():
    campaign = CampaignFactory(sample_percent=25, holder_cap_days=0)
    museum = MuseumFactory()
    VisitFactory.create_batch(400, museum=museum, visited_at=days_ago(2))
    surveys_dispatch()
    invited = invited_visits()
    assert 60 <= len(invited) <= 140
    assert all(in_sample(campaign.pk, visit_id, 25) for visit_id in invited)
    surveys_dispatch()
    assert invited_visits() == invited


@pytest.mark.parametrize(
    ("segment", "matching", "other"),
    [
        ({"languages": ["fr"]}, {"language": "fr"}, {"language": "nl"}),
        ({"regions": ["brussels"]}, {"region": "brussels"}, {"region": "flanders"}),
        ({"age_groups": ["26-35"]}, {"birth_year": timezone.now().year - 30}, {"birth_year": 1950}),
        ({"age_groups": ["unknown"]}, {"birth_year": None}, {"birth_year": 1990}),
    ],
)
def test_holder_segments_select_the_holders(segment, matching, other):
    CampaignFactory(**segment)
    wanted = VisitFactory(holder=HolderFactory(**matching), visited_at=days_ago(2))
    VisitFactory(holder=HolderFactory(**other), visited_at=days_ago(2))
    surveys_dispatch()
    assert invited_visits() == {wanted.pk}


def test_first_visits_and_returning_visitors_are_segments():
    museum = MuseumFactory()
    returning_holder, first_timer = HolderFactory(), HolderFactory()
    VisitFactory(holder=returning_holder, museum=museum, visited_at=days_ago(200))
    returning = VisitFactory(holder=returning_holder, museum=museum, visited_at=days_ago(2))
    first = VisitFactory(holder=first_timer, museum=museum, visited_at=days_ago(2))

    CampaignFactory(visitor_kind="first")
    surveys_dispatch()
    assert invited_visits() == {first.pk}

    Invitation.objects.all().delete()
    CampaignFactory(visitor_kind="returning", holder_cap_days=0)
    Campaign.objects.filter(visitor_kind="first").update(active=False)
    surveys_dispatch()
    assert invited_visits() == {returning.pk}


@pytest.mark.parametrize(("pass_kind", "renewing"), [("renewal", True), ("new", False)])
def test_new_and_renewed_passes_are_segments(pass_kind, renewing):
    CampaignFactory(pass_kind=pass_kind)
    matching, other = HolderFactory(), HolderFactory()
    PassFactory(holder=matching, is_renewal=renewing)
    PassFactory(holder=other, is_renewal=not renewing)
    wanted = VisitFactory(holder=matching, visited_at=days_ago(2))
    VisitFactory(holder=other, visited_at=days_ago(2))
    surveys_dispatch()
    assert invited_visits() == {wanted.pk}


def test_opted_out_holders_are_not_invited_for_that_museum_or_at_all():
    CampaignFactory()
    left_museum, other_museum = MuseumFactory(), MuseumFactory()
    per_museum, everything = HolderFactory(), HolderFactory()
    OptOut.objects.create(holder=per_museum, museum=left_museum)
    OptOut.objects.create(holder=everything, museum=None)
    VisitFactory(holder=per_museum, museum=left_museum, visited_at=days_ago(2))
    elsewhere = VisitFactory(holder=per_museum, museum=other_museum, visited_at=days_ago(2.5))
    VisitFactory(holder=everything, museum=other_museum, visited_at=days_ago(2))
    surveys_dispatch()
    assert invited_visits() == {elsewhere.pk}


def test_holders_without_a_deliverable_address_are_not_invited():
    CampaignFactory()
    VisitFactory(holder=HolderFactory(email=""), visited_at=days_ago(2))
    VisitFactory(holder=HolderFactory(email_bounced_at=timezone.now()), visited_at=days_ago(2))
    VisitFactory(holder=HolderFactory(erased_at=timezone.now()), visited_at=days_ago(2))
    surveys_dispatch()
    assert Invitation.objects.count() == 0
