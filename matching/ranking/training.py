"""Reading the claim-matching data, training the re-ranker on train queries, measuring it."""

import csv
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from claims.extraction.embeddings import embed
from claims.extraction.entities import entities_of, entity_docs
from matching.ranking.gate import GATE_FEATURES, EvidenceGate
from matching.ranking.model import Reranker, rank
from matching.ranking.ranker import (
    FEATURES,
    Archive,
    FactCheckRecord,
    Params,
    Probe,
    candidates,
    date_stated,
)

_QUERY_ID = re.compile(r"^(?P<date>\d{8})_(?P<event>.+?)(?:_\d+)?$")
_QUERY_LINE = re.compile(r"^(?P<transcript>.+)_(?P<line>\d+)$")
TOP_K = 5


@dataclass(frozen=True)
class MatchingData:
    ids: list[str]
    records: list[FactCheckRecord]
    queries: dict[str, str]


def read_vclaims(path: Path) -> tuple[list[str], list[FactCheckRecord]]:
    ids, records = [], []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                ids.append(row["vclaim_id"])
            except (json.JSONDecodeError, KeyError) as error:
                raise ValueError(f"{path}:{number}: not a vclaim record ({error})") from error
            records.append(
                FactCheckRecord(
                    claim=row.get("vclaim") or "",
                    title=row.get("title") or "",
                    speaker=row.get("speaker") or "",
                    date=date_stated(row.get("date") or ""),
                )
            )
    return ids, records


def read_queries(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row[0]: row[1]
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if len(row) >= 2
        }


def read_qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                relevant.setdefault(parts[0], set()).add(parts[2])
    return relevant


def probe_for(query_id: str, text: str) -> Probe:
    """A query as a claim: its id names the event's date and, often, the speaker's name."""
    match = _QUERY_ID.match(query_id)
    if not match:
        return Probe(text=text)
    raw = match.group("date")
    try:
        when = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        when = None
    return Probe(text=text, speaker=match.group("event").replace("_", " "), date=when)


def context_ids(query_ids: Sequence[str], window: int) -> dict[str, list[str]]:
    """For each query, the other queries of its transcript within `window` lines of it, nearest
    first (the earlier first on a tie). The queries file is the only part of a transcript the
    data hold, so a query's context is the listed sentences near it."""
    lines: dict[str, list[tuple[int, str]]] = {}
    for query_id in query_ids:
        match = _QUERY_LINE.match(query_id)
        if match:
            lines.setdefault(match.group("transcript"), []).append(
                (int(match.group("line")), query_id)
            )
    context: dict[str, list[str]] = {}
    for query_id in query_ids:
        match = _QUERY_LINE.match(query_id)
        if not match or window <= 0:
            context[query_id] = []
            continue
        line = int(match.group("line"))
        near = [
            (abs(other - line), other, other_id)
            for other, other_id in lines[match.group("transcript")]
            if other_id != query_id and abs(other - line) <= window
        ]
        context[query_id] = [other_id for _, _, other_id in sorted(near)]
    return context


def event_of(query_id: str) -> str:
    match = _QUERY_ID.match(query_id)
    return match.group("date") + match.group("event") if match else query_id


def average_precision(ranked: Sequence[str], relevant: set[str], k: int = TOP_K) -> float:
    """AP@k as the CheckThat! scorer computes it: divided by the number of relevant items."""
    found, total = 0, 0.0
    for position, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            found += 1
            total += found / position
    return total / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    for position, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


@dataclass
class QueryCandidates:
    query_id: str
    indices: np.ndarray
    features: np.ndarray
    labels: np.ndarray
    ranks: np.ndarray
    speaker_ranks: np.ndarray
    context_ranks: np.ndarray

    def at_depth(self, depth: int, speaker_depth: int, context_depth: int) -> "QueryCandidates":
        """The candidates that smaller depths would have gathered."""
        keep = (
            (self.ranks < depth)
            | (self.speaker_ranks < speaker_depth)
            | (self.context_ranks < context_depth)
        )
        return QueryCandidates(
            self.query_id,
            self.indices[keep],
            self.features[keep],
            self.labels[keep],
            self.ranks[keep],
            self.speaker_ranks[keep],
            self.context_ranks[keep],
        )


