"""The nearest-neighbour benchmark: a synthetic archive of N fact-check embeddings, searched for
claims that paraphrase one of them, timed and checked against exact search."""

import resource
import time

import numpy as np

from claims.vectorindex import build_index

_PER_TOPIC = 40
_TOPIC_SPREAD = 1.2
_PARAPHRASE_NOISE = 0.05


def synthetic_archive(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors in topics of about 40 (fact-checks on one subject are near each other)."""
    topics = rng.standard_normal((max(n // _PER_TOPIC, 1), dim), dtype=np.float32)
    vectors = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        members = rng.integers(0, len(topics), stop - start)
        noise = rng.standard_normal((stop - start, dim), dtype=np.float32)
        vectors[start:stop] = topics[members] + _TOPIC_SPREAD * noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def paraphrases(archive: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    picked = archive[rng.integers(0, len(archive), count)]
    noisy = picked + _PARAPHRASE_NOISE * rng.standard_normal(picked.shape, dtype=np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def run(
    *, archive_size: int, queries: int = 200, k: int = 10, dim: int = 384, seed: int = 0
) -> dict:
    rng = np.random.default_rng(seed)
    vectors = synthetic_archive(archive_size, dim, rng)
    probes = paraphrases(vectors, queries, rng)
    started = time.perf_counter()
    index = build_index(np.arange(archive_size), vectors, dim=dim)
    build_s = time.perf_counter() - started
    timings, recalls = [], []
    for probe in probes:
        started = time.perf_counter()
        keys, _ = index.search(probe, k)
        timings.append(1000 * (time.perf_counter() - started))
        exact = np.argpartition(-(vectors @ probe), k - 1)[:k]
        recalls.append(len(set(keys.tolist()) & set(exact.tolist())) / k)
    return {
        "archive": archive_size,
        "index": index.kind,
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "build_s": round(build_s, 1),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "recall_at_10": round(float(np.mean(recalls)), 3),
    }
