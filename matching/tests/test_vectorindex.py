import numpy as np
import pytest

from claims.vectorindex import ExactIndex, build_index, load_index
from matching.bench import paraphrases, synthetic_archive

DIM = 32


@pytest.fixture
def vectors():
    return synthetic_archive(4000, DIM, np.random.default_rng(1))


def test_exact_index_adds_replaces_removes_and_finds(vectors):
    index = ExactIndex(DIM)
    index.add(np.arange(100, 110), vectors[:10])
    keys, scores = index.search(vectors[3], 2)
    assert keys[0] == 103 and scores[0] == pytest.approx(1.0, abs=1e-5)
    index.add([103], vectors[50])
    assert len(index) == 10
    assert index.search(vectors[50], 1)[0][0] == 103
    index.remove([103])
    assert 103 not in index.search(vectors[50], 10)[0]


@pytest.mark.parametrize("ivf_min_vectors", [10**9, 1000])
def test_save_and_load_keep_the_answers(tmp_path, vectors, ivf_min_vectors):
    index = build_index(np.arange(len(vectors)), vectors, dim=DIM, ivf_min_vectors=ivf_min_vectors)
    path = tmp_path / "archive.index"
    index.save(path)
    loaded = load_index(path)
    assert loaded.kind == index.kind and len(loaded) == len(vectors)
    probe = vectors[7]
    assert list(loaded.search(probe, 5)[0]) == list(index.search(probe, 5)[0])


def test_ivf_recall_against_exact_search(vectors):
    index = build_index(np.arange(len(vectors)), vectors, dim=DIM, ivf_min_vectors=1000)
    assert index.kind == "ivf"
    recalls = []
    for probe in paraphrases(vectors, 50, np.random.default_rng(2)):
        exact = set(np.argsort(-(vectors @ probe))[:10].tolist())
        recalls.append(len(exact & set(index.search(probe, 10)[0].tolist())) / 10)
    assert np.mean(recalls) >= 0.9


def test_ivf_remove_takes_a_vector_out(vectors):
    index = build_index(np.arange(len(vectors)), vectors, dim=DIM, ivf_min_vectors=1000)
    assert index.search(vectors[42], 1)[0][0] == 42
    index.remove([42])
    assert 42 not in index.search(vectors[42], 10)[0]
    assert len(index) == len(vectors) - 1
