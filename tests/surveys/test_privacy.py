from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from museumpas.models import Holder
from surveys.models import Answer, Invitation, Response
from surveys.services.responses import response_submit
from tests.museumpas.factories import PassFactory
from tests.surveys.factories import invitation_with_link, survey_with_every_kind

pytestmark = pytest.mark.django_db


def test_erasing_a_holder_keeps_their_answers_anonymous_and_the_figures_intact():
    survey = survey_with_every_kind()
    invitation, _token = invitation_with_link(campaign__survey=survey)
    holder = invitation.holder
    PassFactory(holder=holder)
    nps = survey.questions.get(kind="nps")
    response = response_submit(invitation=invitation, answers={nps.pk: 9})
    before = (Response.objects.count(), Invitation.objects.count(), holder.visits.count())

    out = StringIO()
    call_command("erase_holder", holder.external_id, stdout=out)
    assert "1 responses kept without identity" in out.getvalue()

    holder.refresh_from_db()
    assert holder.email == "" and holder.postcode == "" and holder.erased_at is not None
    assert holder.external_id.startswith("erased-")
    assert holder.passes.get().card_number == ""
    # what the aggregates need stays
    assert (holder.language, holder.region, holder.birth_year) == ("nl", "flanders", 1980)
    response.refresh_from_db()
    assert response.invitation is None and response.museum == invitation.museum
    assert Answer.objects.get(response=response).number == 9
    assert (Response.objects.count(), Invitation.objects.count(), holder.visits.count()) == before
    assert Invitation.objects.get().token_hash is None
    with pytest.raises(CommandError, match="no pass holder"):
        call_command("erase_holder", "not-there", stdout=StringIO())
    assert Holder.objects.filter(erased_at=None).count() == 0


def test_survey_managers_see_responses_without_the_link_to_the_holder(client, sofie):
    from core.models import User

    survey = survey_with_every_kind()
    invitation, _token = invitation_with_link(campaign__survey=survey)
    response = response_submit(
        invitation=invitation, answers={survey.questions.get(kind="nps").pk: 7}
    )
    url = f"/admin/surveys/response/{response.pk}/change/"
    client.force_login(sofie)
    page = client.get(url).content.decode()
    assert page and f"/admin/surveys/invitation/{invitation.pk}/" not in page
    assert client.get("/admin/museumpas/holder/").status_code == 403
    admin = User.objects.create_superuser("root", "root@example.be", "x")
    client.force_login(admin)
    assert f"/admin/surveys/invitation/{invitation.pk}/" in client.get(url).content.decode()
