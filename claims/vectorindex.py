"""Nearest neighbours over unit vectors (cosine = inner product), with one interface and two
backends chosen by size: exact numpy search for small collections, faiss IVF above that.

Django-free, so that claim clustering and the fact-check archive share it. Keys are int64 ids
(a row's primary key). Measured in docs/matching.md: at 1,000,000 vectors of 384 floats, exact
search costs about 40 ms per query per 100,000 vectors on this machine while IVF (nlist about
4 sqrt(N), nprobe 16) answers in under a millisecond with recall@10 about 0.95.
"""

from pathlib import Path
from typing import Protocol

import numpy as np

# Below this many vectors exact search is fast enough (a few ms) and needs no training.
IVF_MIN_VECTORS = 20_000
_TRAINING_POINTS_PER_LIST = 40
_DEFAULT_NPROBE = 16


class VectorIndex(Protocol):
    dim: int

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None: ...

    def remove(self, keys: np.ndarray) -> None: ...

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def save(self, path: Path) -> None: ...

    def __len__(self) -> int: ...


def _as_keys(keys) -> np.ndarray:
    return np.asarray(keys, dtype=np.int64).reshape(-1)


def _as_rows(vectors: np.ndarray, dim: int) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, dim))


class ExactIndex:
    """Every vector compared: exact, no training, linear in the collection."""

    kind = "exact"

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._keys = np.zeros(0, dtype=np.int64)
        self._vectors = np.zeros((0, dim), dtype=np.float32)

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, keys, vectors) -> None:
        """Adds or replaces: a key already present gets the new vector."""
        keys, rows = _as_keys(keys), _as_rows(vectors, self.dim)
        if len(keys) != len(rows):
            raise ValueError(f"{len(keys)} keys for {len(rows)} vectors")
        self.remove(keys)
        self._keys = np.concatenate([self._keys, keys])
        self._vectors = np.vstack([self._vectors, rows])

    def remove(self, keys) -> None:
        keep = ~np.isin(self._keys, _as_keys(keys))
        if not keep.all():
            self._keys, self._vectors = self._keys[keep], self._vectors[keep]

    def search(self, vector, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest keys and their cosines, best first."""
        if not len(self._keys) or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self._vectors @ _as_rows(vector, self.dim)[0]
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return self._keys[top], scores[top]

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            np.savez(handle, kind=np.array(self.kind), keys=self._keys, vectors=self._vectors)


class IvfIndex:
    """faiss IVF-Flat: vectors grouped into lists around k-means centroids; a query scans the
    `nprobe` lists nearest to it. Adding and removing need no rebuild once trained."""

    kind = "ivf"

    def __init__(self, dim: int, training: np.ndarray, *, nprobe: int = _DEFAULT_NPROBE) -> None:
        import faiss

        training = _as_rows(training, dim)
        nlist = max(
            1, min(int(4 * np.sqrt(len(training))), len(training) // _TRAINING_POINTS_PER_LIST)
        )
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = training
        limit = nlist * _TRAINING_POINTS_PER_LIST
        if len(sample) > limit:
            sample = sample[np.random.default_rng(0).choice(len(sample), limit, replace=False)]
        index.train(sample)
        index.nprobe = nprobe
        self.dim = dim
        self._index = index
        self._quantizer = quantizer

    @classmethod
    def _wrap(cls, index, dim: int) -> "IvfIndex":
        self = cls.__new__(cls)
        self.dim, self._index = dim, index
        return self

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, keys, vectors) -> None:
        keys, rows = _as_keys(keys), _as_rows(vectors, self.dim)
        if len(keys) != len(rows):
            raise ValueError(f"{len(keys)} keys for {len(rows)} vectors")
        self.remove(keys)
        self._index.add_with_ids(rows, keys)

    def remove(self, keys) -> None:
        keys = _as_keys(keys)
        if len(keys):
            self._index.remove_ids(keys)

    def search(self, vector, k: int) -> tuple[np.ndarray, np.ndarray]:
        if not len(self) or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores, keys = self._index.search(_as_rows(vector, self.dim), min(k, len(self)))
        found = keys[0] >= 0
        return keys[0][found], scores[0][found]

    def save(self, path: Path) -> None:
        import faiss

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self._index, str(path))


def build_index(keys, vectors, *, dim: int, ivf_min_vectors: int = IVF_MIN_VECTORS) -> VectorIndex:
    """Exact below `ivf_min_vectors`, IVF (trained on these vectors) at or above it."""
    rows = _as_rows(vectors, dim)
    index: VectorIndex = IvfIndex(dim, rows) if len(rows) >= ivf_min_vectors else ExactIndex(dim)
    index.add(keys, rows)
    return index


def load_index(path: Path) -> VectorIndex:
    """Reads what `save` wrote, whichever backend wrote it."""
    path = Path(path)
    with open(path, "rb") as handle:
        magic = handle.read(6)
    if magic.startswith(b"PK"):
        with np.load(path) as arrays:
            index = ExactIndex(arrays["vectors"].shape[1])
            index.add(arrays["keys"], arrays["vectors"])
            return index
    import faiss

    stored = faiss.read_index(str(path))
    return IvfIndex._wrap(stored, stored.d)
