"""System checks of the dashboards app."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def cache_shared_with_workers(app_configs, **kwargs):
    """The marks of pending refreshes (dashboards.services.pending) are set by web processes
    and cleared by workers: in a cache of each process's own, a worker never clears a web
    process's mark, and that process queues no refresh of the museum's month for 15 minutes."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(".LocMemCache") and not settings.CELERY_TASK_ALWAYS_EAGER:
        return [
            Warning(
                "The cache is each process's own (locmem): dashboards would hold back the "
                "refreshes queued after visits and sales.",
                hint="Set CACHE_URL to a Redis database shared by web processes and workers.",
                id="dashboards.W001",
            )
        ]
    return []