def gather(
    archive: Archive,
    ids: Sequence[str],
    qrels: dict[str, set[str]],
    probes: dict[str, Probe],
    vectors: dict[str, np.ndarray],
    contexts: dict[str, np.ndarray],
) -> list[QueryCandidates]:
    gathered = []
    for query_id in sorted(qrels):
        found = candidates(
            archive, probes[query_id], vectors[query_id], None, contexts.get(query_id)
        )
        gathered.append(
            QueryCandidates(
                query_id=query_id,
                indices=np.array([c.index for c in found]),
                features=np.vstack([c.features for c in found]),
                labels=np.array([ids[c.index] in qrels[query_id] for c in found], dtype=int),
                ranks=np.array([min(c.bm25_rank, c.dense_rank) for c in found]),
                speaker_ranks=np.array([c.speaker_rank for c in found]),
                context_ranks=np.array([c.context_rank for c in found]),
            )
        )
    return gathered


def fit(gathered: Sequence[QueryCandidates], *, c: float, params: Params) -> Reranker:
    mean, scale, coef, intercept = _standardised_logistic(
        np.vstack([g.features for g in gathered]),
        np.concatenate([g.labels for g in gathered]),
        C=c,
    )
    return Reranker(
        mean=mean,
        scale=scale,
        coef=coef,
        intercept=intercept,
        params=params,
        suggest_threshold=0.5,
        auto_threshold=0.9,
    )


def _standardised_logistic(features: np.ndarray, labels: np.ndarray, **options) -> tuple:
    """(mean, scale, coef, intercept) of a logistic regression on standardised features."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(max_iter=2000, **options)
    regression.fit((features - mean) / scale, labels)
    return mean, scale, regression.coef_[0], float(regression.intercept_[0])


def _event_folds(
    gathered: Sequence[QueryCandidates], folds: int
) -> Iterator[tuple[list[QueryCandidates], list[QueryCandidates]]]:
    """(train, held out) per fold, each event's queries kept together (no event on both sides)."""
    events = sorted({event_of(g.query_id) for g in gathered})
    fold_of = {event: number % folds for number, event in enumerate(events)}
    for fold in range(folds):
        train = [g for g in gathered if fold_of[event_of(g.query_id)] != fold]
        held = [g for g in gathered if fold_of[event_of(g.query_id)] == fold]
        if train and held:
            yield train, held


def measure(
    model: Reranker,
    gathered: Sequence[QueryCandidates],
    ids: Sequence[str],
    qrels: dict[str, set[str]],
) -> dict[str, float]:
    aps, rrs = [], []
    for g in gathered:
        order = np.argsort(-model.scores(g.features), kind="stable")
        ranked = [ids[i] for i in g.indices[order]]
        aps.append(average_precision(ranked, qrels[g.query_id]))
        rrs.append(reciprocal_rank(ranked, qrels[g.query_id]))
    return {"n": len(gathered), "map_at_5": float(np.mean(aps)), "mrr": float(np.mean(rrs))}


def cross_validate(
    gathered: Sequence[QueryCandidates],
    ids: Sequence[str],
    qrels: dict[str, set[str]],
    *,
    c: float,
    params: Params,
    folds: int = 5,
) -> tuple[float, list[tuple[float, int]]]:
    """MAP@5 over folds that keep each event's queries together (no event on both sides), and
    every held-out candidate's score with whether it was right."""
    aps, scored = [], []
    for train, held in _event_folds(gathered, folds):
        model = fit(train, c=c, params=params)
        for g in held:
            aps.append(measure(model, [g], ids, qrels)["map_at_5"])
            scores = model.scores(g.features)
            scored.extend(zip(scores.tolist(), g.labels.tolist(), strict=True))
    return float(np.mean(aps)), scored


