"""Real processes for the drills: a throwaway Redis or PostgreSQL cluster, gunicorn, a Celery
worker with its beat; each started on a free loopback port and stopped (killed if need be)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def brokerless_sqlite_desk(directory: Path) -> dict:
    """The environment of a desk on a fresh, migrated SQLite file in `directory` with no broker
    configured (tasks run in the process that sends them), as `make run` serves it."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{directory / 'desk.sqlite3'}",
        "DJANGO_DEBUG": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True)
    return env


def wait_until(check, *, timeout: float, every: float = 0.2, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def shared_database_url() -> str:
    """The test database, for the processes the drill starts."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL"}}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="drill-" + "k" * 50,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


def stop(process: subprocess.Popen, *, timeout: float = 20) -> None:
    """SIGTERM to the process group, SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        kill(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the whole process group: the worker and its pool children die at once."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        args,
        env=env,
        cwd=settings.BASE_DIR,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


class Redis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = spawn(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            os.environ.copy(),
            self.workdir / "redis.log",
        )
        wait_until(self.answers, timeout=20, what="redis")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


class PostgresCluster:
    """A throwaway cluster the drill may stop and start (initdb as the postgres user if root)."""

    def __init__(self) -> None:
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        found = str(initdb[-1]) if initdb else shutil.which("initdb")
        assert found, "PostgreSQL's initdb is not installed"
        self.bin = Path(found).parent
        self.port = free_port()
        # Its own directory under /tmp that the postgres user can reach (pytest's are 0700).
        self.workdir = Path(tempfile.mkdtemp(prefix="factdesk-drill-pg-"))
        self.workdir.chmod(0o755)
        self.data = self.workdir / "pg"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/drill"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")

    def init(self) -> None:
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    def remove(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.data / "server.log"),
            "-o",
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "drill")

    def load_from(self, database_url: str) -> None:
        """A copy of a migrated database (pg_dump | pg_restore: seconds, where migrate is a minute)."""
        dump = subprocess.Popen(
            ["pg_dump", "--format=custom", "--no-owner", "--dbname", database_url],
            stdout=subprocess.PIPE,
        )
        restored = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", self.url],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
            timeout=300,
        )
        dump.wait(timeout=60)
        if dump.returncode or restored.returncode:
            raise RuntimeError(f"copying the database failed: {restored.stderr}")


@contextmanager
def gunicorn(
    env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4
) -> Iterator[str]:
    port = free_port()
    process = spawn(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "factdesk.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        env,
        log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base), timeout=180, what="gunicorn")
        yield base
    finally:
        stop(process)


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/healthz", timeout=10).close()
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def worker(env: dict[str, str], log: Path, *, beat: bool = True) -> subprocess.Popen:
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "factdesk",
        "worker",
        "--pool=prefork",
        "--concurrency=2",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if beat:
        args += ["-B", "-s", str(log.parent / "beat-schedule")]
    return spawn(args, env, log)


def call(base: str, method: str, path: str, token: str, body: dict | None = None, timeout=30):
    """(status, headers, parsed JSON or raw text) for one request; (-1, {}, error) if none."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, dict(error.headers), error.read()
    except OSError as error:
        return -1, {}, repr(error)
    try:
        return status, headers, json.loads(raw) if raw else None
    except ValueError:
        return status, headers, raw.decode(errors="replace")[:300]


def article(number: int) -> str:
    """A short article of our own, different for every number."""
    return (
        f"The harbour board of district {number} said on Monday that {1000 + 37 * number:,} "
        f"containers were handled in March, up {number % 17 + 2} percent on a year earlier.\n\n"
        f'"We expect a second crane to raise capacity by {number % 40 + 10} percent by 2028," '
        f"said harbour master Dana Petrov{number}.\n\n"
        f"According to the regional statistics office, {number % 9 + 1} ships waited more "
        "than two days for a berth."
    )
