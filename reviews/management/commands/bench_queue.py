"""Fills the configured database with synthetic claims and times the queue through real HTTP."""

import http.client
import itertools
import json
import logging
import random
import statistics
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.db.backends.signals import connection_created
from django.utils import timezone
from rest_framework.authtoken.models import Token

from claims.models import Claim, Document
from factdesk.roles import REVIEWER_GROUP
from reviews import priority, services
from reviews.models import Review

BENCH_VERSION = "bench"
CLAIMS_PER_DOCUMENT = 5
OUTLETS = [f"Bench Outlet {i}" for i in range(40)]
TYPES = [choice for choice, _ in Claim.ClaimType.choices]


class QueryCounter:
    """Counts the queries of every connection, in whichever thread it runs."""

    def __init__(self) -> None:
        self._count = itertools.count()
        self.total = 0

    def __call__(self, execute, sql, params, many, context):
        self.total = next(self._count) + 1
        return execute(sql, params, many, context)

    def install(self, sender, connection, **kwargs) -> None:
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


class Command(BaseCommand):
    help = (
        "Tops the database up to N synthetic claims with queued reviews (bulk inserts), then "
        "times GET /api/v1/queue/ and POST /api/v1/queue/claim-next/ through a real HTTP server "
        "and prints one JSON line: p50/p95 in ms and queries per request."
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
        counter = QueryCounter()
        connection_created.connect(counter.install)
        # One server thread: the requests are sequential, and its database connection lives as
        # long as DATABASE_CONN_MAX_AGE allows, as in a gunicorn worker.
        server = WSGIServer(("127.0.0.1", 0), QuietHandler)
        server.set_app(get_wsgi_application())
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        try:

            def call(method: str, path: str) -> tuple[float, int, int]:
                before = counter.total
                started = time.perf_counter()
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                client.request(method, path, headers={"Authorization": f"Token {token}"})
                response = client.getresponse()
                response.read()
                client.close()
                elapsed = (time.perf_counter() - started) * 1000
                return elapsed, response.status, counter.total - before

            cases = {
                "queue_page_size_10": ("GET", "/api/v1/queue/?page_size=10"),
                "queue_page_size_100": ("GET", "/api/v1/queue/?page_size=100"),
                "queue_filtered_type_page_size_50": ("GET", "/api/v1/queue/?type=statistic"),
                "queue_filtered_outlet_page_size_50": (
                    "GET",
                    "/api/v1/queue/?outlet=bench%20outlet%203",
                ),
                "claim_next": ("POST", "/api/v1/queue/claim-next/"),
            }
            results = {name: self._measure(call, *case, requests) for name, case in cases.items()}
        finally:
            server.shutdown()
            server.server_close()
            connection_created.disconnect(counter.install)
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

    def _measure(self, call, method: str, path: str, requests: int) -> dict:
        if method == "GET":
            for _ in range(5):
                call(method, path)
        timings, statuses, queries = [], set(), set()
        for _ in range(requests):
            elapsed, status, count = call(method, path)
            timings.append(elapsed)
            statuses.add(status)
            queries.add(count)
        timings.sort()
        return {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
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

    def _release_bench_reviews(self) -> None:
        held = Review.objects.filter(
            assignee__username="bench-reviewer", state=Review.State.IN_REVIEW
        )
        user = get_user_model().objects.get(username="bench-reviewer")
        for review_id, version in held.values_list("pk", "version"):
            services.review_release(review_id=review_id, actor=user, version=version)
