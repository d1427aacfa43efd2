import pytest

from surveys.hooks import responses_stored
from surveys.services.responses import response_submit
from tests.surveys.factories import invitation_with_link, survey_with_every_kind


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
