"""Fills the configured database with synthetic claims and times the queue through real HTTP."""

import http.client
import json
import logging
import random
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import connection, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone
from rest_framework.authtoken.models import Token

from claims.models import Claim, Document
from factdesk.db import is_prepared, prepared_cursor
from factdesk.roles import REVIEWER_GROUP
from reviews import priority, services
from reviews.models import Review

BENCH_VERSION = "bench"
CLAIMS_PER_DOCUMENT = 5
OUTLETS = [f"Bench Outlet {i}" for i in range(40)]
TYPES = [choice for choice, _ in Claim.ClaimType.choices]


class QueryRecorder:
    """Records the statements run on the connections of one thread, with their parameters."""

    def __init__(self, thread_name_prefix: str) -> None:
        self.thread_name_prefix = thread_name_prefix
        self.statements: list[tuple[str, object, bool, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many, is_prepared(context["cursor"])))
        return execute(sql, params, many, context)

    def take(self) -> list[tuple[str, object, bool, bool]]:
        taken, self.statements = self.statements, []
        return taken

    def install(self, sender, connection, **kwargs) -> None:
        in_thread = threading.current_thread().name.startswith(self.thread_name_prefix)
        if in_thread and self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)


# Transaction control is the replay's own (SQLite's BEGIN IMMEDIATE comes through the wrapper).
_TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def replay_seconds(statements: list[tuple[str, object, bool, bool]]) -> float:
    """Runs the statements again on this thread's connection by its DB-API cursor, and times them.

    No ORM, serializer or HTTP: only the database's work and its round trips. A request that
    wrote is replayed in a transaction that is rolled back afterwards (outside the clock). A
    statement the request ran prepared (factdesk.db) is replayed prepared, as the same statement.
    """
    statements = [
        statement for statement in statements if not _TRANSACTION_CONTROL.match(statement[0])
    ]
    writes = any(
        not sql.lstrip().upper().startswith("SELECT") or "FOR UPDATE" in sql.upper()
        for sql, _, _, _ in statements
    )
    with (
        connection.cursor() as wrapper,
        prepared_cursor() as prepared_wrapper,
        transaction.atomic() if writes else nullcontext(),
    ):
        started = time.perf_counter()
        for sql, params, many, prepared in statements:
            cursor = prepared_wrapper.cursor if prepared else wrapper.cursor
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
        elapsed = time.perf_counter() - started
        if writes:
            transaction.set_rollback(True)
    return elapsed


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


