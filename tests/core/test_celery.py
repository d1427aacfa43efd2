import os
import subprocess
import sys

import pytest

from core.tasks import ping
from publiq_backoffice.celery import app

SETTINGS = "publiq_backoffice.settings"


def test_the_celery_settings_keep_delivery_safe():
    conf = app.conf
    assert conf.task_acks_late is False
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_time_limit < conf.broker_transport_options["visibility_timeout"]
    assert conf.worker_prefetch_multiplier == 1
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.worker
def test_a_task_round_trips_through_a_real_worker_on_redis(celery_worker_process):
    celery_worker_process()
    result = ping.delay("ping from the test")
    assert result.get(timeout=30) == "ping from the test"


def test_the_file_system_broker_makes_its_folders_when_a_task_is_queued(tmp_path):
    # `import_events` outside `make run` (no var/celery/ yet) must still queue its tasks.
    environment = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": SETTINGS}
    environment.pop("CELERY_BROKER_URL", None)
    script = "import django; django.setup(); from core.tasks import ping; ping.delay('hello')"

    finished = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60
    )

    assert finished.returncode == 0, finished.stderr
    assert len(list((tmp_path / "celery" / "queue").glob("*.msg"))) == 1
