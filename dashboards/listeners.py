"""Listeners of museumpas' and surveys' hooks: they queue a refresh of the summaries and
nothing else (the hooks fire after the commit; a failure here loses nothing that the nightly
rebuild does not redo). After visits and sales, not when a queued refresh covers them
(dashboards.services.pending)."""

import datetime


def _encoded(museum_days) -> list[list]:
    return sorted([museum_id, day.isoformat()] for museum_id, day in museum_days)


def on_visits_or_passes_stored(*, museum_days: set[tuple[int, datetime.date]]) -> None:
    from dashboards.services.pending import refresh_days_queue
    from dashboards.tasks import refresh_days

    refresh_days_queue(museum_days, queue=lambda days: refresh_days.delay(_encoded(days)))


def on_responses_stored(*, response_ids: list[int]) -> None:
    from dashboards.tasks import refresh_responses

    if response_ids:
        refresh_responses.delay(list(response_ids))


def on_invitations_sent(*, invitation_ids: list[int]) -> None:
    from dashboards.tasks import refresh_invitations

    if invitation_ids:
        refresh_invitations.delay(list(invitation_ids))


def register() -> None:
    from museumpas.hooks import passes_stored, visits_stored
    from surveys.hooks import invitations_sent, responses_stored

    visits_stored.register(on_visits_or_passes_stored)
    passes_stored.register(on_visits_or_passes_stored)
    responses_stored.register(on_responses_stored)
    invitations_sent.register(on_invitations_sent)
