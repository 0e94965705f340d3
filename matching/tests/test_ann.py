import numpy as np
import pytest

from matching.ann import PqRefineIndex, build_index, load_index, nearest_keys
from matching.bench import CalibratedGenerator, archive_and_queries, run

DIM = 48


@pytest.fixture(scope="module")
def archive():
    return archive_and_queries("calibrated", 3000, 40, DIM, np.random.default_rng(3))


def _recall(index, vectors, queries, k=10):
    found = []
    for probe in queries:
        exact = set(np.argsort(-(vectors @ probe))[:k].tolist())
        found.append(len(exact & set(index.search(probe, k)[0].tolist())) / k)
    return float(np.mean(found))


def test_pq_refine_finds_the_exact_nearest(archive):
    vectors, queries = archive
    # A shortlist of 500 of the 3,000 (50 a result): the compressed scan has to find them.
    index = build_index(np.arange(len(vectors)), vectors, dim=DIM, min_vectors=100, shortlist=150)
    assert index.kind == "pq-refine"
    assert _recall(index, vectors, queries) >= 0.9
    keyed = PqRefineIndex(DIM, vectors)
    keyed.add(np.arange(len(vectors)) + 1000, vectors)
    keys, scores = keyed.search(vectors[5], 1)
    assert keys[0] == 1005 and scores[0] == pytest.approx(1.0, abs=1e-5)


def test_pq_refine_remove_and_replace_skip_the_old_node(archive):
    vectors, _ = archive
    index = PqRefineIndex(DIM, vectors)
    index.add(np.arange(500), vectors[:500])
    index.remove([42])
    assert 42 not in index.search(vectors[42], 10)[0].tolist()
    assert len(index) == 499
    index.add([7], vectors[900])  # key 7 now holds another vector
    assert len(index) == 499 and index.tombstones == 2
    assert index.search(vectors[900], 1)[0][0] == 7
    assert 7 not in index.search(vectors[7], 3)[0].tolist()
    with pytest.raises(ValueError):
        index.add([1, 1], vectors[:2])


def test_pq_refine_save_compacts_and_load_keeps_the_answers(tmp_path, archive):
    vectors, queries = archive
    index = PqRefineIndex(DIM, vectors)
    index.add(np.arange(1000), vectors[:1000])
    index.remove(np.arange(200))
    path = tmp_path / "archive.index"
    index.save(path)
    assert index.tombstones == 0 and len(index) == 800
    loaded = load_index(path)
    assert loaded.kind == "pq-refine" and len(loaded) == 800
    for probe in queries[:10]:
        assert list(loaded.search(probe, 5)[0]) == list(index.search(probe, 5)[0])
        assert min(loaded.search(probe, 5)[0]) >= 200


def test_small_archives_stay_exact(tmp_path, archive):
    vectors, _ = archive
    index = build_index(np.arange(50), vectors[:50], dim=DIM)
    assert index.kind == "exact"
    index.save(tmp_path / "small.index")
    assert load_index(tmp_path / "small.index").kind == "exact"


def test_calibrated_archive_has_neighbourhoods_and_a_shared_direction():
    draw = CalibratedGenerator(5000, DIM, np.random.default_rng(0))
    vectors, queries = draw.draw(5000), draw.draw(50)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = np.sort(queries @ vectors.T, axis=1)
    nearest, median = np.median(similarity[:, -1]), np.median(similarity)
    assert nearest > median + 0.3  # a query has near neighbours, far above a typical pair


def test_bench_reports_both_generators():
    for generator in ("calibrated", "legacy"):
        result = run(archive_size=2000, queries=20, dim=DIM, generator=generator)
        assert result["generator"] == generator and result["index"] == "exact"
        assert result["recall_at_10"] == 1.0 and len(result["load_avg_1m"]) == 2
    compared = run(archive_size=2000, queries=20, dim=DIM, index_kind="hnsw")
    assert compared["index"] == "hnsw" and compared["recall_at_10"] >= 0.9


def test_nearest_keys_merges_searches_by_best_cosine_then_key():
    index = build_index(np.arange(4), np.eye(4, dtype=np.float32), dim=4)
    first = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)
    between = np.array([0.0, 0.6, 0.8, 0.0], dtype=np.float32)
    assert nearest_keys(index, [first], 2)[0] == 0
    # Each key at its best cosine over the searches: 0 (1.0), 2 (0.8), 1 (0.6), 3 (0.0).
    assert nearest_keys(index, [first, between], 3) == [0, 2, 1]
    assert nearest_keys(index, [between, first], 4) == [0, 2, 1, 3]
