"""Okapi BM25 over a fixed collection, as a sparse matrix so that a query costs a column sum."""

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse


class BM25:
    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75):
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(documents), dtype=np.float64)
        for row, document in enumerate(documents):
            lengths[row] = len(document)
            for term, count in Counter(document).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(count)
        n_docs = max(len(documents), 1)
        tf = sparse.csr_matrix(
            (np.asarray(counts, dtype=np.float64), (rows, cols)),
            shape=(len(documents), len(vocabulary)),
        )
        document_frequency = np.bincount(
            np.asarray(cols, dtype=np.int64), minlength=len(vocabulary)
        )
        idf = np.log1p((n_docs - document_frequency + 0.5) / (document_frequency + 0.5))
        average = lengths.mean() if len(documents) else 1.0
        norm = k1 * (1 - b + b * lengths / max(average, 1e-9))
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row]) * idf[tf.col]
        self._weights = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape)
        self._vocabulary = vocabulary
        self.size = len(documents)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """One BM25 score per document; each distinct query term counts once."""
        columns = sorted({self._vocabulary[t] for t in query if t in self._vocabulary})
        if not columns:
            return np.zeros(self.size, dtype=np.float64)
        return np.asarray(self._weights[:, columns].sum(axis=1)).ravel()
