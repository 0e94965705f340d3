"""The archive's nearest-neighbour index (matching.ann: exact below 20,000 fact-checks, an HNSW
graph from there), persisted under var/ and kept in step by the services that add fact-checks
(which run in the worker)."""

import threading
from pathlib import Path

import numpy as np
from django.conf import settings

from claims.extraction.embeddings import EMBEDDING_DIM
from claims.vectorindex import VectorIndex
from matching.ann import build_index, load_index
from matching.models import FactCheck

_LOCK = threading.Lock()
_loaded: dict[str, VectorIndex] = {}


def _path() -> Path:
    return Path(settings.FACTDESK_MATCH_INDEX_PATH)


def factcheck_index() -> VectorIndex:
    """The index of fact-check claim embeddings, keyed by FactCheck id: this process's copy, the
    saved file, or (when neither holds every fact-check) rebuilt from the database and saved."""
    size = FactCheck.objects.exclude(claim_embedding=None).count()
    with _LOCK:
        index = _loaded.get("index")
        if index is None or len(index) != size:
            index = _load_or_rebuild(size)
            _loaded["index"] = index
        return index


def factcheck_index_add(*, ids: list[int], vectors: np.ndarray) -> None:
    """Adds fact-checks just stored and saves the index for the other processes."""
    if not ids:
        return
    size = FactCheck.objects.exclude(claim_embedding=None).count()
    with _LOCK:
        index = _loaded.get("index")
        if index is not None and len(index) == size - len(ids):
            index.add(np.asarray(ids, dtype=np.int64), vectors)
            index.save(_path())
        else:
            index = _load_or_rebuild(size)
        _loaded["index"] = index


def _load_or_rebuild(size: int) -> VectorIndex:
    path = _path()
    if path.is_file():
        index = load_index(path)
        if len(index) == size:
            return index
    rows = list(
        FactCheck.objects.exclude(claim_embedding=None)
        .order_by("id")
        .values_list("id", "claim_embedding")
    )
    vectors = np.zeros((len(rows), EMBEDDING_DIM), dtype=np.float32)
    for row, (_, blob) in enumerate(rows):
        vectors[row] = np.frombuffer(bytes(blob), dtype=np.float32)
    index = build_index([r[0] for r in rows], vectors, dim=EMBEDDING_DIM)
    index.save(path)
    return index


def forget_loaded_index() -> None:
    """Drops this process's copy; the next use reads the saved file (tests, after a restore)."""
    with _LOCK:
        _loaded.clear()
