"""The archive's approximate nearest-neighbour index: every vector compressed to 48 bytes (faiss
product quantisation, 4-bit codes scanned with SIMD "fast scan"), a shortlist from that scan,
then the shortlist re-ranked by the exact dot product with the stored float vectors. Same
interface as claims.vectorindex (add, remove, search, save); cosine = inner product on unit
vectors.

Chosen by measurement (docs/matching.md): on a synthetic archive calibrated to be at least as
hard as real MiniLM embeddings of fact-checked claims, at 1,000,000 vectors an HNSW graph (M 32)
took 6 minutes to build and found only 0.76 of the exact ten nearest at 10 ms, an inverted file
needs to scan most of its lists, while the compressed scan plus exact re-ranking of 2,000 finds
0.99 of them in about 3.5 ms and trains in seconds. The scan is linear in the archive (about
3 ms a million vectors here): past ten million or so, shard (docs/matching.md). Django-free.

Removing (or replacing) a key leaves a tombstone that searches skip; `save` rebuilds without
them once they are more than a tenth of the stored vectors.
"""

from pathlib import Path

import numpy as np

from claims.vectorindex import ExactIndex, VectorIndex
from claims.vectorindex import load_index as _load_claims_index

# Below this many vectors exact search costs a few milliseconds and needs no training.
ANN_MIN_VECTORS = 20_000
# Exact re-ranking of at least this many scan results, and of at least 50 per neighbour asked.
SHORTLIST = 2_000
_SHORTLIST_PER_RESULT = 50
_TRAINING_SAMPLE = 100_000
_BITS = 4
_DIMS_PER_CODE = 4
_COMPACT_SHARE = 0.1


def _as_keys(keys) -> np.ndarray:
    return np.asarray(keys, dtype=np.int64).reshape(-1)


def _as_rows(vectors, dim: int) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, dim))


