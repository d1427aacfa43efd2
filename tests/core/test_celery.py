import pytest

from core.tasks import ping
from publiq_backoffice.celery import app


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