def choose_and_fit(
    gathered_by_window: dict[int, list[QueryCandidates]],
    ids: Sequence[str],
    qrels: dict[str, set[str]],
    *,
    k1: float,
    b: float,
    depths: Sequence[int],
    cs: Sequence[float],
    speaker_depths: Sequence[int] = (0,),
    context_depths: Sequence[int] = (0,),
    suggest_precision: float = 0.75,
    auto_precision: float = 0.95,
) -> tuple[Reranker, dict]:
    """Depths, context window and regularisation by cross-validation on these (train) queries
    (`gathered_by_window`: the candidates gathered at the largest depths with each context
    window); the thresholds from the held-out scores of the chosen setting; the model refitted
    on all of them. Ties go to the smaller depths and windows."""
    trials = []
    for window, gathered in sorted(gathered_by_window.items()):
        for depth in depths:
            for speaker_depth in speaker_depths:
                for context_depth in context_depths if window else (0,):
                    at_depth = [g.at_depth(depth, speaker_depth, context_depth) for g in gathered]
                    for c in cs:
                        params = Params(
                            k1=k1,
                            b=b,
                            depth=depth,
                            speaker_depth=speaker_depth,
                            context_window=window,
                            context_depth=context_depth,
                        )
                        score, scored = cross_validate(at_depth, ids, qrels, c=c, params=params)
                        key = (score, -depth, -speaker_depth, -window, -context_depth, c)
                        trials.append((key, params, scored, at_depth))
    (score, *_, c), params, scored, at_depth = max(trials, key=lambda t: t[0])
    model = fit(at_depth, c=c, params=params)
    ranked = sorted(scored, reverse=True)
    model = replace(
        model,
        suggest_threshold=_lowest_score_at(ranked, suggest_precision),
        auto_threshold=_lowest_score_at(ranked, auto_precision),
    )
    report = {
        "cv_map_at_5": round(score, 4),
        "c": c,
        "grid": [
            {
                "depth": p.depth,
                "speaker_depth": p.speaker_depth,
                "context_window": p.context_window,
                "context_depth": p.context_depth,
                "c": key[-1],
                "cv_map_at_5": round(key[0], 4),
            }
            for key, p, _, _ in trials
        ],
        "suggest_precision": suggest_precision,
        "auto_precision": auto_precision,
    }
    return model, report


def _lowest_score_at(scored: list[tuple[float, int]], precision: float) -> float:
    """Walking down the scores, the last one at which precision over those above holds: every
    candidate at or above it is shown, so all of them count, not only each claim's first."""
    chosen, right = 1.0, 0
    for count, (score, label) in enumerate(scored, start=1):
        right += label
        if right / count >= precision:
            chosen = score
    return round(chosen, 3)


def evaluate(
    model: Reranker,
    archive: Archive,
    ids: Sequence[str],
    queries: dict[str, str],
    qrels: dict[str, set[str]],
) -> dict[str, float]:
    """Ranks the archive for each query; the time per query includes finding its entities and
    encoding it."""
    query_ids = sorted(q for q in qrels if q in queries)
    prepare_probes({"warm-up": "Loading the models is not timed."}, ["warm-up"], None)
    started = time.perf_counter()
    probes, vectors, contexts = prepare_probes(
        queries, query_ids, None, model.params.context_window
    )
    aps, rrs = [], []
    for query_id in query_ids:
        found = rank(
            model,
            archive,
            probes[query_id],
            vectors[query_id],
            context_vectors=contexts.get(query_id),
        )
        ranked = [ids[c.index] for c in found]
        aps.append(average_precision(ranked, qrels[query_id]))
        rrs.append(reciprocal_rank(ranked, qrels[query_id]))
    elapsed = time.perf_counter() - started
    n = len(query_ids)
    return {
        "n": n,
        "map_at_5": round(float(np.mean(aps)), 4) if n else 0.0,
        "mrr": round(float(np.mean(rrs)), 4) if n else 0.0,
        "ms_per_query": round(1000 * elapsed / max(n, 1), 1),
    }


def _cached(cache: Path | None, kind: str, texts: Sequence[str], compute: Callable, load, save):
    if cache is None:
        return compute(list(texts))
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{kind}-{digest}"
    try:
        return load(path)
    except FileNotFoundError:
        result = compute(list(texts))
        cache.mkdir(parents=True, exist_ok=True)
        save(path, result)
        return result


