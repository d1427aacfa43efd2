"""A schedule that cannot do anything until configured is created disabled, saying why."""

from django_celery_beat.models import PeriodicTask

from core.schedules import sync_default_schedules

IMPORT = "Evenementen importeren uit UiTdatabank"  # created in the site's language (nl)


def test_the_nightly_import_is_created_disabled_while_its_url_is_empty(db, settings):
    settings.UITDATABANK_SEARCH_URL = ""
    PeriodicTask.objects.filter(task="events.import_from_search_api").delete()
    assert IMPORT in sync_default_schedules()
    task = PeriodicTask.objects.get(name=IMPORT)
    assert task.enabled is False
    assert task.description.startswith(
        "Uitgeschakeld aangemaakt: UITDATABANK_SEARCH_URL is niet ingesteld."
    )
    # The schedules that need nothing are on.
    assert PeriodicTask.objects.get(task="core.clear_expired_sessions").enabled is True


def test_the_nightly_import_is_created_enabled_once_its_url_is_set(db, settings):
    settings.UITDATABANK_SEARCH_URL = "https://search.example.be/events/?q=*"
    PeriodicTask.objects.filter(task="events.import_from_search_api").delete()
    sync_default_schedules()
    task = PeriodicTask.objects.get(name=IMPORT)
    assert task.enabled is True and "Uitgeschakeld" not in task.description


def test_migrating_without_the_url_leaves_the_import_disabled(db):
    # The test database was migrated with nothing configured, as a fresh install is.
    assert PeriodicTask.objects.get(name=IMPORT).enabled is False


def test_a_schedule_renamed_by_an_administrator_is_not_created_again(db):
    # Existing installs have these rows under their English names: the task is the key.
    PeriodicTask.objects.filter(name=IMPORT).update(name="Import events from UiTdatabank")
    assert sync_default_schedules() == []
    assert PeriodicTask.objects.filter(task="events.import_from_search_api").count() == 1
