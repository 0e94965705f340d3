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

import datetime as dt
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
        return self.draw_with_topics(count)[0]

    def draw_with_topics(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """`count` unit vectors and the topic of each."""
        out = np.empty((count, self.dim), dtype=np.float32)
        topics = np.empty(count, dtype=np.int64)
        for start in range(0, count, _CHUNK):
            stop = min(count, start + _CHUNK)
            topics[start:stop] = self.rng.integers(0, len(self.topics), stop - start)
            out[start:stop] = self._around(topics[start:stop])
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out, topics

    def draw_in(self, topics: np.ndarray) -> np.ndarray:
        """Unit vectors of new fact-checks of the given topics."""
        out = np.empty((len(topics), self.dim), dtype=np.float32)
        for start in range(0, len(topics), _CHUNK):
            out[start : start + _CHUNK] = self._around(topics[start : start + _CHUNK])
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

    def _around(self, topics: np.ndarray) -> np.ndarray:
        noise = self.rng.standard_normal((len(topics), self.dim), dtype=np.float32)
        rows = (
            self.topics[topics]
            + noise * self.std.astype(np.float32)
            + self.shared.astype(np.float32)
        )
        return rows @ self.basis


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


# --- The whole ranking of a claim ("full" mode) -------------------------------------------------
#
# `run` times the index alone; matching a claim also scores the whole archive by BM25 (claim with
# headline, claim, headline, and the context's words), ranks the chosen candidates among those
# scores, gathers the speaker's fact-checks and scores their cosines directly. `full_run` builds
# an archive of fact-checks WITH texts (ranker.Archive) around the calibrated embeddings and times
# `model.rank` for one claim at a time as `services.claim_match` calls it past
# FACTDESK_MATCH_INDEX_MIN: the claim's and its context's nearest rows from the index, then rank.
#
# The texts: words from a synthetic vocabulary with Zipf-Mandelbrot frequencies (p(r) ~ 1/(r+15),
# fitted by eye to the real archive's stemmed content words: its most frequent word is 0.8% of
# the words, the thousandth is forty times rarer), a few words of the fact-check's topic (so that
# words and meaning agree), stopwords between them, a figure in about a third of the claims, the
# speaker's surname in some claims and headlines. Speakers follow the same kind of law
# (p(r) ~ 1/(r+2) over 5,000: the most frequent owns about 4% of the archive, like "Facebook
# posts" at 5.9% of the real one), and a few of the most frequent are named by common words
# ("Viral image", "Facebook posts" in the real data), which is what makes a claim's speaker pool
# large: any claim using such a word gathers all of their fact-checks.

_VOCABULARY = 100_000
_WORD_SHIFT = 15
_SPEAKERS = 5_000
_SPEAKER_SHIFT = 2
_COMMON_WORD_SPEAKERS = (0, 3, 4, 9)  # speaker ranks named by two common words
_FIRST_NAMES = 200
_TOPIC_WORDS = 8
_STOPWORDS = ("the", "of", "in", "a", "to", "and", "is", "that", "for", "on", "was", "has")
_CONSONANTS = "bcdfghjklmnprstvz"
_VOWELS = "aeiou"
_FIGURES = ("{n} percent", "${n} million", "{n},000 jobs", "{n} people", "{n} billion dollars")
_FIRST_DAY = 732_677  # 2007-01-01 as a proleptic ordinal
_DAYS = 7_300


def _pseudo_words(count: int, rng: np.random.Generator, capitalised: bool = False) -> list[str]:
    """Distinct pronounceable words of 2 to 4 syllables (never a stopword: they are not English)."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        syllables = rng.integers(2, 5)
        word = (
            "".join(
                _CONSONANTS[rng.integers(len(_CONSONANTS))] + _VOWELS[rng.integers(len(_VOWELS))]
                for _ in range(syllables)
            )
            + _CONSONANTS[rng.integers(len(_CONSONANTS))]
        )
        if word not in seen:
            seen.add(word)
            out.append(word.capitalize() if capitalised else word)
    return out


def _zipf(size: int, shift: float) -> np.ndarray:
    weights = 1.0 / (np.arange(size) + 1.0 + shift)
    return np.cumsum(weights / weights.sum())


class SyntheticTexts:
    """Claims, headlines, speakers and dates for fact-checks of given topics (seeded)."""

    def __init__(self, n_topics: int, rng: np.random.Generator) -> None:
        self.rng = rng
        self.words = np.array(_pseudo_words(_VOCABULARY, rng), dtype=object)
        self.word_cdf = _zipf(_VOCABULARY, _WORD_SHIFT)
        # Topic words: from the middle of the vocabulary (neither stopword-like nor hapaxes).
        self.topic_words = rng.integers(200, 20_000, (n_topics, _TOPIC_WORDS))
        # First names repeat far more than surnames (a claim naming "John" gathers every John).
        firsts = _pseudo_words(_FIRST_NAMES, rng, capitalised=True)
        first_of = np.searchsorted(_zipf(_FIRST_NAMES, 1), rng.random(_SPEAKERS))
        lasts = _pseudo_words(_SPEAKERS, rng, capitalised=True)
        self.speakers = [
            f"{firsts[min(f, _FIRST_NAMES - 1)]} {lasts[i]}" for i, f in enumerate(first_of)
        ]
        self.surnames = lasts
        for rank in _COMMON_WORD_SPEAKERS:
            common = self.words[rng.integers(10, 300, 2)]
            self.speakers[rank] = f"{common[0].capitalize()} {common[1]}"
            self.surnames[rank] = common[1]
        self.speaker_cdf = _zipf(_SPEAKERS, _SPEAKER_SHIFT)

    def _draw_words(self, count: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.word_cdf, self.rng.random(count)), _VOCABULARY - 1)

    def speaker_ids(self, count: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.speaker_cdf, self.rng.random(count)), _SPEAKERS - 1)

    def sentences(
        self, topics: np.ndarray, lengths: np.ndarray, speakers: np.ndarray, figure, named
    ) -> list[str]:
        """One sentence per topic: `lengths` content words (a quarter of them the topic's),
        stopwords between, a figure where `figure` says, the speaker's surname first where
        `named` says. Drawn in bulk: a million fact-checks take seconds, not minutes."""
        rng = self.rng
        lengths = np.asarray(lengths, dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        drawn = self._draw_words(int(offsets[-1]))
        owns = np.maximum(lengths // 4, 1)
        sentence_of = np.repeat(np.arange(len(lengths)), owns)
        at = offsets[sentence_of] + (rng.random(len(sentence_of)) * lengths[sentence_of]).astype(
            np.int64
        )
        drawn[at] = self.topic_words[
            np.asarray(topics)[sentence_of], rng.integers(0, _TOPIC_WORDS, len(sentence_of))
        ]
        stops = np.array(_STOPWORDS, dtype=object)[rng.integers(0, len(_STOPWORDS), len(drawn))]
        words = np.where(
            rng.random(len(drawn)) < 0.4, stops + " " + self.words[drawn], self.words[drawn]
        )
        figures = rng.integers(0, len(_FIGURES), len(lengths))
        numbers = rng.integers(2, 100, len(lengths))
        places = rng.random(len(lengths))
        out = []
        for i, length in enumerate(lengths.tolist()):
            parts = words[offsets[i] : offsets[i] + length].tolist()
            if figure[i]:
                parts.insert(
                    int(places[i] * (length + 1)), _FIGURES[figures[i]].format(n=numbers[i])
                )
            if named[i]:
                parts.insert(0, self.surnames[speakers[i]])
            out.append(" ".join(parts))
        return out

    def records(self, topics: np.ndarray):
        from matching.ranking.ranker import FactCheckRecord

        rng = self.rng
        n = len(topics)
        speakers = self.speaker_ids(n)
        days = rng.integers(0, _DAYS, n)
        claims = self.sentences(
            topics, rng.integers(5, 18, n), speakers, rng.random(n) < 0.38, rng.random(n) < 0.1
        )
        titles = self.sentences(
            topics, rng.integers(5, 12, n), speakers, np.zeros(n, bool), rng.random(n) < 0.5
        )
        reviewed = rng.random(n) < 0.1
        return [
            FactCheckRecord(
                claim=claims[row],
                title=titles[row],
                speaker=self.speakers[speakers[row]],
                date=dt.date.fromordinal(_FIRST_DAY + int(days[row])),
                date_is_review=bool(reviewed[row]),
            )
            for row in range(n)
        ]

    def sentence(self, topic: int, length: int) -> str:
        return self.sentences(
            np.array([topic]), np.array([length]), np.zeros(1, int), [False], [False]
        )[0]

    def query(self, record, topic: int) -> tuple[str, str]:
        """A new claim repeating an archived one: half to most of its words, a few others."""
        rng = self.rng
        words = record.claim.split()
        kept = [w for w in words if rng.random() < rng.uniform(0.5, 0.9)]
        noise = self.sentence(topic, int(rng.integers(2, 7)))
        text = " ".join(kept + noise.split())
        speaker = record.speaker if rng.random() < 0.7 else self.speakers[self.speaker_ids(1)[0]]
        return text, speaker


def _rss_mb() -> float:
    """The process's resident memory now (ru_maxrss is the peak)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def full_run(
    *,
    archive_size: int,
    queries: int = 200,
    dim: int = 384,
    seed: int = 0,
    shortlist: int = ann.SHORTLIST,
    profile: str | None = None,
) -> dict:
    """Times the whole ranking of one claim (its own and its context's index searches, then
    `rank`) on a synthetic archive with texts; `baseline_p50_ms` is the claim's index search
    alone in the same run. `profile`: a path to write cProfile statistics of the rankings to."""
    from matching.ranking.model import default_model
    from matching.ranking.ranker import Archive, Probe

    load_before = os.getloadavg()[0]
    rng = np.random.default_rng(seed)
    model = default_model()
    started = time.perf_counter()
    draw = CalibratedGenerator(archive_size, dim, rng)
    claim_vectors, topics = draw.draw_with_topics(archive_size)
    # A headline says the claim in other words: its embedding is near the claim's, in its topic.
    title_vectors = draw.draw_in(topics)
    title_vectors += claim_vectors
    title_vectors /= np.linalg.norm(title_vectors, axis=1, keepdims=True)
    texts = SyntheticTexts(len(draw.topics), rng)
    records = texts.records(topics)
    generate_s = time.perf_counter() - started
    rss_before = _rss_mb()
    started = time.perf_counter()
    archive = Archive(records, claim_vectors, title_vectors, model.params)
    build_s = time.perf_counter() - started
    archive_mb = _rss_mb() - rss_before
    started = time.perf_counter()
    index = ann.build_index(np.arange(archive_size), claim_vectors, dim=dim, shortlist=shortlist)
    index_build_s = time.perf_counter() - started

    depth = model.params.depth
    probes, vectors, contexts = [], [], []
    for row in rng.integers(0, archive_size, queries):
        record, topic = records[row], int(topics[row])
        text, speaker = texts.query(record, topic)
        context = tuple(texts.sentence(topic, int(rng.integers(4, 12))) for _ in range(2))
        when = record.date + dt.timedelta(days=int(rng.integers(0, 400)))
        probes.append(Probe(text=text, speaker=speaker, date=when, context=context))
        vectors.append(draw.draw_in(np.array([topic]))[0])
        contexts.append(draw.draw_in(np.array([topic, topic])))

    timings, baseline, rank_only, pools, pool_cosines = [], [], [], [], []
    for probe, vector, context_vectors in zip(probes, vectors, contexts, strict=True):
        started = time.perf_counter()
        index.search(vector, depth)
        baseline.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        ranking_started = _match_one(model, archive, index, probe, vector, context_vectors)
        finished = time.perf_counter()
        timings.append(1000 * (finished - started))
        rank_only.append(1000 * (finished - ranking_started))
        pool = archive.speaker_rows(_named_keys(probe))
        pools.append(len(pool) / archive_size)
        # What the pool's cosines cost on their own (within the ranking, as it computes them).
        started = time.perf_counter()
        np.maximum(archive.claim_vectors[pool] @ vector, archive.title_vectors[pool] @ vector)
        pool_cosines.append(1000 * (time.perf_counter() - started))
    if profile:
        # Profiled in a second pass, so that the profiler's overhead is not in the timings.
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        for probe, vector, context_vectors in zip(probes, vectors, contexts, strict=True):
            _match_one(model, archive, index, probe, vector, context_vectors)
        profiler.disable()
        profiler.dump_stats(profile)
    p50 = float(np.percentile(timings, 50))
    base = float(np.percentile(baseline, 50))
    return {
        "archive": archive_size,
        "mode": "full",
        "p50_ms": round(p50, 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "rank_p50_ms": round(float(np.percentile(rank_only, 50)), 2),
        "baseline_p50_ms": round(base, 2),
        "pool_cosines_p50_p95_ms": [
            round(float(np.percentile(pool_cosines, 50)), 2),
            round(float(np.percentile(pool_cosines, 95)), 2),
        ],
        "ratio": round(p50 / max(base, 1e-9), 1),
        "build_s": round(build_s, 1),
        "index_build_s": round(index_build_s, 1),
        "generate_s": round(generate_s, 1),
        "archive_mb": round(archive_mb, 1),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "speaker_pool_share_p50_p90_max": [
            round(float(np.percentile(pools, 50)), 4),
            round(float(np.percentile(pools, 90)), 4),
            round(float(np.max(pools)), 4),
        ],
        "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def _match_one(model, archive, index, probe, vector, context_vectors) -> float:
    """As services.claim_match past FACTDESK_MATCH_INDEX_MIN: the claim's and its context's
    nearest rows from the index, then the ranking. Returns when the ranking started."""
    from matching.ranking.model import rank

    depth, context_depth = model.params.depth, model.params.context_depth
    nearest = np.asarray(ann.nearest_keys(index, [vector], depth), dtype=np.int64)
    context_nearest = np.asarray(
        ann.nearest_keys(index, context_vectors, context_depth), dtype=np.int64
    )
    started = time.perf_counter()
    rank(model, archive, probe, vector, nearest, context_vectors, context_nearest)
    return started


def _named_keys(probe) -> set[str]:
    from matching.ranking.text import name_keys

    return name_keys(probe.text) | name_keys(probe.speaker)
