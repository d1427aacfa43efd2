"""The channels dashboard in Debian's Chromium: staff see the evolution drawn by Chart.js; a
partner user sees their channel and "not found" for another's."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from channels.models import Channel, Partner, PartnerMembership
from tests.channels.factories import channel_document, import_channels, views, write_tsv
from tests.dashboards.test_browser import DRAWN
from tests.support.browser import log_in
from tests.support.users import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_staff_see_the_evolution_and_a_partner_only_their_channel(page, alice, tmp_path):
    today = timezone.localdate()
    import_channels(
        tmp_path,
        [
            channel_document(name="UiT in Aalst", city="Aalst", pages=("a",)),
            channel_document(name="UiT in Ninove", city="Ninove", pages=("b",)),
        ],
        today - datetime.timedelta(days=90),
    )
    lines = views("a", today - datetime.timedelta(days=2), 5) + views("b", today, 3)
    call_command("import_widget_events", str(write_tsv(tmp_path, lines)))
    PartnerMembership.objects.create(
        user=make_user("erik"), partner=Partner.objects.get(municipality="Aalst")
    )

    log_in(page, "alice", PASSWORD)
    page.goto("/channels/")
    page.wait_for_url("**/channels/staff/")
    page.wait_for_function(DRAWN)
    assert page.locator("canvas[data-chart]").count() >= 7
    assert page.locator("#table-alive tbody tr").first.locator("td").last.text_content() == "2"
    page.get_by_role("link", name="Alle kanalen").click()
    assert page.locator("#channel-table tbody tr").count() == 2

    page.context.clear_cookies()
    log_in(page, "erik", PASSWORD)
    page.goto("/channels/")
    page.wait_for_url(f"**/channels/{Channel.objects.get(name='UiT in Aalst').pk}/")
    page.wait_for_function(DRAWN)
    other = Channel.objects.get(name="UiT in Ninove")
    response = page.goto(f"/channels/{other.pk}/")
    assert response.status == 404
