"""Okapi BM25 over a fixed collection, as a sparse matrix so that a query costs a column sum.

A document's score is the sum of its weights for the query's distinct terms, added in the order
of the terms' columns, from 0.0; `scores` and `scores_of` both add in that order, so that a
document's score is the same float whichever computes it (the ranking compares scores exactly:
ties decide ranks and which candidates are kept)."""

from collections.abc import Sequence

import numpy as np
from scipy import sparse


class BM25:
    def __init__(
        self,
        documents: Sequence[Sequence[str]],
        *,
        k1: float = 1.2,
        b: float = 0.75,
        by_term: bool = True,
        by_document: bool = True,
    ):
        """`by_term` keeps what `scores` needs (the whole collection's scores), `by_document`
        what `scores_of` needs (a few documents'): each is a copy of the weights."""
        # Terms are numbered in the order they first occur, as before this was vectorised: the
        # numbering is the order in which a query's columns are added up, so it fixes the floats.
        vocabulary: dict[str, int] = {}
        number = vocabulary.setdefault
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        terms = np.fromiter(
            (number(term, len(vocabulary)) for document in documents for term in document),
            dtype=np.int64,
            count=int(lengths.sum()),
        )
        size = max(len(vocabulary), 1)
        pairs, counts = np.unique(
            np.repeat(np.arange(len(documents), dtype=np.int64), lengths) * size + terms,
            return_counts=True,
        )
        rows, cols = pairs // size, pairs % size
        lengths = lengths.astype(np.float64)
        n_docs = max(len(documents), 1)
        tf = sparse.csr_matrix(
            (counts.astype(np.float64), (rows, cols)),
            shape=(len(documents), len(vocabulary)),
        )
        document_frequency = np.bincount(cols, minlength=len(vocabulary))
        idf = np.log1p((n_docs - document_frequency + 0.5) / (document_frequency + 0.5))
        average = lengths.mean() if len(documents) else 1.0
        norm = k1 * (1 - b + b * lengths / max(average, 1e-9))
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row]) * idf[tf.col]
        weights = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape)
        weights.sort_indices()
        self._by_term = weights if by_term else None
        self._by_document = weights.tocsr() if by_document else None
        if self._by_document is not None:
            self._by_document.sort_indices()
        self._vocabulary = vocabulary
        self.size = len(documents)

    def _columns(self, query: Sequence[str]) -> list[int]:
        return sorted({self._vocabulary[t] for t in query if t in self._vocabulary})

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """One BM25 score per document; each distinct query term counts once."""
        columns = self._columns(query)
        if not columns:
            return np.zeros(self.size, dtype=np.float64)
        pointers = self._by_term.indptr
        rows = np.concatenate(
            [self._by_term.indices[pointers[c] : pointers[c + 1]] for c in columns]
        )
        weights = np.concatenate(
            [self._by_term.data[pointers[c] : pointers[c + 1]] for c in columns]
        )
        # bincount adds in the order given: column by column, as the sparse column sum did.
        return np.bincount(rows, weights=weights, minlength=self.size).astype(
            np.float64, copy=False
        )

    def scores_of(self, query: Sequence[str], documents: np.ndarray) -> np.ndarray:
        """`scores(query)[documents]` without scoring the rest of the collection."""
        documents = np.asarray(documents, dtype=np.int64)
        columns = self._columns(query)
        if not columns or not len(documents):
            return np.zeros(len(documents), dtype=np.float64)
        pointers = self._by_document.indptr
        starts, stops = pointers[documents], pointers[documents + 1]
        lengths = stops - starts
        # Every stored (term, weight) of each document, in column order within a document.
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        owner = np.repeat(np.arange(len(documents)), lengths)
        keep = np.isin(self._by_document.indices[at], columns)
        return np.bincount(
            owner[keep], weights=self._by_document.data[at[keep]], minlength=len(documents)
        ).astype(np.float64)
