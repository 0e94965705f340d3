"""Load: N concurrent clients for a fixed time against gunicorn, per endpoint.

Tops the configured database up with bench_queue's synthetic claims (marked `bench`), starts
gunicorn on loopback against it (or uses `--base`), and drives, one endpoint at a time for
`--seconds` each, GET /api/v1/queue/, POST /api/v1/queue/claim-next/ and POST
/api/v1/documents/ from `--clients` threads with keep-alive connections. Prints one JSON line per
endpoint and client count: {"endpoint", "clients", "rps", "p50_ms", "p95_ms", "errors", ...}.
Errors are answers other than 2xx, and failed connections. What it added is removed after.
Use a staging database: it writes to the one configured.
"""

import http.client
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from rest_framework.authtoken.models import Token

from claims.models import Document
from factdesk import roles
from reviews import services
from reviews.management.commands.bench_queue import Command as QueueBench
from reviews.models import Review

BENCH_TITLE = "bench_load article"
ENDPOINTS = ("queue", "claim_next", "document_post")


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients", type=int, nargs="+", default=[8, 32], help="one run per count"
        )
        parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint and count")
        parser.add_argument("--claims", type=int, default=20_000, help="synthetic claims queued")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument(
            "--worker-class",
            choices=("sync", "gthread"),
            default="sync",
            help="sync (the deployment's: a busy worker takes no new connection) or gthread",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
        parser.add_argument("--base", default="", help="an already running server to drive")
        parser.add_argument("--endpoints", nargs="+", choices=ENDPOINTS, default=list(ENDPOINTS))

    def handle(
        self, *args, clients, seconds, claims, workers, worker_class, threads, base, endpoints, **o
    ):
        logging.getLogger("django.request").setLevel(logging.ERROR)
        # Stopped with SIGTERM, still stop gunicorn and remove what was added.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        if connection.vendor != "postgresql" and not base:
            self.stderr.write("note: not PostgreSQL; figures for the README are measured on it")
        QueueBench()._fill(target=claims, batch=5_000, rng=random.Random(7))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        reviewer_tokens = [self._token(f"bench-load-{i}", roles.REVIEWER_GROUP) for i in range(64)]
        client_token = self._token("bench-load-client", roles.API_CLIENT_GROUP)
        if worker_class == "sync":
            threads = 1
        server = (
            None if base else _Gunicorn(workers=workers, worker_class=worker_class, threads=threads)
        )
        try:
            if server is not None:
                base = server.start()
            for endpoint in endpoints:  # warm every worker and connection, not measured
                _drive(
                    base=base,
                    endpoint=endpoint,
                    clients=max(clients),
                    seconds=min(3.0, seconds),
                    reviewer_tokens=reviewer_tokens,
                    client_token=client_token,
                )
            self._release()
            for count in clients:
                for endpoint in endpoints:
                    result = _drive(
                        base=base,
                        endpoint=endpoint,
                        clients=count,
                        seconds=seconds,
                        reviewer_tokens=reviewer_tokens,
                        client_token=client_token,
                    )
                    load = os.getloadavg()
                    line = {
                        "endpoint": endpoint,
                        **result,
                        "database": connection.vendor,
                        "server": f"gunicorn {worker_class} {workers}x{threads}"
                        if server
                        else base,
                        "load_average": [round(x, 2) for x in load],
                    }
                    self.stdout.write(json.dumps(line))
                    self._release()
        finally:
            if server is not None:
                server.stop()
            self._release()
            Document.objects.filter(title__startswith=BENCH_TITLE).delete()

    def _token(self, username: str, group: str) -> str:
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        return Token.objects.get_or_create(user=user)[0].key

    def _release(self) -> None:
        """Puts what claim-next handed out back in the queue, so every run starts alike."""
        held = Review.objects.filter(
            assignee__username__startswith="bench-load-", state=Review.State.IN_REVIEW
        ).select_related("assignee")
        for review in held:
            services.review_release(
                review_id=review.pk, actor=review.assignee, version=review.version
            )


def _drive(
    *,
    base: str,
    endpoint: str,
    clients: int,
    seconds: float,
    reviewer_tokens: list[str],
    client_token: str,
) -> dict:
    parts = urlsplit(base)
    timings: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    statuses: set[int] = set()
    numbers = iter(range(10**9))
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def request_for(index: int) -> tuple[str, str, bytes | None, str]:
        if endpoint == "queue":
            return "GET", "/api/v1/queue/", None, reviewer_tokens[index % len(reviewer_tokens)]
        if endpoint == "claim_next":
            token = reviewer_tokens[index % len(reviewer_tokens)]
            return "POST", "/api/v1/queue/claim-next/", None, token
        with lock:
            n = next(numbers)
        body = {
            "title": f"{BENCH_TITLE} {n} {time.time_ns()}",
            "text": f"Bench desk {n}: the council said {n % 900 + 100} buses ran on {time.time_ns()}.",
        }
        return "POST", "/api/v1/documents/", json.dumps(body).encode(), client_token

    def run(index: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        start.wait()
        while time.monotonic() < deadline[0]:
            method, path, body, token = request_for(index)
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = -1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            timings[index].append((time.perf_counter() - began) * 1000)
            statuses.add(status)
            if not 200 <= status < 300:
                errors[index] += 1
        conn.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(t for per_client in timings for t in per_client)
    if not every:
        raise CommandError(f"no request to {endpoint} completed")
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "rps": round(len(every) / elapsed, 1),
        "p50_ms": round(every[len(every) // 2], 1),
        "p95_ms": round(every[min(len(every) - 1, int(0.95 * len(every)))], 1),
        "errors": sum(errors),
        "statuses": sorted(statuses),
    }


class _Gunicorn:
    """gunicorn on a free loopback port, with this process's settings and database."""

    def __init__(self, *, workers: int, worker_class: str, threads: int) -> None:
        self.workers = workers
        self.worker_class = worker_class
        self.threads = threads
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "DJANGO_LOG_LEVEL": "WARNING"}
        # Every bench client is one reviewer taking claims without submitting them: the hold
        # limit would answer 409 from the fourth claim-next on and measure nothing.
        env.setdefault("FACTDESK_MAX_HELD_REVIEWS", "1000000")
        if not settings.DEBUG:
            env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "factdesk.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--worker-class",
                self.worker_class,
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                if self.process.poll() is not None:
                    raise CommandError("gunicorn exited at start") from None
                time.sleep(0.3)
        raise CommandError("gunicorn did not start")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
