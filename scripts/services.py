#!/usr/bin/env python3
"""Throwaway PostgreSQL and Redis servers on free loopback ports, for tests and benchmarks, and
the PostgreSQL cluster `make run` keeps between runs.

    python scripts/services.py run [--durable] -- COMMAND...  start, run COMMAND, always stop
    python scripts/services.py start DIR [--durable]           start, leave running, write DIR/env
    python scripts/services.py stop DIR                        stop what `start DIR` started
    python scripts/services.py dev DIR -- COMMAND...
        the development cluster in DIR (made once, kept): start it on 127.0.0.1 port
        $DEV_POSTGRES_PORT (default 54329, as in settings.py), make the database if missing,
        run COMMAND, always stop

`run` and `start` give the command DATABASE_URL, CELERY_BROKER_URL, CELERY_RESULT_BACKEND,
CACHE_URL and REDIS_URL; `dev` gives it DATABASE_URL.
--durable keeps PostgreSQL's crash safety on and sizes its memory for benchmarks; without it the
cluster trades durability for speed, which a throwaway test cluster can afford.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
BENCH = {
    "shared_buffers": "4GB",
    "effective_cache_size": "16GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "15min",
}
COMMON = {"max_connections": "200", "listen_addresses": "127.0.0.1", "unix_socket_directories": ""}


def fail(message: str) -> None:
    print(f"services: {message}", file=sys.stderr)
    sys.exit(2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    if not found:
        fail(f"{name} not found: install Debian's PostgreSQL server (apt-get install postgresql).")
    return found


def as_cluster_owner(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; root runs it as the Debian 'postgres' user."""
    if os.geteuid() != 0:
        return command
    return [_runuser(), "-u", "postgres", "--", *command]


def _runuser() -> str:
    """runuser lives in /usr/sbin, which a root shell's PATH does not always hold."""
    found = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if not found:
        fail("runuser not found: install Debian's util-linux to run PostgreSQL as 'postgres'.")
    return found


