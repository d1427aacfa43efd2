import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

from publiq_backoffice.celery import app


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class WorkerProcess:
    """A `celery worker` subprocess bound to the test database and broker."""

    def __init__(self, *, log_dir: Path, extra_env: dict[str, str], concurrency: int = 2):
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = log_dir / f"{self.name}.log"
        self.extra_env = extra_env
        self.concurrency = concurrency
        self.flush_broker_if_first = True
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> None:
        if self.flush_broker_if_first:
            # Messages queued by earlier tests (which ran without a worker) must not run here.
            redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
            self.flush_broker_if_first = False
        env = {**os.environ, "DATABASE_URL": _test_database_url(), **self.extra_env}
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "publiq_backoffice",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={self.concurrency}",
            "-n",
            self.name,
            "--without-gossip",
            "--without-mingle",
        ]
        log = open(self.log_path, "a")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_until_ready(timeout)

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            if app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group: no warm shutdown, no acknowledgement."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
