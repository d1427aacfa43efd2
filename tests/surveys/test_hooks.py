import pytest

from surveys.hooks import invitations_sent, responses_stored
from surveys.services.responses import response_submit
from surveys.services.sending import invitations_send
from tests.surveys.factories import InvitationFactory, invitation_with_link, survey_with_every_kind


@pytest.mark.django_db
def test_a_stored_response_fires_the_hook_once_committed(django_capture_on_commit_callbacks):
    survey = survey_with_every_kind()
    invitation, _token = invitation_with_link(campaign__survey=survey)
    calls = []

    def listener(**payload):
        calls.append(payload)

    responses_stored.register(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = response_submit(
                invitation=invitation, answers={survey.questions.get(kind="nps").pk: 9}
            )
        assert calls == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        responses_stored.listeners.remove(listener)
    assert calls == [{"response_ids": [response.pk]}]


@pytest.mark.django_db(transaction=True)
def test_sent_invitations_are_announced_after_their_confirmation(smtp_settings, monkeypatch):
    from surveys import tasks

    monkeypatch.setattr(tasks.send_invitations, "apply_async", lambda *args, **kwargs: None)
    sent = InvitationFactory(state="pending", attempts=0, sent_at=None, expires_at=None)
    unsendable = InvitationFactory(
        state="pending", attempts=0, sent_at=None, expires_at=None, visit__holder__email=""
    )
    calls = []

    def listener(**payload):
        calls.append(payload)

    invitations_sent.register(listener)
    try:
        invitations_send(invitation_ids=[sent.pk, unsendable.pk])
    finally:
        invitations_sent.listeners.remove(listener)
    assert calls == [{"invitation_ids": [sent.pk]}]