def embeddings(texts: Sequence[str], cache: Path | None = None) -> np.ndarray:
    """MiniLM embeddings (claims.extraction.embeddings), kept in `cache` when one is given."""
    return _cached(
        cache,
        "minilm",
        texts,
        embed,
        lambda path: np.load(path.with_suffix(".npy")),
        lambda path, value: np.save(path.with_suffix(".npy"), value),
    )


def named_entities(texts: Sequence[str], cache: Path | None = None) -> list[tuple]:
    """(text, label) pairs per text from claims.extraction.entities, cached like embeddings."""

    def compute(items: list[str]) -> list[tuple]:
        return [
            tuple((e["text"], e["label"]) for e in entities_of(doc)) for doc in entity_docs(items)
        ]

    def load(path: Path) -> list[tuple]:
        stored = json.loads(path.with_suffix(".json").read_text())
        return [tuple(tuple(pair) for pair in row) for row in stored]

    return _cached(
        cache,
        "entities",
        texts,
        compute,
        load,
        lambda path, value: path.with_suffix(".json").write_text(json.dumps(value)),
    )


def prepare_archive(vclaims: Path, params: Params, cache: Path | None) -> tuple[list[str], Archive]:
    ids, records = read_vclaims(vclaims)
    claims = [r.claim for r in records]
    titles = [r.title for r in records]
    claim_entities = named_entities(claims, cache)
    title_entities = named_entities(titles, cache)
    records = [
        replace(r, entities=a + b)
        for r, a, b in zip(records, claim_entities, title_entities, strict=True)
    ]
    archive = Archive(records, embeddings(claims, cache), embeddings(titles, cache), params)
    return ids, archive


def prepare_probes(
    queries: dict[str, str], query_ids: Sequence[str], cache: Path | None, context_window: int = 0
) -> tuple[dict[str, Probe], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The probes of `query_ids`, their embeddings and the embeddings of each one's context
    (the queries of `queries` within `context_window` lines in the same transcript)."""
    texts = [queries[q] for q in query_ids]
    entities = named_entities(texts, cache)
    near = context_ids(sorted(queries), context_window)
    probes = {
        q: replace(probe_for(q, queries[q]), entities=e, context=tuple(queries[c] for c in near[q]))
        for q, e in zip(query_ids, entities, strict=True)
    }
    needed = sorted(set(query_ids).union(*(near[q] for q in query_ids)))
    vectors = dict(zip(needed, embeddings([queries[q] for q in needed], cache), strict=True))
    contexts = {q: np.array([vectors[c] for c in near[q]]) for q in query_ids if near[q]}
    return probes, {q: vectors[q] for q in query_ids}, contexts


def fit_gate(
    gathered: Sequence[QueryCandidates], reranker: Reranker, *, keep: float = 0.95, folds: int = 5
) -> tuple[EvidenceGate, dict]:
    """The evidence gate (matching/ranking/gate.py) on every candidate of these (train)
    queries, its threshold the out-of-fold gate probability that keeps `keep` of the
    re-ranker's right first choices (folds by event, as in `cross_validate`)."""
    right_first = []
    for train, held in _event_folds(gathered, folds):
        gate = _fit_gate(train)
        for g in (g for g in held if len(g.labels)):
            best = int(np.argmax(reranker.scores(g.features)))
            if g.labels[best]:
                right_first.append(float(gate.probabilities(g.features[best])[0]))
    threshold = round(float(np.quantile(right_first, 1.0 - keep)), 3)
    gate = replace(_fit_gate(gathered), threshold=threshold)
    return gate, {"keeps_right_first_choices": keep, "right_first_choices": len(right_first)}


def _fit_gate(gathered: Sequence[QueryCandidates]) -> EvidenceGate:
    columns = [FEATURES.index(name) for name in GATE_FEATURES]
    mean, scale, coef, intercept = _standardised_logistic(
        np.vstack([g.features[:, columns] for g in gathered]),
        np.concatenate([g.labels for g in gathered]),
        C=1.0,
        class_weight="balanced",
    )
    return EvidenceGate(mean=mean, scale=scale, coef=coef, intercept=intercept, threshold=0.5)
