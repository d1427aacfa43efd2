from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from django_celery_beat.models import PeriodicTask

from core.schedules import default_schedules, sync_default_schedules


def test_every_model_change_has_its_migration(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_default_schedules_exist_after_migrating_with_a_task_behind_each(db):
    from publiq_backoffice.celery import app

    app.loader.import_default_modules()
    names = dict(PeriodicTask.objects.values_list("task", "name"))
    for job in default_schedules():
        with translation.override("nl"):
            assert names[job.task] == str(job.name)
        assert job.task in app.tasks, f"{job.name}: no task named {job.task}"


def test_an_administrators_change_to_a_schedule_is_kept(db):
    job = default_schedules()[0]
    PeriodicTask.objects.filter(task=job.task).update(enabled=False)

    assert sync_default_schedules() == []
    assert PeriodicTask.objects.get(task=job.task).enabled is False


def test_seed_demo_can_run_twice_and_adds_nothing_the_second_time(db):
    """Every app's demo at once (the apps' own demo tests run it once)."""
    call_command("seed_demo", stdout=StringIO())
    counts = _row_counts()
    assert counts["core.User"] and counts["channels.Channel"] and counts["uitpas.Passholder"]
    out = StringIO()
    call_command("seed_demo", stdout=out)
    again = _row_counts()
    # The audit trail records each run's event import and queue build; nothing else grows.
    assert again.pop("core.AuditEntry") > counts.pop("core.AuditEntry")
    assert again == counts
    assert "alice" in out.getvalue() and "alice-demo-2026" in out.getvalue()


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_starting_a_process_loads_no_scikit_learn():
    """Only training needs it: every web, worker and command process would pay 1 s and 70 MB."""
    import os
    import subprocess
    import sys

    code = "import sys, django; django.setup(); print('sklearn' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "publiq_backoffice.settings"}
    found = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "False"
