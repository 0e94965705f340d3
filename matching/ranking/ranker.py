"""Candidates from words and embeddings, features for each (claim, fact-check) pair, and the score."""

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matching.ranking.bm25 import BM25
from matching.ranking.guard import Comparison, Facts, compare, facts_of
from matching.ranking.text import name_keys, tokens

FEATURES = (
    "bm25",
    "bm25_share_of_best",
    "bm25_claim",
    "bm25_title",
    "bm25_reciprocal_rank",
    "cosine_claim",
    "cosine_title",
    "cosine_best",
    "cosine_claim_gap",
    "cosine_title_gap",
    "dense_reciprocal_rank",
    "word_overlap",
    "shared_figures",
    "figure_conflict",
    "shared_names",
    "name_jaccard",
    "place_or_person_conflict",
    "speaker_mentioned",
    "date_known",
    "date_within_week",
    "date_distance",
    "date_checked_later",
    "date_checked_earlier",
    "reciprocal_rank_fusion",
    "context_known",
    "context_cosine",
    "context_bm25_share",
)
# Reciprocal rank fusion of the word and meaning ranks: 1/(K + rank), summed.
_RRF_K = 10
_DATE_IN_TEXT = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2}),\s+(\d{4})"
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, start=1)}


@dataclass(frozen=True)
class FactCheckRecord:
    """A fact-check as the ranker sees it: the claim checked, the headline, who said it, when."""

    claim: str
    title: str = ""
    speaker: str = ""
    date: dt.date | None = None
    entities: tuple[tuple[str, str], ...] = ()
    # True when `date` is the fact-check's publication date standing in for the unknown date the
    # claim was stated: a claim is checked after it is said, so that date says nothing about
    # whether the checked claim came before or after the probe.
    date_is_review: bool = False


@dataclass(frozen=True)
class Probe:
    """A claim to match: its sentence, its speaker and its document's date when known."""

    text: str
    speaker: str = ""
    date: dt.date | None = None
    entities: tuple[tuple[str, str], ...] = ()
    # The sentences around the claim in its document (a transcript's neighbouring lines, an
    # article's neighbouring claims): "They vote twice." is about what was said just before.
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Params:
    k1: float = 1.2
    b: float = 0.75
    depth: int = 30
    # Also the best `speaker_depth` by cosine and by BM25 among the fact-checks of the claim's
    # speaker (or of people it names): a speaker repeats, in other words, what was checked before.
    speaker_depth: int = 0
    # The context: the sentences within `context_window` positions of the claim in its document;
    # the best `context_depth` by cosine and by BM25 to it join the candidates.
    context_window: int = 0
    context_depth: int = 0


@dataclass
class Candidate:
    index: int
    features: np.ndarray
    comparison: Comparison
    bm25_rank: int = 0
    dense_rank: int = 0
    score: float = 0.0
    speaker_rank: int = 0
    # The candidate's place among the context's best (by BM25 or cosine), else the archive's size.
    context_rank: int = 0


@dataclass
class Archive:
    """The fact-checks with their embeddings (unit rows: claim and title), indexed for ranking."""

    records: Sequence[FactCheckRecord]
    claim_vectors: np.ndarray
    title_vectors: np.ndarray
    params: Params = field(default_factory=Params)

    def __post_init__(self) -> None:
        claim_tokens = [tokens(r.claim) for r in self.records]
        title_tokens = [tokens(r.title) for r in self.records]
        k1, b = self.params.k1, self.params.b
        # The claim with its headline scores the whole archive; the claim and the headline alone
        # only the chosen candidates.
        self.bm25 = BM25(
            [c + t for c, t in zip(claim_tokens, title_tokens, strict=True)],
            k1=k1,
            b=b,
            by_document=False,
        )
        self.bm25_claim = BM25(claim_tokens, k1=k1, b=b, by_term=False)
        self.bm25_title = BM25(title_tokens, k1=k1, b=b, by_term=False)
        self.word_sets = [frozenset(c + t) for c, t in zip(claim_tokens, title_tokens, strict=True)]
        self.facts: list[Facts] = [
            facts_of(f"{r.claim} {r.title}", r.entities) for r in self.records
        ]
        self.speaker_keys = [name_keys(r.speaker) for r in self.records]
        by_key: dict[str, list[int]] = {}
        for row, keys in enumerate(self.speaker_keys):
            for key in keys:
                by_key.setdefault(key, []).append(row)
        self.rows_by_speaker_key = {k: np.asarray(v, dtype=np.int64) for k, v in by_key.items()}

    def speaker_rows(self, keys: set[str]) -> np.ndarray:
        """The rows whose speaker shares a name key with `keys`."""
        found = [self.rows_by_speaker_key[k] for k in keys if k in self.rows_by_speaker_key]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.records)