def init_cluster(data: Path, options: dict[str, str]) -> None:
    data.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        if subprocess.run(as_cluster_owner(["test", "-w", str(data)]), check=False).returncode:
            fail(f"the postgres user cannot reach {data}: make its parents searchable (chmod o+x).")
    subprocess.run(
        as_cluster_owner(
            [
                postgres_binary("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with open(data / "postgresql.conf", "a") as conf:
        conf.writelines(f"{key} = '{value}'\n" for key, value in options.items())


def start_cluster(data: Path, port: int) -> None:
    log = data / "server.log"
    started = subprocess.run(
        as_cluster_owner(
            [
                postgres_binary("pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                f"-p {port}",
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=False,
        stdout=subprocess.DEVNULL,
    )
    if started.returncode:
        fail(f"PostgreSQL did not start on port {port} (is the port taken?); see {log}")


def create_database(port: int, name: str = "backoffice") -> str:
    psql = [shutil.which("psql") or "psql", "-qAt", "-h", "127.0.0.1", "-p", str(port)]
    psql += ["-U", "postgres", "-c"]
    found = subprocess.run(
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    )
    if not found.stdout.strip():
        subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def start_postgres(base: Path, durable: bool) -> tuple[str, Path]:
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    data = base / "pg"
    port = free_port()
    init_cluster(data, {**COMMON, **(BENCH if durable else FAST)})
    start_cluster(data, port)
    return create_database(port), data


def stop_postgres(data: Path) -> None:
    if (data / "postmaster.pid").exists():
        subprocess.run(
            as_cluster_owner(
                [postgres_binary("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
            ),
            stdout=subprocess.DEVNULL,
            check=False,
        )


def start_redis(base: Path) -> tuple[str, int]:
    binary = shutil.which("redis-server")
    if not binary:
        fail(
            "redis-server not found: install Debian's redis-server (apt-get install redis-server)."
        )
    port = free_port()
    log = open(base / "redis.log", "w")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(base),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return f"redis://127.0.0.1:{port}", process.pid
        except OSError:
            time.sleep(0.1)
    fail(f"redis-server did not answer on port {port}; see {base / 'redis.log'}")


def environment(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": f"{redis_url}/0",
        "CACHE_URL": f"{redis_url}/1",
        "CELERY_RESULT_BACKEND": f"{redis_url}/2",
    }


def start(base: Path, durable: bool) -> dict[str, str]:
    database_url, _ = start_postgres(base, durable)
    redis_url, redis_pid = start_redis(base)
    (base / "redis.pid").write_text(str(redis_pid))
    env = environment(database_url, redis_url)
    (base / "env").write_text("".join(f"export {key}={value}\n" for key, value in env.items()))
    return env


def stop(base: Path) -> None:
    stop_postgres(base / "pg")
    pid_file = base / "redis.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


def run(command: list[str], durable: bool) -> int:
    base = Path(tempfile.mkdtemp(prefix="backoffice-services-"))
    os.chmod(base, 0o755)
    # A SIGTERM (CI timeout, Ctrl-C in make) must still stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        env = start(base, durable)
        print(f"services: PostgreSQL {env['DATABASE_URL']}, Redis {env['REDIS_URL']}", flush=True)
        return subprocess.run(command, env={**os.environ, **env}, check=False).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        stop(base)
        shutil.rmtree(base, ignore_errors=True)


def dev(data: Path, port: int, command: list[str]) -> int:
    """Keeps the cluster's data between runs; the server runs only as long as COMMAND."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop the server
    try:
        if not (data / "PG_VERSION").exists():
            # Crash-safe, unlike a test cluster: only the last commits of a crash are lost.
            init_cluster(data, {**COMMON, "synchronous_commit": "off"})
        stop_postgres(data)  # a server left behind by a run that was killed
        start_cluster(data, port)
        database_url = create_database(port)
        print(f"services: PostgreSQL {database_url}, data in {data}", flush=True)
        return _wait_forwarding_signals(
            subprocess.Popen(command, env={**os.environ, "DATABASE_URL": database_url})
        )
    except KeyboardInterrupt:
        return 130
    finally:
        stop_postgres(data)


def _wait_forwarding_signals(process: subprocess.Popen) -> int:
    """Ctrl-C reaches the command (honcho) through the terminal's process group; a signal sent to
    this process alone is passed on. Either way the command stops its processes before this one
    stops PostgreSQL under them."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, _frame: process.send_signal(signum))
    return process.wait()


def _dev_port() -> int:
    value = os.environ.get("DEV_POSTGRES_PORT") or "54329"
    try:
        port = int(value)
    except ValueError:
        fail(f"DEV_POSTGRES_PORT={value!r} is not a whole number.")
    if not 1 <= port <= 65535:
        fail(f"DEV_POSTGRES_PORT={port} is not a port (1 to 65535).")
    return port


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="action", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--durable", action="store_true")
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    start_parser = sub.add_parser("start")
    start_parser.add_argument("dir", type=Path)
    start_parser.add_argument("--durable", action="store_true")
    stop_parser = sub.add_parser("stop")
    stop_parser.add_argument("dir", type=Path)
    dev_parser = sub.add_parser("dev")
    dev_parser.add_argument("dir", type=Path)
    dev_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()

    if args.action == "run":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not command:
            fail("run needs a command after --")
        return run(command, args.durable)
    if args.action == "dev":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        if not command:
            fail("dev needs a command after --")
        return dev(args.dir.resolve(), _dev_port(), command)
    if args.action == "start":
        args.dir.mkdir(parents=True, exist_ok=False)
        os.chmod(args.dir, 0o755)
        env = start(args.dir.resolve(), args.durable)
        print(
            f"services: started; `source {args.dir}/env` to use them, then "
            f"`python scripts/services.py stop {args.dir}`"
        )
        print("\n".join(f"{key}={value}" for key, value in env.items()))
        return 0
    stop(args.dir.resolve())
    shutil.rmtree(args.dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
