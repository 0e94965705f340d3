"""The evidence gate: whether a fact-check is near enough to a claim, on their own terms, to be
shown at all.

The re-ranker orders candidates, and several of its features are relative to the other
candidates (the share of the best BM25, reciprocal ranks, rank fusion). In a large archive that
is what makes it good; in a small one the best of a few unrelated fact-checks looks excellent
(`make run`: a fire's death toll was suggested a port's job figures, 0.93, for sharing the
dateline's town). The gate is a logistic regression over features that do not depend on the
rest of the archive (meanings, shared words, figures and names), trained on the same train
pairs; a match is suggested only when the gate lets it through as well. It looks at the claim
alone, not at its context: the sentences around a claim help to rank, but a match is shown only
on the claim's own evidence. Its threshold keeps 95% of the re-ranker's right first
choices in cross-validation. Loaded by checksum, as the re-ranker is.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from matching.ranking.model import (
    MODEL_DIR,
    logistic_arrays,
    read_checked_weights,
    write_checked_weights,
)
from matching.ranking.ranker import FEATURES

GATE_FEATURES = (
    "cosine_claim",
    "cosine_title",
    "cosine_best",
    "word_overlap",
    "shared_figures",
    "figure_conflict",
    "shared_names",
    "name_jaccard",
    "place_or_person_conflict",
)
_COLUMNS = [FEATURES.index(name) for name in GATE_FEATURES]
METADATA_FILE = "evidence_gate.json"


@dataclass(frozen=True)
class EvidenceGate:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """For rows of FEATURES: the probability that the pair is a match on its own terms."""
        z = (np.atleast_2d(features)[:, _COLUMNS] - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))

    def lets_through(self, features: np.ndarray) -> bool:
        return bool(self.probabilities(features)[0] >= self.threshold)


def save_gate(gate: EvidenceGate, metadata: dict, model_dir: Path = MODEL_DIR) -> Path:
    return write_checked_weights(
        model_dir,
        "evidence_gate.npz",
        METADATA_FILE,
        logistic_arrays(gate.mean, gate.scale, gate.coef, gate.intercept),
        {"features": list(GATE_FEATURES), "threshold": gate.threshold, **metadata},
    )


def load_gate(model_dir: Path = MODEL_DIR) -> EvidenceGate:
    metadata, arrays = read_checked_weights(
        model_dir, METADATA_FILE, GATE_FEATURES, "an evidence gate"
    )
    return EvidenceGate(
        mean=arrays["mean"],
        scale=arrays["scale"],
        coef=arrays["coef"],
        intercept=float(arrays["intercept"][0]),
        threshold=metadata["threshold"],
    )


@cache
def default_gate() -> EvidenceGate:
    return load_gate()