def date_stated(text: str) -> dt.date | None:
    """The first "Month D, YYYY" in a text ("stated on October 22, 2019 in a mailer")."""
    match = _DATE_IN_TEXT.search(text or "")
    if not match:
        return None
    try:
        return dt.date(int(match.group(3)), _MONTH_NUMBERS[match.group(1)], int(match.group(2)))
    except ValueError:
        return None


def candidates(
    archive: Archive,
    probe: Probe,
    vector: np.ndarray,
    nearest: np.ndarray | None = None,
    context_vectors: np.ndarray | None = None,
    context_nearest: np.ndarray | None = None,
) -> list[Candidate]:
    """The union of the best `depth` by BM25 and by cosine (to the claim or its title, whichever
    is nearer) and of the best `speaker_depth` by each among the fact-checks whose speaker the
    claim's speaker or text names, each with its features (in the order of FEATURES).

    `nearest`, when given, holds the archive rows a nearest-neighbour index found for `vector`
    (best first): they replace the exact cosine scan, and cosine ranks and gaps are taken among
    the candidates, which for an archive of millions keeps a claim's cost in milliseconds.

    `context_vectors` are the embeddings of `probe.context`, one row per sentence: the best
    `context_depth` by BM25 to the context's words and by cosine to its nearest sentence join the
    candidates (`context_nearest`: the rows an index found for the context, with `nearest`).
    """
    if not len(archive):
        return []
    depth = min(archive.params.depth, len(archive))
    probe_tokens = tokens(probe.text)
    bm25 = archive.bm25.scores(probe_tokens)
    by_words = _top(bm25, depth)
    named_keys = name_keys(probe.text) | name_keys(probe.speaker)
    pool = archive.speaker_rows(named_keys)
    if nearest is None:
        cos_claim_all = archive.claim_vectors @ vector
        cos_title_all = archive.title_vectors @ vector
        best_all = np.maximum(cos_claim_all, cos_title_all)
        pool_dense = best_all[pool]
    else:
        # Gathered whole, not by blocks: BLAS adds up a row's products in an order that depends
        # on the row's place in the matrix (its threads' split, the last rows of a block), and
        # ties among these cosines decide ranks, so any regrouping may change the last bit.
        pool_dense = np.maximum(
            archive.claim_vectors[pool] @ vector, archive.title_vectors[pool] @ vector
        )
    pool_bm25 = bm25[pool]
    speaker_depth = min(archive.params.speaker_depth, len(pool))
    by_speaker = (
        np.concatenate(
            [pool[_top(pool_dense, speaker_depth)], pool[_top(pool_bm25, speaker_depth)]]
        )
        if speaker_depth
        else np.zeros(0, dtype=np.int64)
    )
    has_context = bool(probe.context) and context_vectors is not None and len(context_vectors) > 0
    context_bm25 = archive.bm25.scores(tokens(" ".join(probe.context))) if has_context else None
    context_depth = min(archive.params.context_depth, len(archive)) if has_context else 0
    context_lists = []
    if context_depth:
        context_lists.append(_top(context_bm25, context_depth))
        if nearest is None:
            context_cosines_all = _context_cosines(archive, None, context_vectors)
            context_lists.append(_top(context_cosines_all, context_depth))
        elif context_nearest is not None:
            context_lists.append(np.asarray(context_nearest[:context_depth], dtype=np.int64))
    by_context = np.concatenate(context_lists) if context_lists else np.zeros(0, dtype=np.int64)
    if nearest is None:
        chosen = np.unique(
            np.concatenate([by_words, _top(best_all, depth), by_speaker, by_context])
        )
        dense_rank = _ranks(best_all, chosen)
        top_claim, top_title = float(cos_claim_all.max()), float(cos_title_all.max())
    else:
        chosen = np.unique(
            np.concatenate(
                [by_words, np.asarray(nearest[:depth], dtype=np.int64), by_speaker, by_context]
            )
        )
    cos_claim = archive.claim_vectors[chosen] @ vector
    cos_title = archive.title_vectors[chosen] @ vector
    best_dense = np.maximum(cos_claim, cos_title)
    if nearest is not None:
        dense_rank = _ranks(best_dense, np.arange(len(chosen)))
        top_claim, top_title = float(cos_claim.max()), float(cos_title.max())
    bm25_rank = _ranks(bm25, chosen)
    bm25_claim = archive.bm25_claim.scores_of(probe_tokens, chosen)
    bm25_title = archive.bm25_title.scores_of(probe_tokens, chosen)
    top_bm25 = max(float(bm25.max()), 1e-9)
    probe_words = frozenset(probe_tokens)
    probe_facts = facts_of(probe.text, probe.entities)
    # Each candidate's rank among the speaker's fact-checks (by the better of cosine and BM25).
    speaker_rank = np.full(len(chosen), len(archive), dtype=np.int64)
    if len(pool):
        at = np.minimum(np.searchsorted(pool, chosen), len(pool) - 1)
        in_pool = pool[at] == chosen
        members = at[in_pool]
        speaker_rank[in_pool] = np.minimum(
            _ranks(pool_dense, members), _ranks(pool_bm25, members)
        ).astype(np.int64)
    # Each candidate's place in the context's lists (the better of the two), as for the ranks.
    context_rank = np.full(len(chosen), len(archive), dtype=np.int64)
    for ordered in context_lists:
        place = {int(row): position for position, row in enumerate(ordered)}
        for position, row in enumerate(chosen):
            context_rank[position] = min(context_rank[position], place.get(int(row), len(archive)))
    if has_context:
        context_cosine = _context_cosines(archive, chosen, context_vectors)
        context_share = context_bm25[chosen] / max(float(context_bm25.max()), 1e-9)
    else:
        context_cosine = context_share = np.zeros(len(chosen))
    found = []
    for position, index in enumerate(chosen):
        record = archive.records[index]
        comparison = compare(probe_facts, archive.facts[index])
        words = archive.word_sets[index]
        overlap = len(probe_words & words) / max(len(probe_words | words), 1)
        signed = (probe.date - record.date).days if probe.date and record.date else None
        days = abs(signed) if signed is not None else None
        features = np.array(
            [
                bm25[index],
                bm25[index] / top_bm25,
                bm25_claim[position],
                bm25_title[position],
                1.0 / (1 + bm25_rank[position]),
                cos_claim[position],
                cos_title[position],
                best_dense[position],
                cos_claim[position] - top_claim,
                cos_title[position] - top_title,
                1.0 / (1 + dense_rank[position]),
                overlap,
                min(comparison.shared_figures, 3),
                float(comparison.figure_conflict),
                min(comparison.shared_names, 3),
                comparison.name_jaccard,
                float(comparison.place_conflict or comparison.person_conflict),
                float(bool(archive.speaker_keys[index] & named_keys)),
                float(days is not None),
                float(days is not None and days <= 7),
                math.log1p(days) / math.log(3650) if days is not None else 0.0,
                # A fact-check of a claim stated after this one was said can rarely be its source;
                # one stated long before is the usual repeat (shift between older and newer data).
                float(signed is not None and signed < -1 and not record.date_is_review),
                math.log1p(max(signed, 0)) / math.log(3650) if signed is not None else 0.0,
                1.0 / (_RRF_K + bm25_rank[position]) + 1.0 / (_RRF_K + dense_rank[position]),
                float(has_context),
                context_cosine[position],
                context_share[position],
            ],
            dtype=np.float64,
        )
        found.append(
            Candidate(
                index=int(index),
                features=features,
                comparison=comparison,
                bm25_rank=int(bm25_rank[position]),
                dense_rank=int(dense_rank[position]),
                speaker_rank=int(speaker_rank[position]),
                context_rank=int(context_rank[position]),
            )
        )
    return found


