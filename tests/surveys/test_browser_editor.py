import re

import pytest

from surveys.models import Campaign
from tests.museumpas.factories import MuseumFactory, VisitFactory
from tests.support.browser import log_in
from tests.support.users import PASSWORD
from tests.surveys.factories import survey_with_every_kind

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_survey_manager_builds_a_campaign_and_sends_a_test_mail(page, sofie, smtp_settings):
    survey = survey_with_every_kind(name="Bezoekersbevraging")
    museum = MuseumFactory(name="Museum aan de Stroom")
    VisitFactory.create_batch(3, museum=museum)  # two days ago
    log_in(page, "sofie", PASSWORD)

    page.goto("/surveys/")
    page.get_by_role("link", name="Nieuwe campagne").click()
    page.fill("#id_name", "Najaar 2026")
    page.select_option("#id_survey", label="Bezoekersbevraging")
    page.fill("#id_visits_from", "2026-01-01")
    page.fill("#id_visits_until", "2027-12-31")
    page.get_by_role("button", name="Campagne bewaren").click()
    page.wait_for_url(re.compile(r"/surveys/editor/campaigns/\d+/$"))
    campaign = Campaign.objects.get(name="Najaar 2026")
    assert campaign.survey == survey and campaign.active is False

    reach = page.get_by_role("region", name="Bereik")
    assert reach.get_by_role("row", name="Museum aan de Stroom 3 3").is_visible()

    page.select_option("#test-language", "fr")
    page.get_by_role("button", name="Stuur een testmail naar sofie@example.be").click()
    page.wait_for_selector("text=Een testmail in het FR is verstuurd naar sofie@example.be.")
    [message] = smtp_settings.wait_for(1)
    assert message["To"] == "sofie@example.be"
    assert "Comment s'est passée votre visite à Museum aan de Stroom" in message["Subject"]

    # The survey as a holder sees it on a phone, in French.
    page.goto(f"/surveys/editor/surveys/{survey.pk}/preview/fr/")
    frame = page.frame_locator("iframe.survey-frame")
    assert frame.locator("h1").inner_text() == survey.title_fr
    assert page.locator("iframe.survey-frame").bounding_box()["width"] == 375
