"""Sending in this process through a real SMTP server on loopback; the worker tests run the same
code in a real Celery worker."""

import datetime
import re

import pytest
from django.utils import formats, timezone, translation

from museumpas.models import Museum
from surveys.models import Invitation, OptOut
from surveys.services import sending
from surveys.services.opt_outs import invitation_for_unsubscribe_token
from surveys.services.responses import invitation_for_token
from surveys.services.tokens import unsubscribe_token
from tests.museumpas.factories import HolderFactory, MuseumFactory, VisitFactory
from tests.surveys.factories import CampaignFactory, InvitationFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^/\s]+(/s/[A-Za-z0-9_-]+/)")


@pytest.fixture
def queued(monkeypatch):
    """Celery messages the code under test would publish: (invitation ids, countdown).

    The test's transaction never commits, so on_commit callbacks run at once here.
    """
    from django.db import transaction

    from surveys import tasks

    monkeypatch.setattr(transaction, "on_commit", lambda callback, *args, **kwargs: callback())
    calls = []
    monkeypatch.setattr(
        tasks.send_invitations,
        "apply_async",
        lambda args, countdown=None: calls.append((args[0], countdown)),
    )
    monkeypatch.setattr(tasks.send_reminders, "delay", lambda ids: calls.append((ids, None)))
    return calls


def pending(**kwargs) -> Invitation:
    return InvitationFactory(state="pending", attempts=0, sent_at=None, expires_at=None, **kwargs)


def body(message, subtype="plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def test_it_sends_html_and_text_in_the_holders_language_with_one_click_unsubscribe(
    smtp_settings, settings, queued
):
    settings.SITE_URL = "https://backoffice.example.be"
    invitation = pending(visit=VisitFactory(holder=HolderFactory(language="fr")))
    outcome = sending.invitations_send(invitation_ids=[invitation.pk])
    assert outcome.sent == [invitation.pk]
    [message] = smtp_settings.messages
    assert message["To"] == invitation.holder.email
    assert invitation.museum.name in message["Subject"]
    assert "Comment" in message["Subject"]  # French
    text, html = body(message), body(message, "html")
    path = LINK.search(text).group(1)
    assert path in html and 'lang="fr"' in html
    token = path.split("/")[2]
    unsubscribe = f"/s/{unsubscribe_token(token)}/unsubscribe/"
    assert message["List-Unsubscribe"].strip() == f"<https://backoffice.example.be{unsubscribe}>"
    assert unsubscribe in text and unsubscribe in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    invitation.refresh_from_db()
    assert (invitation.state, invitation.attempts) == ("sent", 1)
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=30)
    assert len(token) >= 22 and token not in invitation.token_hash
    assert invitation_for_token(token) == invitation


def test_a_chunk_that_runs_twice_sends_each_invitation_once(smtp_settings):
    invitations = [pending() for _ in range(3)]
    ids = [invitation.pk for invitation in invitations]
    sending.invitations_send(invitation_ids=ids)
    second = sending.invitations_send(invitation_ids=ids)
    assert len(smtp_settings.messages) == 3
    assert second.sent == [] and second.skipped == ids


def test_a_late_confirmation_cannot_overwrite_a_claim_the_sweep_took_back(smtp_settings):
    invitation = pending()
    claimed_at, [claimed] = sending._claim([invitation.pk])
    sending.invitations_sweep(stale_after=datetime.timedelta(0))
    sending._confirm_sent(claimed, claimed_at, "f" * 64)
    invitation.refresh_from_db()
    assert (invitation.state, invitation.token_hash) == ("pending", None)


def test_the_chunk_releases_what_it_did_not_reach_before_its_deadline(
    smtp_settings, monkeypatch, queued
):
    monkeypatch.setattr(sending, "CHUNK_DEADLINE_SECONDS", -1)
    invitation = pending()
    outcome = sending.invitations_send(invitation_ids=[invitation.pk])
    invitation.refresh_from_db()
    assert outcome.left_over == [invitation.pk] and smtp_settings.messages == []
    assert (invitation.state, invitation.attempts) == ("pending", 0)
    assert queued == [([invitation.pk], None)]


def test_an_invitation_claimed_by_another_worker_is_not_sent(smtp_settings):
    invitation = pending()
    Invitation.objects.filter(pk=invitation.pk).update(state="sending", claimed_at=timezone.now())
    sending.invitations_send(invitation_ids=[invitation.pk])
    assert smtp_settings.messages == []


