"""Measure the same-claim decision on labelled sentence pairs and choose its cosine threshold.

A pair file holds one JSON object a line: `{"a": text, "a_date": "YYYY-MM-DD", "b": ...,
"b_date": ..., "same": bool, "kind": "...", "story": "..."}`. Each sentence is read by the
engine's own steps (entities, figures, dates resolved against its date, embedding).
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from claims.extraction.dates import resolve_dates
from claims.extraction.embeddings import embed
from claims.extraction.entities import entities_of, entity_docs
from claims.extraction.figures import find_figures
from claims.extraction.sameclaim import (
    SAME_CLAIM_THRESHOLD,
    ClaimFacts,
    cosine,
    facts_conflict,
)

THRESHOLDS = tuple(round(0.50 + 0.01 * step, 2) for step in range(50))


@dataclass(frozen=True)
class LabelledPair:
    a: ClaimFacts
    b: ClaimFacts
    same: bool
    kind: str
    story: str

    @property
    def similarity(self) -> float:
        return cosine(self.a.embedding, self.b.embedding)


def read_pairs(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def analyse_sentences(sentences: Sequence[tuple[str, date | None]]) -> list[ClaimFacts]:
    """The facts the engine finds in each (sentence, publication date), read as one article each."""
    texts = [text for text, _ in sentences]
    vectors = embed(texts)
    facts = []
    for (text, published), doc, vector in zip(sentences, entity_docs(texts), vectors, strict=True):
        entities = entities_of(doc)
        facts.append(
            ClaimFacts(
                embedding=vector,
                figures=find_figures(text),
                dates=resolve_dates(entities, published),
                entities=entities,
            )
        )
    return facts


def labelled_pairs(rows: Iterable[dict]) -> list[LabelledPair]:
    rows = list(rows)
    sentences = []
    for row in rows:
        sentences.append((row["a"], _date(row.get("a_date"))))
        sentences.append((row["b"], _date(row.get("b_date"))))
    facts = analyse_sentences(sentences)
    return [
        LabelledPair(facts[2 * i], facts[2 * i + 1], bool(row["same"]), row["kind"], row["story"])
        for i, row in enumerate(rows)
    ]


def scores(pairs: Sequence[LabelledPair], threshold: float, *, guard: bool = True) -> dict:
    true_pos = false_pos = false_neg = 0
    for pair in pairs:
        predicted = pair.similarity >= threshold and not (guard and facts_conflict(pair.a, pair.b))
        true_pos += predicted and pair.same
        false_pos += predicted and not pair.same
        false_neg += (not predicted) and pair.same
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def best_threshold(pairs: Sequence[LabelledPair], *, guard: bool = True) -> float:
    """The middle of the widest run of thresholds with the best F1 (ties: the middle run)."""
    by_threshold = [(t, scores(pairs, t, guard=guard)["f1"]) for t in THRESHOLDS]
    best = max(f1 for _, f1 in by_threshold)
    runs: list[list[float]] = []
    for threshold, f1 in by_threshold:
        if f1 == best and runs and runs[-1][-1] == round(threshold - 0.01, 2):
            runs[-1].append(threshold)
        elif f1 == best:
            runs.append([threshold])
    widest = max(runs, key=len)
    return widest[len(widest) // 2]


def evaluate(pairs: Sequence[LabelledPair]) -> dict:
    """Figures at the committed threshold, the threshold the pairs choose, and a held-out check."""
    stories = sorted({pair.story for pair in pairs})
    held_out = {}
    for story in stories:
        chosen = best_threshold([p for p in pairs if p.story != story])
        held_out[story] = {
            "threshold": chosen,
            **scores([p for p in pairs if p.story == story], chosen),
        }
    same = [p.similarity for p in pairs if p.same]
    different = [p.similarity for p in pairs if not p.same]
    return {
        "pairs": len(pairs),
        "same": len(same),
        "different": len(different),
        "threshold": SAME_CLAIM_THRESHOLD,
        **scores(pairs, SAME_CLAIM_THRESHOLD),
        "cosine_only": scores(pairs, SAME_CLAIM_THRESHOLD, guard=False),
        "chosen_threshold": best_threshold(pairs),
        "chosen_threshold_cosine_only": best_threshold(pairs, guard=False),
        "cosine_only_best": scores(pairs, best_threshold(pairs, guard=False), guard=False),
        "min_same_similarity": round(min(same), 4) if same else None,
        "max_different_similarity": round(max(different), 4) if different else None,
        "held_out_story": held_out,
        "errors": [
            f"{pair.kind} {pair.story} {pair.similarity:.2f}"
            for pair in pairs
            if (pair.similarity >= SAME_CLAIM_THRESHOLD and not facts_conflict(pair.a, pair.b))
            != pair.same
        ],
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
