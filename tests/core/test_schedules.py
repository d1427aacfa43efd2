"""A schedule that cannot do anything until configured is created disabled, saying why."""

from django_celery_beat.models import PeriodicTask

from core.schedules import sync_default_schedules

IMPORT = "Import events from UiTdatabank"


def test_the_nightly_import_is_created_disabled_while_its_url_is_empty(db, settings):
    settings.UITDATABANK_SEARCH_URL = ""
    PeriodicTask.objects.filter(name=IMPORT).delete()
    assert IMPORT in sync_default_schedules()
    task = PeriodicTask.objects.get(name=IMPORT)
    assert task.enabled is False
    assert task.description.startswith("Created disabled: UITDATABANK_SEARCH_URL is not set.")
    # The schedules that need nothing are on.
    assert PeriodicTask.objects.get(name="Clear expired sessions").enabled is True


def test_the_nightly_import_is_created_enabled_once_its_url_is_set(db, settings):
    settings.UITDATABANK_SEARCH_URL = "https://search.example.be/events/?q=*"
    PeriodicTask.objects.filter(name=IMPORT).delete()
    sync_default_schedules()
    task = PeriodicTask.objects.get(name=IMPORT)
    assert task.enabled is True and "Created disabled" not in task.description


def test_migrating_without_the_url_leaves_the_import_disabled(db):
    # The test database was migrated with nothing configured, as a fresh install is.
    assert PeriodicTask.objects.get(name=IMPORT).enabled is False