def test_a_temporary_failure_is_retried_later_with_backoff_and_jitter(
    smtp_settings, settings, queued
):
    settings.SURVEYS_RETRY_BASE_SECONDS = 10
    smtp_settings.refuse(1)
    first, second = pending(), pending()
    outcome = sending.invitations_send(invitation_ids=[first.pk, second.pk])
    assert outcome.sent == [second.pk] and outcome.retry == {1: [first.pk]}
    first.refresh_from_db()
    assert (first.state, first.attempts, first.token_hash) == ("pending", 1, None)
    assert "451" in first.last_error
    [(ids, countdown)] = queued
    assert ids == [first.pk] and 5 <= countdown <= 15
    delays = {round(sending.retry_delay(3), 3) for _ in range(20)}
    assert len(delays) > 1 and all(20 <= delay <= 60 for delay in delays)


def test_the_backoff_is_capped(settings):
    settings.SURVEYS_RETRY_BASE_SECONDS = 30
    settings.SURVEYS_RETRY_MAX_SECONDS = 300
    assert all(sending.retry_delay(12) <= 450 for _ in range(20))


def test_after_the_last_attempt_the_invitation_is_failed_and_not_retried(
    smtp_settings, settings, queued
):
    settings.SURVEYS_SEND_MAX_ATTEMPTS = 2
    smtp_settings.refuse(-1)
    invitation = pending()
    sending.invitations_send(invitation_ids=[invitation.pk])
    sending.invitations_send(invitation_ids=[invitation.pk])
    invitation.refresh_from_db()
    assert (invitation.state, invitation.attempts) == ("failed", 2)
    assert invitation.finished_at is not None and "451" in invitation.last_error
    assert len(queued) == 1  # only after the first attempt


def test_a_permanent_refusal_fails_at_once_and_no_mail_goes_to_that_address_again(
    smtp_settings, queued
):
    smtp_settings.refuse(1, permanent=True)
    invitation = pending()
    outcome = sending.invitations_send(invitation_ids=[invitation.pk])
    invitation.refresh_from_db()
    assert outcome.failed == [invitation.pk] and queued == []
    assert (invitation.state, invitation.attempts) == ("failed", 1)
    assert "550" in invitation.last_error
    assert invitation.holder.email not in invitation.last_error  # survey managers read it
    assert invitation.holder.email_bounced_at is not None

    later = pending(visit=VisitFactory(holder=invitation.holder))
    sending.invitations_send(invitation_ids=[later.pk])
    later.refresh_from_db()
    assert (later.state, later.last_error) == ("failed", "no deliverable e-mail address")
    assert smtp_settings.messages == []


def test_a_holder_who_opted_out_meanwhile_gets_no_mail(smtp_settings):
    invitation = pending()
    OptOut.objects.create(holder=invitation.holder, museum=invitation.museum)
    sending.invitations_send(invitation_ids=[invitation.pk])
    invitation.refresh_from_db()
    assert invitation.state == "opted_out" and smtp_settings.messages == []