class Command(BaseCommand):
    help = (
        "Tops the database up to N synthetic claims with queued reviews (bulk inserts), then "
        "times GET /api/v1/queue/ and POST /api/v1/queue/claim-next/ through a real HTTP server, "
        "each request followed by the same SQL statements replayed alone on the server's "
        "connection, and prints one JSON line: p50/p95 in ms of both, their ratio at p95 and "
        "queries per request."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=10_000)
        parser.add_argument("--requests", type=int, default=200, help="timed requests per case")
        parser.add_argument("--batch", type=int, default=5_000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, claims: int, requests: int, batch: int, seed: int, **options):
        logging.getLogger("django.request").setLevel(logging.ERROR)
        fill_started = time.perf_counter()
        added = self._fill(target=claims, batch=batch, rng=random.Random(seed))
        fill_seconds = time.perf_counter() - fill_started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        token = self._bench_token()
        # One thread serves the requests one by one and replays their SQL: its database
        # connection lives as long as DATABASE_CONN_MAX_AGE allows, as in a gunicorn worker,
        # and the replay runs on that same connection.
        database = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bench-db")
        recorder = QueryRecorder("bench-db")
        connection_created.connect(recorder.install)
        server = WSGIServer(("127.0.0.1", 0), QuietHandler)
        # The served application as gunicorn loads it (factdesk.wsgi, with its gc.freeze()),
        # imported once the fill is done, as a worker would after start-up.
        from factdesk.wsgi import application

        server.set_app(application)
        server.timeout = 30
        port = server.server_address[1]
        try:

            def call(method: str, path: str) -> tuple[float, int, list]:
                recorder.take()
                served = database.submit(server.handle_request)
                started = time.perf_counter()
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                client.request(method, path, headers={"Authorization": f"Token {token}"})
                response = client.getresponse()
                response.read()
                client.close()
                elapsed = (time.perf_counter() - started) * 1000
                served.result()
                return elapsed, response.status, recorder.take()

            def replay(statements: list) -> float:
                return 1000 * database.submit(lambda: replay_seconds(statements)).result()

            cases = {
                "queue_page_size_10": ("GET", "/api/v1/queue/?page_size=10"),
                "queue_page_size_50": ("GET", "/api/v1/queue/"),
                "queue_page_size_100": ("GET", "/api/v1/queue/?page_size=100"),
                "queue_filtered_type_page_size_50": ("GET", "/api/v1/queue/?type=statistic"),
                "queue_filtered_outlet_page_size_50": (
                    "GET",
                    "/api/v1/queue/?outlet=bench%20outlet%203",
                ),
                "review_detail": ("GET", f"/api/v1/reviews/{self._detail_review_id()}/"),
                "claim_next": ("POST", "/api/v1/queue/claim-next/"),
            }
            results = {
                name: self._measure(
                    call, replay, *case, requests, after=self._release_bench_reviews
                )
                for name, case in cases.items()
            }
        finally:
            database.submit(lambda: connection.close()).result()
            database.shutdown()
            server.server_close()
            connection_created.disconnect(recorder.install)
            self._release_bench_reviews()

        line = {
            "database": connection.vendor,
            "claims": Claim.objects.filter(extractor_version=BENCH_VERSION).count(),
            "claims_added": added,
            "fill_seconds": round(fill_seconds, 1),
            "requests_per_case": requests,
            "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
            **results,
        }
        self.stdout.write(json.dumps(line))

    def _measure(self, call, replay, method: str, path: str, requests: int, *, after) -> dict:
        if method == "GET":
            for _ in range(5):
                replay(call(method, path)[2])
        timings, sql_timings, statuses, queries = [], [], set(), set()
        for _ in range(requests):
            elapsed, status, statements = call(method, path)
            timings.append(elapsed)
            sql_timings.append(replay(statements))
            if method == "POST":
                # A reviewer holds at most FACTDESK_MAX_HELD_REVIEWS: what claim-next gave is
                # released again, outside the clock, so every request takes one.
                after()
            statuses.add(status)
            queries.add(len(statements))
        p95, sql_p95 = _percentile(timings, 0.95), _percentile(sql_timings, 0.95)
        return {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(p95, 2),
            "sql_p50_ms": round(statistics.median(sql_timings), 2),
            "sql_p95_ms": round(sql_p95, 2),
            "ratio_p95": round(p95 / sql_p95, 2),
            "statuses": sorted(statuses),
            "queries_per_request": sorted(queries),
        }

    def _fill(self, *, target: int, batch: int, rng: random.Random) -> int:
        """Adds whole documents of CLAIMS_PER_DOCUMENT claims until there are `target` claims."""
        have = Document.objects.filter(extractor_version=BENCH_VERSION).count()
        wanted = -(-target // CLAIMS_PER_DOCUMENT)
        documents_per_batch = max(1, batch // CLAIMS_PER_DOCUMENT)
        now = timezone.now()
        for first in range(have, wanted, documents_per_batch):
            last = min(wanted, first + documents_per_batch)
            self._fill_documents(numbers=range(first, last), now=now, rng=rng)
            done = (last - have) * CLAIMS_PER_DOCUMENT
            self.stderr.write(f"\rfilled {done:,} claims", ending="")
        if wanted > have:
            self.stderr.write("")
        return max(0, wanted - have) * CLAIMS_PER_DOCUMENT

    def _fill_documents(self, *, numbers: range, now, rng: random.Random) -> None:
        documents = Document.objects.bulk_create(
            [
                Document(
                    title=f"Bench article {n}",
                    url=f"https://bench.example/articles/{n}",
                    canonical_url=f"https://bench.example/articles/{n}",
                    outlet=OUTLETS[n % len(OUTLETS)],
                    published_at=now - timedelta(minutes=rng.randrange(60 * 24 * 30)),
                    text=f"Bench article {n}. " + "Officials said the figure rose. " * 5,
                    content_hash=f"bench-{n:012d}",
                    extraction_status=Document.ExtractionStatus.EXTRACTED,
                    extractor_version=BENCH_VERSION,
                )
                for n in numbers
            ]
        )
        claims = []
        for n, document in zip(numbers, documents, strict=True):
            for j in range(CLAIMS_PER_DOCUMENT):
                i = n * CLAIMS_PER_DOCUMENT + j
                # One claim in ten is repeated by other outlets, as syndicated copy is.
                number = i % 50_000 if i % 10 == 0 else i
                claims.append(
                    Claim(
                        document=document,
                        text=f"Bench claim {number}: the figure rose by {i % 97} percent.",
                        start=j * 10,
                        end=j * 10 + 9,
                        speaker="Officials",
                        speaker_kind=Claim.SpeakerKind.ORGANIZATION,
                        claim_type=TYPES[i % len(TYPES)],
                        score=round(rng.random(), 3),
                        extractor_version=BENCH_VERSION,
                    )
                )
        claims = Claim.objects.bulk_create(claims)
        published = {document.pk: document.published_at for document in documents}
        outlets = {document.pk: document.outlet for document in documents}
        reviews = []
        for claim in claims:
            review = Review(
                claim=claim,
                claim_type=claim.claim_type,
                outlet_key=outlets[claim.document_id].casefold(),
                fingerprint=priority.claim_fingerprint(claim.text),
                priority_score=claim.score,
                priority_recency=priority.recency_part(
                    published=published[claim.document_id], now=now
                ),
                priority_boost=0.5 if rng.random() < 0.01 else 0.0,
            )
            review.priority = round(
                review.priority_score + review.priority_recency + review.priority_boost, 4
            )
            reviews.append(review)
        Review.objects.bulk_create(reviews)

    def _bench_token(self) -> str:
        user, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
        group, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
        user.groups.add(group)
        token, _ = Token.objects.get_or_create(user=user)
        return token.key

    def _detail_review_id(self) -> int:
        """A bench review in the middle of the table, for the review page's case."""
        ids = Review.objects.order_by("id").values_list("id", flat=True)
        return ids[Review.objects.count() // 2]

    def _release_bench_reviews(self) -> None:
        held = Review.objects.filter(
            assignee__username="bench-reviewer", state=Review.State.IN_REVIEW
        )
        user = get_user_model().objects.get(username="bench-reviewer")
        for review_id, version in held.values_list("pk", "version"):
            services.review_release(review_id=review_id, actor=user, version=version)
