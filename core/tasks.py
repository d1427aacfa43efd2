from celery import shared_task


@shared_task(name="core.ping")
def ping(payload: str = "pong") -> str:
    """Round trip for health checks and tests: proves a worker consumes from the broker."""
    return payload


@shared_task(name="core.clear_expired_sessions")
def clear_expired_sessions() -> None:
    from django.core.management import call_command

    call_command("clearsessions")
