import threading

import pytest
from django.db import connection

from surveys.models import Answer, Response
from surveys.services.responses import SurveyClosed, response_submit
from tests.surveys.factories import invitation_with_link, survey_with_every_kind


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_store_one_response():
    survey = survey_with_every_kind()
    invitation, _token = invitation_with_link(campaign__survey=survey)
    nps = survey.questions.get(kind="nps")
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(score):
        try:
            barrier.wait()
            response_submit(invitation=invitation, answers={nps.pk: score})
            outcomes.append("stored")
        except SurveyClosed as closed:
            outcomes.append(closed.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(score,)) for score in (3, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["answered", "stored"]
    assert Response.objects.count() == 1 and Answer.objects.count() == 1
