"""The nearest-neighbour benchmark: a synthetic archive of N fact-check embeddings, searched for
new claims, timed and checked against exact search.

Two generators (docs/matching.md, "The synthetic archive"):

- `calibrated` (the default): unit vectors drawn like real MiniLM embeddings of fact-checked
  claims. A common direction (every sentence embedding shares one), an anisotropic spread (axis
  variances falling as a power law, about 100 effective dimensions), and a hierarchy: themes
  (50 topics each), topics (about 10 fact-checks each) and the fact-checks around them. The five
  parameters were fitted (on 19,250 real PolitiFact claims, their 591 debate queries) to the
  cosines of a query's 1st, 10th and 100th nearest fact-check and to the recall of an IVF index
  at the same size, erring on the hard side: the synthetic archive is a little harder for an
  index than the real one. Queries are new claims drawn from the same topics.
- `legacy`: the first generator (topics of 40 isotropic vectors, queries are noisy copies of an
  archived vector), kept so that its figure can still be reported.
"""

import os
import resource
import time

import numpy as np

from claims.vectorindex import IvfIndex
from matching import ann

GENERATORS = ("calibrated", "legacy")
INDEXES = ("pq-refine", "ivf", "hnsw")
_HNSW_M = 32
_HNSW_EF_CONSTRUCTION = 64
_HNSW_EF_SEARCH = 512

# calibrated: power-law exponent of axis variances, norm of the shared direction (relative to the
# spread), spread of themes and of topics (relative to a fact-check's own), fact-checks a topic.
_ALPHA = 0.7
_SHARED = 0.5
_THEME_SPREAD = 0.4
_TOPIC_SPREAD = 0.7
_PER_TOPIC_CALIBRATED = 10
_TOPICS_PER_THEME = 50
_CHUNK = 100_000

# legacy
_PER_TOPIC = 40
_LEGACY_SPREAD = 1.2
_PARAPHRASE_NOISE = 0.05


class CalibratedGenerator:
    def __init__(self, n: int, dim: int, rng: np.random.Generator) -> None:
        std = (1.0 + np.arange(dim)) ** (-_ALPHA / 2)
        self.std = std / np.sqrt((std**2).sum()) * np.sqrt(dim)
        basis, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
        self.basis = basis.astype(np.float32)
        shared = rng.standard_normal(dim)
        self.shared = shared * _SHARED * np.sqrt(dim) / np.linalg.norm(shared)
        n_topics = max(n // _PER_TOPIC_CALIBRATED, 1)
        n_themes = max(n_topics // _TOPICS_PER_THEME, 1)
        themes = rng.standard_normal((n_themes, dim)) * self.std * _THEME_SPREAD
        self.topics = (
            themes[rng.integers(0, n_themes, n_topics)]
            + rng.standard_normal((n_topics, dim)) * self.std * _TOPIC_SPREAD
        ).astype(np.float32)
        self.rng = rng
        self.dim = dim

    def draw(self, count: int) -> np.ndarray:
        out = np.empty((count, self.dim), dtype=np.float32)
        for start in range(0, count, _CHUNK):
            stop = min(count, start + _CHUNK)
            topic = self.topics[self.rng.integers(0, len(self.topics), stop - start)]
            noise = self.rng.standard_normal((stop - start, self.dim), dtype=np.float32)
            rows = topic + noise * self.std.astype(np.float32) + self.shared.astype(np.float32)
            out[start:stop] = rows @ self.basis
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


def synthetic_archive(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """legacy: unit vectors in topics of about 40."""
    topics = rng.standard_normal((max(n // _PER_TOPIC, 1), dim), dtype=np.float32)
    vectors = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        members = rng.integers(0, len(topics), stop - start)
        noise = rng.standard_normal((stop - start, dim), dtype=np.float32)
        vectors[start:stop] = topics[members] + _LEGACY_SPREAD * noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def paraphrases(archive: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """legacy queries: noisy copies of archived vectors."""
    picked = archive[rng.integers(0, len(archive), count)]
    noisy = picked + _PARAPHRASE_NOISE * rng.standard_normal(picked.shape, dtype=np.float32)
    return noisy / np.linalg.norm(noisy, axis=1, keepdims=True)


def archive_and_queries(
    generator: str, n: int, queries: int, dim: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    if generator == "legacy":
        vectors = synthetic_archive(n, dim, rng)
        return vectors, paraphrases(vectors, queries, rng)
    if generator == "calibrated":
        draw = CalibratedGenerator(n, dim, rng)
        return draw.draw(n), draw.draw(queries)
    raise ValueError(f"unknown generator {generator!r}: one of {', '.join(GENERATORS)}")


class _HnswForComparison:
    """faiss HNSW (M 32, efConstruction 64, efSearch 512), measured against the chosen index."""

    kind = "hnsw"

    def __init__(self, vectors: np.ndarray) -> None:
        import faiss

        self._index = faiss.IndexHNSWFlat(vectors.shape[1], _HNSW_M, faiss.METRIC_INNER_PRODUCT)
        self._index.hnsw.efConstruction = _HNSW_EF_CONSTRUCTION
        self._index.add(vectors)
        self._index.hnsw.efSearch = _HNSW_EF_SEARCH

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores, keys = self._index.search(vector[None, :], k)
        return keys[0], scores[0]


def run(
    *,
    archive_size: int,
    queries: int = 200,
    k: int = 10,
    dim: int = 384,
    seed: int = 0,
    generator: str = "calibrated",
    index_kind: str = "pq-refine",
    shortlist: int = ann.SHORTLIST,
) -> dict:
    load_before = os.getloadavg()[0]
    rng = np.random.default_rng(seed)
    vectors, probes = archive_and_queries(generator, archive_size, queries, dim, rng)
    started = time.perf_counter()
    if index_kind == "pq-refine":
        index = ann.build_index(np.arange(archive_size), vectors, dim=dim, shortlist=shortlist)
    elif index_kind == "ivf":
        index = IvfIndex(dim, vectors)
        index.add(np.arange(archive_size), vectors)
    elif index_kind == "hnsw":
        index = _HnswForComparison(vectors)
    else:
        raise ValueError(f"unknown index {index_kind!r}: one of {', '.join(INDEXES)}")
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
        "generator": generator,
        "index": index.kind,
        **({"shortlist": index.shortlist} if index.kind == "pq-refine" else {}),
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "build_s": round(build_s, 1),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "recall_at_10": round(float(np.mean(recalls)), 3),
        "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