def _context_cosines(
    archive: Archive, rows: np.ndarray | None, context_vectors: np.ndarray
) -> np.ndarray:
    """For each row (all when None), its best cosine (claim or title) to any context sentence."""
    claim_vectors = archive.claim_vectors if rows is None else archive.claim_vectors[rows]
    title_vectors = archive.title_vectors if rows is None else archive.title_vectors[rows]
    context = np.atleast_2d(context_vectors).T
    return np.maximum((claim_vectors @ context).max(axis=1), (title_vectors @ context).max(axis=1))


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def _ranks(scores: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """The rank (0 = best) in the whole archive of each chosen document: how many documents
    score strictly more (ties share the better rank).

    Counted in one pass: only the scores above the lowest chosen one can outrank a chosen
    document (for BM25 that leaves out the many documents sharing no word with the claim), and
    each of them outranks the chosen scores below it, found by bisection among the sorted
    chosen scores. Equal to `(scores > scores[i]).sum()` for each chosen i.
    """
    values = scores[chosen]
    if not len(values):
        return np.zeros(0, dtype=np.float64)
    ordered = np.sort(values)
    above = scores[scores > ordered[0]]
    # How many chosen scores each of them exceeds; outranking[k]: how many exceed ordered[k].
    exceeded = np.searchsorted(ordered, above, side="left")
    counts = np.bincount(exceeded, minlength=len(ordered) + 1)
    at_least = np.cumsum(counts[::-1])[::-1]
    return at_least[np.searchsorted(ordered, values, side="left") + 1].astype(np.float64)
