import datetime

import pytest
from django.core.management import call_command

from channels.models import Channel, Partner, PartnerMembership
from tests.channels.factories import channel_document, import_channels, views, write_tsv
from tests.support.users import make_user

DAY = datetime.date(2026, 3, 2)
# Partner B's channel's figures: numbers that appear nowhere else, so a leak of any shows.
B_VIEWS = 4817
B_NUMBERS = ("4817", "4.817", "Secret B page")


@pytest.fixture
def two_partners(db, tmp_path):
    """Partner A (Aalst) with one channel, partner B (Ninove) with one busy channel."""
    import_channels(
        tmp_path,
        [
            channel_document(name="UiT in Aalst", city="Aalst", pages=("page-a",)),
            channel_document(name="UiT in Ninove", city="Ninove", pages=("page-b",)),
        ],
        datetime.date(2026, 1, 1),
    )
    lines = views("page-a", DAY, 3) + views("page-b", DAY, B_VIEWS)
    call_command("import_widget_events", str(write_tsv(tmp_path, lines)))
    Channel.objects.get(name="UiT in Ninove").pages.update(title="Secret B page")
    return Channel.objects.get(name="UiT in Aalst"), Channel.objects.get(name="UiT in Ninove")


@pytest.fixture
def erik_a(db, two_partners):
    """Erik works for partner A (Aalst)."""
    user = make_user("erik")
    PartnerMembership.objects.create(user=user, partner=Partner.objects.get(municipality="Aalst"))
    return user


@pytest.fixture
def fien_b(db, two_partners):
    user = make_user("fien")
    PartnerMembership.objects.create(user=user, partner=Partner.objects.get(municipality="Ninove"))
    return user
