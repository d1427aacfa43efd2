"""The cache the dashboards' pending refreshes need (dashboards.services.pending)."""

from django.core.checks import run_checks
from django.test import override_settings

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
FILE = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": "/tmp/checks-cache",
    }
}


def warnings_of_dashboards():
    return [message.id for message in run_checks() if message.id.startswith("dashboards.")]


@override_settings(CACHES=LOCMEM, CELERY_TASK_ALWAYS_EAGER=False)
def test_a_cache_of_each_process_is_reported():
    assert warnings_of_dashboards() == ["dashboards.W001"]


@override_settings(CACHES=LOCMEM, CELERY_TASK_ALWAYS_EAGER=True)
def test_a_process_cache_is_fine_when_tasks_run_in_the_process():
    assert warnings_of_dashboards() == []


@override_settings(CACHES=FILE, CELERY_TASK_ALWAYS_EAGER=False)
def test_a_cache_shared_by_the_processes_is_fine():
    assert warnings_of_dashboards() == []
