"""The evidence gate: whether a fact-check is near enough to a claim, on their own terms, to be
shown at all.

The re-ranker orders candidates, and several of its features are relative to the other
candidates (the share of the best BM25, reciprocal ranks, rank fusion). In a large archive that
is what makes it good; in a small one the best of a few unrelated fact-checks looks excellent
(`make run`: a fire's death toll was suggested a port's job figures, 0.93, for sharing the
dateline's town). The gate is a logistic regression over features that do not depend on the
rest of the archive (meanings, shared words, figures and names), trained on the same train
pairs; a match is suggested only when the gate lets it through as well. Its threshold keeps 95%
of the re-ranker's right first choices in cross-validation. Loaded by checksum, as the
re-ranker is.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from matching.ranking.model import MODEL_DIR, ModelChecksumError
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
    model_dir.mkdir(parents=True, exist_ok=True)
    weights = model_dir / "evidence_gate.npz"
    with weights.open("wb") as handle:
        np.savez(
            handle,
            mean=gate.mean,
            scale=gate.scale,
            coef=gate.coef,
            intercept=np.array([gate.intercept]),
        )
    record = {
        "weights_file": weights.name,
        "sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        "features": list(GATE_FEATURES),
        "threshold": gate.threshold,
        **metadata,
    }
    (model_dir / METADATA_FILE).write_text(json.dumps(record, indent=2) + "\n")
    return weights


def load_gate(model_dir: Path = MODEL_DIR) -> EvidenceGate:
    metadata = json.loads((model_dir / METADATA_FILE).read_text())
    weights_path = model_dir / metadata["weights_file"]
    digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
    if digest != metadata["sha256"]:
        raise ModelChecksumError(
            f"{weights_path} has sha256 {digest} but {METADATA_FILE} expects {metadata['sha256']}"
        )
    if tuple(metadata["features"]) != GATE_FEATURES:
        raise ModelChecksumError(f"{METADATA_FILE} was trained on other features")
    with np.load(weights_path) as arrays:
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
