import asyncio
import datetime

import pytest
from django.utils import timezone

from tests.museumpas.factories import VisitFactory
from tests.support.smtp import SmtpServer, _Handler
from tests.surveys.factories import CampaignFactory, invitation_with_link, survey_with_every_kind


@pytest.fixture
def link():
    """A sent invitation for a survey with every kind of question, and its path."""
    survey = survey_with_every_kind()
    visit = VisitFactory(visited_at=timezone.make_aware(datetime.datetime(2026, 3, 14, 11, 0)))
    invitation, token = invitation_with_link(campaign=CampaignFactory(survey=survey), visit=visit)
    return invitation, f"/s/{token}/"


class _HoldingHandler(_Handler):
    async def handle_DATA(self, smtp, session, envelope):
        # A held message is neither accepted nor refused: its sender waits, as with a slow
        # server. Once released it is refused, so a sender killed meanwhile delivered nothing.
        if self.server.should_hold():
            self.server.held += 1
            while self.server.should_hold():
                await asyncio.sleep(0.02)
            return "421 4.3.0 Held and dropped"
        return await super().handle_DATA(smtp, session, envelope)


class HoldingSmtpServer(SmtpServer):
    """The test SMTP server, plus `hold_after(n)`: once n messages are accepted, the next ones
    wait until `release()`."""

    def __init__(self):
        super().__init__()
        self.hold_at: int | None = None
        self.held = 0
        self._controller.handler = _HoldingHandler(self)

    def should_hold(self) -> bool:
        return self.hold_at is not None and len(self.messages) >= self.hold_at

    def hold_after(self, count: int) -> None:
        self.hold_at = count

    def release(self) -> None:
        self.hold_at = None


@pytest.fixture
def holding_smtp_server():
    server = HoldingSmtpServer()
    server.start()
    yield server
    server.stop()