def test_the_sweep_puts_back_what_a_dead_worker_left_and_expires_old_links(queued):
    stuck = pending()
    Invitation.objects.filter(pk=stuck.pk).update(
        state="sending", attempts=1, claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    recent = pending()
    Invitation.objects.filter(pk=recent.pk).update(
        state="sending", attempts=1, claimed_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    lost = pending()
    Invitation.objects.filter(pk=lost.pk).update(
        queued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    fresh = pending()
    Invitation.objects.filter(pk=fresh.pk).update(queued_at=timezone.now())
    expired = InvitationFactory(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    result = sending.invitations_sweep()
    assert (result.reclaimed, result.requeued, result.expired) == (1, 2, 1)
    assert sorted(queued[0][0]) == sorted([stuck.pk, lost.pk])
    stuck.refresh_from_db()
    expired.refresh_from_db()
    recent.refresh_from_db()
    assert (stuck.state, stuck.claimed_at) == ("pending", None)
    assert recent.state == "sending"  # a live task may still hold it
    assert expired.state == "expired"


def test_reminders_go_once_and_only_to_holders_who_did_not_answer(smtp_settings, queued):
    campaign = CampaignFactory(reminder_after_days=3)
    long_ago = timezone.now() - datetime.timedelta(days=4)
    due = InvitationFactory(campaign=campaign, sent_at=long_ago)
    InvitationFactory(campaign=campaign, sent_at=long_ago, state="responded")
    InvitationFactory(campaign=campaign, sent_at=timezone.now() - datetime.timedelta(days=1))
    InvitationFactory(campaign=CampaignFactory(reminder_after_days=None), sent_at=long_ago)
    opted = InvitationFactory(campaign=campaign, sent_at=long_ago)
    OptOut.objects.create(holder=opted.holder, museum=None)

    assert sending.reminders_due(now=timezone.now()) == sorted([due.pk, opted.pk])
    sent = sending.reminders_send(invitation_ids=[due.pk, opted.pk])
    assert sent == 1
    [message] = smtp_settings.messages
    assert message["To"] == due.holder.email
    path = LINK.search(body(message)).group(1)
    assert invitation_for_token(path.split("/")[2]) == due  # the reminder's own link works
    unsubscribe = re.search(r"/s/([A-Za-z0-9_-]+)/unsubscribe/", body(message)).group(1)
    assert invitation_for_unsubscribe_token(unsubscribe) == due  # and its unsubscribe link
    assert invitation_for_token(unsubscribe) is None
    assert sending.reminders_due(now=timezone.now()) == [opted.pk]
    assert sending.reminders_send(invitation_ids=[due.pk]) == 0
    assert len(smtp_settings.messages) == 1


def test_a_reminder_that_failed_is_released_for_the_next_run(smtp_settings):
    campaign = CampaignFactory(reminder_after_days=3)
    due = InvitationFactory(campaign=campaign, sent_at=timezone.now() - datetime.timedelta(days=4))
    smtp_settings.refuse(1)
    assert sending.reminders_send(invitation_ids=[due.pk]) == 0
    assert sending.reminders_due(now=timezone.now()) == [due.pk]
    assert sending.reminders_send(invitation_ids=[due.pk]) == 1


def test_failed_invitations_can_be_sent_again_by_a_survey_manager(sofie, queued):
    failed = InvitationFactory(state="failed", attempts=5, last_error="451")
    assert sending.invitations_retry_failed(invitation_ids=[failed.pk], actor=sofie) == 1
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)
    assert queued[0][0] == [failed.pk]


def test_the_mail_escapes_the_museum_name_in_html_only(smtp_settings, queued):
    invitation = pending(visit=VisitFactory(museum=MuseumFactory(name="Kunst & <Zo>")))
    sending.invitations_send(invitation_ids=[invitation.pk])
    [message] = smtp_settings.messages
    assert "Kunst & <Zo>" in body(message)
    assert "Kunst &amp; &lt;Zo&gt;" in body(message, "html")
    assert "Kunst & <Zo>" in message["Subject"]
    with translation.override("nl"):
        date = formats.date_format(timezone.localtime(invitation.visit.visited_at).date())
    assert f"op {date}." in body(message)


def test_a_confirmation_matches_its_own_claim_only(smtp_settings, caplog):
    confirmed, taken_back = pending(), pending()
    sending.invitations_send(invitation_ids=[confirmed.pk])
    claimed_at, [invitation] = sending._claim([taken_back.pk])
    Invitation.objects.filter(pk=taken_back.pk).update(state="pending", claimed_at=None)

    sending._confirm_sent(invitation, claimed_at, token_hash="0" * 64)

    confirmed.refresh_from_db()
    taken_back.refresh_from_db()
    assert confirmed.state == "sent"
    assert (taken_back.state, taken_back.sent_at) == ("pending", None)
    assert [r.getMessage() for r in caplog.records if r.name == "surveys.services.sending"] == [
        f"invitation {taken_back.pk} sent, but its claim was taken back"
    ]


def test_a_museum_name_that_breaks_the_subject_fails_its_invitation_alone(smtp_settings, queued):
    # Stored before names were checked: a line break would make the subject two headers.
    broken = MuseumFactory()
    Museum.objects.filter(pk=broken.pk).update(name="Museum\nBcc: everyone@example.org")
    first, bad, last = pending(), pending(visit=VisitFactory(museum=broken)), pending()

    outcome = sending.invitations_send(invitation_ids=[first.pk, bad.pk, last.pk])

    assert outcome.sent == [first.pk, last.pk] and outcome.failed == [bad.pk]
    assert [message["To"] for message in smtp_settings.messages] == [
        first.holder.email,
        last.holder.email,
    ]
    bad.refresh_from_db()
    assert bad.state == "failed" and "BadHeaderError" in bad.last_error
    assert bad.holder.email_bounced_at is None  # the address is not to blame
    assert queued == []  # nothing to retry: no attempt would cure it


def test_a_reminder_that_cannot_be_written_does_not_stop_the_others(smtp_settings):
    broken = MuseumFactory()
    Museum.objects.filter(pk=broken.pk).update(name="Museum\r\nX-Injected: yes")
    campaign = CampaignFactory(reminder_after_days=3)
    long_ago = timezone.now() - datetime.timedelta(days=4)
    bad = InvitationFactory(campaign=campaign, sent_at=long_ago, visit=VisitFactory(museum=broken))
    good = InvitationFactory(campaign=campaign, sent_at=long_ago)

    assert sending.reminders_send(invitation_ids=[bad.pk, good.pk]) == 1

    assert [message["To"] for message in smtp_settings.messages] == [good.holder.email]
    bad.refresh_from_db()
    assert (bad.reminder_claimed_at, bad.reminded_at) == (None, None)
