from celery import shared_task


@shared_task(name="curation.build_queues")
def build_queues() -> str:
    """The nightly build of every active review queue: `python manage.py build_queues`."""
    from curation.services.queues import queues_build

    return "\n".join(result.line() for result in queues_build())


@shared_task(name="curation.build_queues_for_events", acks_late=True)
def build_queues_for_events(event_ids: list[int]) -> str:
    """After an import batch: the batch's events into (or out of) the queues. Idempotent."""
    from curation.services.queues import queues_build

    return "\n".join(result.line() for result in queues_build(event_ids=event_ids))


@shared_task(
    name="curation.check_event_url",
    bind=True,
    acks_late=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def check_event_url(self, event_id: int) -> str:
    """Check one event's online URL; a host checked too often is tried again a minute later."""
    from curation.services.url_check import HostRateLimited, event_url_check
    from events.models import Event

    event = Event.objects.filter(pk=event_id).only("pk", "online_url").first()
    if event is None or not event.online_url:
        return "no URL to check"
    try:
        check = event_url_check(event=event)
    except HostRateLimited as error:
        raise self.retry(countdown=60, exc=error) from None
    return f"{check.url}: {check.status_code or check.error}"


@shared_task(name="curation.check_urls")
def check_urls(days: int | None = None) -> str:
    """The nightly URL checks: `python manage.py check_urls`."""
    from curation.services.checks import URL_RECHECK_DAYS, urls_to_check

    event_ids = urls_to_check(days=URL_RECHECK_DAYS if days is None else days)
    for event_id in event_ids:
        check_event_url.delay(event_id)
    return f"queued {len(event_ids)} URL checks"
