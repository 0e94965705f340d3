"""The ranking's whole-archive steps, computed faster, against their simple definitions: the
results must be the same floats (ranks and ties decide which candidates are kept)."""

import unicodedata

import numpy as np
import pytest
from scipy import sparse

from matching.bench import full_run
from matching.ranking.bm25 import BM25
from matching.ranking.ranker import _ranks
from matching.ranking.text import _UNDECOMPOSABLE, fold


def simple_ranks(scores: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    return np.array([(scores > scores[i]).sum() for i in chosen], dtype=np.float64)


def simple_bm25(index: BM25, query: list[str]) -> np.ndarray:
    """The sum over the query's distinct terms' columns, as a scipy column selection sums it."""
    columns = sorted({index._vocabulary[t] for t in query if t in index._vocabulary})
    if not columns:
        return np.zeros(index.size)
    weights = sparse.csc_matrix(index._by_term)
    return np.asarray(weights[:, columns].sum(axis=1)).ravel()


@pytest.mark.parametrize("seed", range(5))
def test_ranks_equal_the_count_of_higher_scores_with_ties(seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 6, 500).astype(np.float64)  # many ties
    scores[rng.random(500) < 0.6] = 0.0  # most documents share no word with the claim
    chosen = np.unique(rng.integers(0, 500, 40))
    assert np.array_equal(_ranks(scores, chosen), simple_ranks(scores, chosen))
    every = np.arange(500)
    assert np.array_equal(_ranks(scores, every), simple_ranks(scores, every))


def test_ranks_of_cosines_with_negative_scores():
    rng = np.random.default_rng(7)
    scores = rng.uniform(-1, 1, 2000).astype(np.float32)
    chosen = rng.permutation(2000)[:100]  # not sorted
    assert np.array_equal(_ranks(scores, chosen), simple_ranks(scores, chosen))


def test_ranks_when_every_score_is_zero_or_there_is_one_document():
    zeros = np.zeros(50)
    assert np.array_equal(_ranks(zeros, np.array([0, 7, 49])), [0.0, 0.0, 0.0])
    assert np.array_equal(_ranks(np.array([3.5]), np.array([0])), [0.0])
    assert _ranks(np.array([1.0, 2.0]), np.zeros(0, dtype=np.int64)).shape == (0,)
    top_and_ties = np.array([2.0, 1.0, 1.0, 2.0, 0.5])
    assert list(_ranks(top_and_ties, np.arange(5))) == [0.0, 2.0, 2.0, 0.0, 4.0]


def _documents(rng: np.random.Generator, count: int) -> list[list[str]]:
    vocabulary = [f"w{i}" for i in range(60)]
    weights = 1.0 / np.arange(1, 61)
    weights /= weights.sum()
    return [
        list(rng.choice(vocabulary, size=int(rng.integers(0, 15)), p=weights)) for _ in range(count)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_bm25_scores_are_the_same_floats_as_the_sparse_column_sum(seed):
    rng = np.random.default_rng(seed)
    index = BM25(_documents(rng, 400))
    for query in (["w0", "w1", "w5", "w1"], ["w33", "w2", "w59", "w7", "w11", "w0"], ["absent"]):
        assert np.array_equal(index.scores(query), simple_bm25(index, query))


def test_bm25_scores_of_some_documents_equal_the_full_scoring():
    rng = np.random.default_rng(3)
    index = BM25([*_documents(rng, 300), []])  # the last document has no word
    rows = np.array([300, 5, 0, 299, 5, 17])  # unsorted, repeated, empty
    for query in (["w0", "w3", "w8", "w13", "w21"], ["w4"], [], ["nowhere", "w1"]):
        assert np.array_equal(index.scores_of(query, rows), index.scores(query)[rows])
    assert index.scores_of(["w0"], np.zeros(0, dtype=np.int64)).shape == (0,)
    single = BM25([["ferry", "fare"]])
    assert np.array_equal(single.scores_of(["fare"], np.array([0])), single.scores(["fare"]))


def test_the_full_benchmark_reports_the_whole_ranking_and_the_index_alone():
    result = full_run(archive_size=1500, queries=5)
    assert result["mode"] == "full" and result["archive"] == 1500
    assert result["p50_ms"] >= result["rank_p50_ms"] > 0 and result["baseline_p50_ms"] > 0
    assert result["ratio"] > 0 and result["build_s"] >= 0 and len(result["load_avg_1m"]) == 2
    assert (
        full_run(archive_size=1500, queries=5)["speaker_pool_share_p50_p90_max"]
        == (result["speaker_pool_share_p50_p90_max"])
    )  # seeded


def slow_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def test_folding_ascii_text_quickly_gives_the_same_string():
    rng = np.random.default_rng(5)
    alphabet = [chr(c) for c in range(128)]
    for _ in range(200):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(0, 60))))
        assert fold(text) == slow_fold(text)
    for text in ("Ærø Łódź Müller", "Trump’s “wall”", "São Tomé ﬁnance", "ÅNGSTRÖM"):
        assert fold(text) == slow_fold(text)


def test_bm25_weights_are_those_of_the_term_by_term_construction():
    """The construction is vectorised; the weights and the terms' numbering must not move."""
    from collections import Counter

    rng = np.random.default_rng(9)
    documents = [*_documents(rng, 500), [], ["w1", "w1", "w1"]]
    index = BM25(documents, k1=1.2, b=0.75)
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for row, document in enumerate(documents):
        for term, count in Counter(document).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(count)
    lengths = np.array([len(d) for d in documents], dtype=np.float64)
    tf = sparse.csr_matrix((np.asarray(counts, float), (rows, cols))).tocoo()
    frequency = np.bincount(np.asarray(cols), minlength=len(vocabulary))
    idf = np.log1p((len(documents) - frequency + 0.5) / (frequency + 0.5))
    norm = 1.2 * (1 - 0.75 + 0.75 * lengths / lengths.mean())
    weights = tf.data * 2.2 / (tf.data + norm[tf.row]) * idf[tf.col]
    expected = sparse.csc_matrix(
        (weights, (tf.row, tf.col)), shape=(len(documents), len(vocabulary))
    )
    assert index._vocabulary == vocabulary
    assert list(index._vocabulary) == list(vocabulary)
    difference = index._by_term != expected
    assert difference.nnz == 0
    assert np.array_equal(index._by_term.data, expected.data)
    assert BM25([]).scores(["w1"]).shape == (0,)
