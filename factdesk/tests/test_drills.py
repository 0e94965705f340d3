"""Drills with real processes, bounded in time: a worker SIGKILLed mid-extraction, Redis stopped
during ingestion, PostgreSQL stopped under requests. They run where CI runs them, with
PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) installed; each starts what it breaks itself."""

import contextlib
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.models import Count

from claims.models import Claim, Document
from conftest import make_user
from factdesk.tests import drillkit
from reviews.models import Review

pytestmark = [
    pytest.mark.drill,
    pytest.mark.broker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="drills need Redis (REDIS_URL)"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="drills need PostgreSQL (DATABASE_URL)"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Short periods so that the drill sees the sweep work; production defaults are in settings.
DRILL_PERIODS = {
    "FACTDESK_SWEEP_SECONDS": "2",
    "FACTDESK_PENDING_SWEEP_SECONDS": "15",
    "FACTDESK_DOCUMENT_TASK_TIME_LIMIT": "40",
}


def _token(username: str, *groups: str) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=make_user(username, *groups)).key


def _assert_extracted_exactly_once(ids: list[int]) -> None:
    statuses = dict(
        Document.objects.filter(pk__in=ids)
        .values_list("extraction_status")
        .annotate(n=Count("id"))
        .values_list("extraction_status", "n")
    )
    assert statuses == {"extracted": len(ids)}, statuses
    twice = (
        Claim.objects.filter(document_id__in=ids)
        .values("document_id", "start", "end")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not twice.exists(), list(twice[:5])
    queued_twice = (
        Review.objects.filter(claim__document_id__in=ids)
        .values("claim_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not queued_twice.exists()
    assert Claim.objects.filter(document_id__in=ids).values(
        "document_id"
    ).distinct().count() == len(ids), "every drill article has claims"


def _post_all(base: str, token: str, numbers: range, *, clients: int = 6) -> list[tuple]:
    def post(number: int):
        return drillkit.call(
            base,
            "POST",
            "/api/v1/documents/",
            token,
            {"title": f"Harbour {number}", "text": drillkit.article(number)},
        )

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(post, numbers))


def test_a_worker_killed_mid_extraction_leaves_nothing_stranded(tmp_path):
    """300 documents; the worker (and its pool) SIGKILLed while extracting, then restarted."""
    redis = drillkit.Redis(tmp_path)
    redis.start()
    token = _token("cms", "api-client")
    env = drillkit.base_env(
        DATABASE_URL=drillkit.shared_database_url(), REDIS_URL=redis.url, **DRILL_PERIODS
    )
    worker = None
    try:
        with drillkit.gunicorn(env, tmp_path / "web.log") as base:
            answers = _post_all(base, token, range(300))
            assert {status for status, _, _ in answers} == {201}, answers[:3]
            ids = [body["id"] for _, _, body in answers]

            worker = drillkit.worker(env, tmp_path / "worker-1.log")
            drillkit.wait_until(
                lambda: (
                    Document.objects.filter(pk__in=ids, extraction_status="extracted").count() >= 20
                    and Document.objects.filter(pk__in=ids, extraction_status="extracting").exists()
                ),
                timeout=300,
                every=0.05,
                what="the worker to be extracting",
            )
            drillkit.kill(worker)
            stranded = Document.objects.filter(pk__in=ids, extraction_status="extracting").count()
            assert stranded >= 1

            worker = drillkit.worker(env, tmp_path / "worker-2.log")
            drillkit.wait_until(
                lambda: (
                    not Document.objects.filter(pk__in=ids)
                    .exclude(extraction_status="extracted")
                    .exists()
                ),
                timeout=300,
                every=1,
                what="every document to be extracted",
            )
    finally:
        if worker is not None:
            drillkit.stop(worker)
        redis.stop()
    _assert_extracted_exactly_once(ids)


def test_redis_stopped_during_ingestion_loses_no_document(tmp_path):
    redis = drillkit.Redis(tmp_path)
    redis.start()
    token = _token("cms", "api-client")
    env = drillkit.base_env(
        DATABASE_URL=drillkit.shared_database_url(), REDIS_URL=redis.url, **DRILL_PERIODS
    )
    worker = drillkit.worker(env, tmp_path / "worker.log")
    try:
        with drillkit.gunicorn(env, tmp_path / "web.log") as base:
            before = _post_all(base, token, range(1000, 1020))
            redis.stop()
            started = time.monotonic()
            during = _post_all(base, token, range(1020, 1040))
            took = time.monotonic() - started
            by_url = drillkit.call(
                base, "POST", "/api/v1/documents/", token, {"url": "https://news.example/x"}
            )
            redis.start()  # the same port: clients reconnect
            after = _post_all(base, token, range(1040, 1060))
            answers = before + during + after
            assert [status for status, _, _ in answers] == [201] * 60, [
                (s, b) for s, _, b in answers if s != 201
            ][:3]
            assert took < 30, f"20 posts with Redis down took {took:.1f}s"
            assert by_url[0] == 202, by_url
            ids = [body["id"] for _, _, body in answers]
            assert Document.objects.filter(pk__in=ids).count() == 60
            drillkit.wait_until(
                lambda: (
                    not Document.objects.filter(pk__in=ids)
                    .exclude(extraction_status="extracted")
                    .exists()
                ),
                timeout=300,
                every=1,
                what="every document to be extracted after Redis came back",
            )
    finally:
        drillkit.stop(worker)
        redis.stop()
    _assert_extracted_exactly_once(ids)


def test_postgresql_stopped_under_requests_gives_json_503s_then_recovers(tmp_path):
    """A cluster of the drill's own, stopped and started under a steady stream of requests."""
    cluster = drillkit.PostgresCluster()
    cluster.init()
    cluster.start()
    try:
        cluster.create_database()
        env = drillkit.base_env(
            DATABASE_URL=cluster.url, REDIS_URL=f"redis://127.0.0.1:{drillkit.free_port()}/0"
        )
        cluster.load_from(drillkit.shared_database_url())  # the migrated test database
        made = drillkit.subprocess.run(
            [*drillkit.MANAGE, "shell", "-c", MAKE_REVIEWER],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        token = made.stdout.split()[-1]
        with drillkit.gunicorn(env, tmp_path / "web.log") as base:
            requests = [
                ("GET", "/api/v1/queue/", None),
                ("GET", "/api/v1/claims/", None),
                ("POST", "/api/v1/documents/", {"text": drillkit.article(7)}),
                ("GET", "/api/v1/claimreviews/", None),
            ]

            def burst(seconds: float) -> list[tuple]:
                seen, end = [], time.monotonic() + seconds
                while time.monotonic() < end:
                    for method, path, body in requests:
                        status, headers, answer = drillkit.call(base, method, path, token, body)
                        seen.append((status, headers, answer, path))
                return seen

            up = burst(2)
            cluster.stop()
            down = burst(4)
            cluster.start()
            drillkit.wait_until(
                lambda: drillkit.call(base, "GET", "/api/v1/claims/", token)[0] == 200,
                timeout=30,
                what="the API to answer again",
            )
            again = burst(2)
    finally:
        with contextlib.suppress(RuntimeError):  # already stopped
            cluster.stop()
        cluster.remove()

    assert {status for status, *_ in up} <= {200, 201}, [(s, p) for s, _, _, p in up][:5]
    assert down, "no requests while PostgreSQL was down"
    for status, headers, answer, path in down:
        assert status == 503, (status, path, answer)
        assert isinstance(answer, dict) and answer["error"] == "unavailable", answer
        assert int(headers.get("Retry-After", "0")) > 0
        assert answer["request_id"] == headers["X-Request-ID"]
    assert {status for status, *_ in again} <= {200, 201}, [(s, p) for s, _, _, p in again][:5]


MAKE_REVIEWER = """
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("drill-reviewer")
user.groups.add(Group.objects.get(name="reviewer"))
print(Token.objects.create(user=user).key)
"""