class PqRefineIndex:
    kind = "pq-refine"

    def __init__(self, dim: int, training, *, shortlist: int = SHORTLIST) -> None:
        import faiss

        if dim % _DIMS_PER_CODE:
            raise ValueError(f"the dimension ({dim}) must be a multiple of {_DIMS_PER_CODE}")
        rows = _as_rows(training, dim)
        if len(rows) > _TRAINING_SAMPLE:
            chosen = np.random.default_rng(0).choice(len(rows), _TRAINING_SAMPLE, replace=False)
            rows = rows[np.sort(chosen)]
        codes = faiss.IndexPQFastScan(dim, dim // _DIMS_PER_CODE, _BITS, faiss.METRIC_INNER_PRODUCT)
        codes.train(rows)
        self._setup(dim, codes, shortlist)

    def _setup(self, dim: int, codes, shortlist: int) -> None:
        self.dim = dim
        self.shortlist = shortlist
        self._codes = codes
        self._buffer = np.zeros((0, dim), dtype=np.float32)  # node -> vector (grown by doubling)
        self._keys = np.zeros(0, dtype=np.int64)  # node -> key
        self._live = np.zeros(0, dtype=bool)  # node -> not removed
        self._node_of: dict[int, int] = {}  # live key -> node

    def __len__(self) -> int:
        return len(self._node_of)

    @property
    def _stored(self) -> int:
        return len(self._keys)

    @property
    def tombstones(self) -> int:
        return self._stored - len(self._node_of)

    def add(self, keys, vectors) -> None:
        """Adds or replaces: a key already present gets the new vector."""
        keys, rows = _as_keys(keys), _as_rows(vectors, self.dim)
        if len(keys) != len(rows):
            raise ValueError(f"{len(keys)} keys for {len(rows)} vectors")
        if len(set(keys.tolist())) != len(keys):
            raise ValueError("a key is given twice")
        self.remove(keys)
        first, needed = self._stored, self._stored + len(rows)
        if needed > len(self._buffer):
            grown = np.zeros((max(needed, 2 * len(self._buffer)), self.dim), dtype=np.float32)
            grown[:first] = self._buffer[:first]
            self._buffer = grown
        self._buffer[first:needed] = rows
        self._codes.add(rows)
        self._keys = np.concatenate([self._keys, keys])
        self._live = np.concatenate([self._live, np.ones(len(keys), dtype=bool)])
        for offset, key in enumerate(keys.tolist()):
            self._node_of[key] = first + offset

    def remove(self, keys) -> None:
        for key in _as_keys(keys).tolist():
            node = self._node_of.pop(key, None)
            if node is not None:
                self._live[node] = False

    def search(self, vector, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest keys and their cosines (exact), best first."""
        if not len(self) or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        probe = _as_rows(vector, self.dim)
        wanted = max(self.shortlist, _SHORTLIST_PER_RESULT * k)
        wanted = min(self._stored, wanted + wanted * self.tombstones // max(len(self), 1))
        _, nodes = self._codes.search(probe, wanted)
        nodes = nodes[0][nodes[0] >= 0]
        nodes = nodes[self._live[nodes]]
        scores = self._buffer[nodes] @ probe[0]
        top = np.argsort(-scores, kind="stable")[:k]
        return self._keys[nodes[top]], scores[top]

    def _compact(self) -> None:
        import faiss

        nodes = np.flatnonzero(self._live)
        keys, vectors = self._keys[nodes], self._buffer[nodes].copy()
        codes = faiss.clone_index(self._codes)
        codes.reset()
        self._setup(self.dim, codes, self.shortlist)
        self.add(keys, vectors)

    def save(self, path: Path) -> None:
        import faiss

        if self.tombstones > _COMPACT_SHARE * max(self._stored, 1):
            self._compact()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            np.savez(
                handle,
                kind=np.array(self.kind),
                codes=faiss.serialize_index(self._codes),
                vectors=self._buffer[: self._stored],
                keys=self._keys,
                live=self._live,
                shortlist=np.array([self.shortlist]),
            )

    @classmethod
    def _from_arrays(cls, arrays) -> "PqRefineIndex":
        import faiss

        codes = faiss.deserialize_index(arrays["codes"])
        self = cls.__new__(cls)
        self._setup(codes.d, codes, int(arrays["shortlist"][0]))
        self._buffer = np.ascontiguousarray(arrays["vectors"], dtype=np.float32)
        self._keys = arrays["keys"].astype(np.int64)
        self._live = arrays["live"].astype(bool)
        nodes = np.flatnonzero(self._live)
        self._node_of = dict(zip(self._keys[nodes].tolist(), nodes.tolist(), strict=True))
        return self


def build_index(
    keys, vectors, *, dim: int, min_vectors: int = ANN_MIN_VECTORS, shortlist: int = SHORTLIST
) -> VectorIndex:
    """Exact below `min_vectors`; at or above it, compressed codes (trained on these vectors)
    with exact re-ranking."""
    rows = _as_rows(vectors, dim)
    index: VectorIndex
    if len(rows) >= min_vectors:
        index = PqRefineIndex(dim, rows, shortlist=shortlist)
    else:
        index = ExactIndex(dim)
    index.add(keys, rows)
    return index


def nearest_keys(index: VectorIndex, vectors, k: int) -> list[int]:
    """The `k` keys nearest to any of `vectors` (one search each), best cosine first, ties by
    key: a claim's own neighbours (one vector) or its context's (one per sentence)."""
    found: dict[int, float] = {}
    for vector in vectors:
        keys, cosines = index.search(vector, k)
        for key, cosine in zip(map(int, keys), cosines, strict=True):
            found[key] = max(float(cosine), found.get(key, -1.0))
    return sorted(found, key=lambda key: (-found[key], key))[:k]


def load_index(path: Path) -> VectorIndex:
    """Reads what `save` wrote: compressed codes with their vectors, or an exact or IVF index
    (claims.vectorindex)."""
    path = Path(path)
    with open(path, "rb") as handle:
        magic = handle.read(2)
    if magic == b"PK":
        with np.load(path) as arrays:
            if str(arrays["kind"]) == PqRefineIndex.kind:
                return PqRefineIndex._from_arrays(arrays)
    return _load_claims_index(path)
