"""Times incremental clustering: one document's claims against N stored, clustered claims."""

import json
import resource
import statistics
import time

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from claims.clusters import claims_cluster
from claims.models import Claim, ClaimCluster, Document
from claims.services import content_hash_of, pack_embedding

BENCH_VERSION = "bench-clusters"
CLAIMS_PER_DOCUMENT = 20
BATCH = 2000


class Command(BaseCommand):
    help = (
        "Tops the configured database up to N synthetic clustered claims (random MiniLM-sized "
        "embeddings, engine version 'bench-clusters'), then clusters --documents new documents of "
        f"{CLAIMS_PER_DOCUMENT} claims each, one transaction per document as the worker does, "
        "and prints one JSON line: p50/p95 ms per document (and the median CPU time, which a busy "
        "machine distorts less), candidates compared, peak RSS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=20000)
        parser.add_argument("--documents", type=int, default=20)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, claims: int, documents: int, seed: int, **options):
        random = np.random.default_rng(seed)
        self._top_up(claims, random)
        timings, cpu = [], []
        for index in range(documents):
            batch = self._document(f"bench-new-{seed}-{index}-{time.time_ns()}", random)
            started, cpu_started = time.perf_counter(), time.process_time()
            with transaction.atomic():
                claims_cluster(claims=batch)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        stored = Claim.objects.filter(extractor_version=BENCH_VERSION).count()
        self.stdout.write(
            json.dumps(
                {
                    "benchmark": "clusters",
                    "database": connection.vendor,
                    "stored_claims": stored,
                    "candidates": min(stored, settings.FACTDESK_CLUSTER_MAX_CANDIDATES),
                    "documents": documents,
                    "claims_per_document": CLAIMS_PER_DOCUMENT,
                    "p50_ms_per_document": round(statistics.median(timings), 1),
                    "p95_ms_per_document": round(_percentile(timings, 0.95), 1),
                    "cpu_ms_per_document": round(statistics.median(cpu), 1),
                    "peak_rss_mb": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                }
            )
        )

    def _top_up(self, target: int, random: np.random.Generator) -> None:
        have = Claim.objects.filter(extractor_version=BENCH_VERSION).count()
        while have < target:
            size = min(BATCH, target - have)
            document = Document.objects.create(
                text=f"bench {have}", content_hash=content_hash_of(f"bench-clusters {have}")
            )
            clusters = ClaimCluster.objects.bulk_create(
                [ClaimCluster(canonical_text=f"claim {have + i}", embedding_version=BENCH_VERSION,
                              claim_count=1, document_count=1, outlet_count=1)
                 for i in range(size)]
            )  # fmt: skip
            vectors = _unit_rows(random, size)
            Claim.objects.bulk_create(
                [
                    Claim(
                        document=document,
                        text=f"claim {have + i}",
                        start=i,
                        end=i + 1,
                        extractor_version=BENCH_VERSION,
                        embedding=pack_embedding(vectors[i].tolist()),
                        cluster=cluster,
                    )
                    for i, cluster in enumerate(clusters)
                ]
            )
            have += size

    def _document(self, text: str, random: np.random.Generator) -> list[Claim]:
        document = Document.objects.create(text=text, content_hash=content_hash_of(text))
        vectors = _unit_rows(random, CLAIMS_PER_DOCUMENT)
        return Claim.objects.bulk_create(
            [
                Claim(
                    document=document,
                    text=f"{text} claim {i}",
                    start=i,
                    end=i + 1,
                    extractor_version=BENCH_VERSION,
                    embedding=pack_embedding(vectors[i].tolist()),
                )
                for i in range(CLAIMS_PER_DOCUMENT)
            ]
        )


def _unit_rows(random: np.random.Generator, rows: int) -> np.ndarray:
    vectors = random.standard_normal((rows, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
