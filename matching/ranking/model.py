"""The committed re-ranker: a logistic regression over FEATURES, loaded by checksum."""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from matching.ranking.ranker import FEATURES, Archive, Candidate, Params, Probe, candidates

MODEL_DIR = Path(__file__).resolve().parent / "models"
METADATA_FILE = "reranker.json"
# A claim this near in meaning to a checked claim is a repeat of it whatever the dates say: its
# score is at least the cosine. Out of fold on the train queries, 42 of the 47 candidates at 0.85
# or more are right, but only one of them was checked over a year before its query, so the
# regression's penalty for an old check is an extrapolation there: it gave a paraphrase at 0.91
# of a check two years old 0.30.
NEAR_DUPLICATE_COSINE = 0.85
_COSINE_BEST = FEATURES.index("cosine_best")


class ModelChecksumError(RuntimeError):
    pass


@dataclass(frozen=True)
class Reranker:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    params: Params
    suggest_threshold: float
    auto_threshold: float

    def scores(self, features: np.ndarray) -> np.ndarray:
        """The probability that each row's fact-check checks the claim."""
        if features.size == 0:
            return np.zeros(0)
        z = (np.atleast_2d(features) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))


def write_checked_weights(
    model_dir: Path, weights_name: str, metadata_file: str, arrays: dict, record: dict
) -> Path:
    """The arrays as `weights_name` (npz) and, as `metadata_file`, the record with the file's
    name and sha256, which `read_checked_weights` insists on."""
    model_dir.mkdir(parents=True, exist_ok=True)
    weights = model_dir / weights_name
    with weights.open("wb") as handle:
        np.savez(handle, **arrays)
    record = {
        "weights_file": weights.name,
        "sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        **record,
    }
    (model_dir / metadata_file).write_text(json.dumps(record, indent=2) + "\n")
    return weights


def read_checked_weights(
    model_dir: Path, metadata_file: str, features: tuple[str, ...], what: str
) -> tuple[dict, dict]:
    """The metadata and arrays `write_checked_weights` wrote, refused (ModelChecksumError) if
    the weights' bytes or the features differ from what was measured."""
    metadata = json.loads((model_dir / metadata_file).read_text())
    weights_path = model_dir / metadata["weights_file"]
    digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
    if digest != metadata["sha256"]:
        raise ModelChecksumError(
            f"{weights_path} has sha256 {digest} but {metadata_file} expects "
            f"{metadata['sha256']}: refusing to load {what} other than the one measured"
        )
    if tuple(metadata["features"]) != features:
        raise ModelChecksumError(f"{metadata_file} was trained on other features than {what}'s")
    with np.load(weights_path) as arrays:
        return metadata, {name: arrays[name] for name in arrays.files}


def logistic_arrays(mean, scale, coef, intercept: float) -> dict:
    return {"mean": mean, "scale": scale, "coef": coef, "intercept": np.array([intercept])}


def save_model(model: Reranker, metadata: dict, model_dir: Path = MODEL_DIR) -> Path:
    return write_checked_weights(
        model_dir,
        "reranker.npz",
        METADATA_FILE,
        logistic_arrays(model.mean, model.scale, model.coef, model.intercept),
        {
            "features": list(FEATURES),
            "k1": model.params.k1,
            "b": model.params.b,
            "depth": model.params.depth,
            "speaker_depth": model.params.speaker_depth,
            "context_window": model.params.context_window,
            "context_depth": model.params.context_depth,
            "suggest_threshold": model.suggest_threshold,
            "auto_threshold": model.auto_threshold,
            **metadata,
        },
    )


def load_model(model_dir: Path = MODEL_DIR) -> Reranker:
    metadata, arrays = read_checked_weights(model_dir, METADATA_FILE, FEATURES, "a re-ranker")
    return Reranker(
        mean=arrays["mean"],
        scale=arrays["scale"],
        coef=arrays["coef"],
        intercept=float(arrays["intercept"][0]),
        params=Params(
            k1=metadata["k1"],
            b=metadata["b"],
            depth=metadata["depth"],
            speaker_depth=metadata.get("speaker_depth", 0),
            context_window=metadata.get("context_window", 0),
            context_depth=metadata.get("context_depth", 0),
        ),
        suggest_threshold=metadata["suggest_threshold"],
        auto_threshold=metadata["auto_threshold"],
    )


@cache
def default_model() -> Reranker:
    return load_model()


def rank(
    model: Reranker,
    archive: Archive,
    probe: Probe,
    vector: np.ndarray,
    nearest: np.ndarray | None = None,
    context_vectors: np.ndarray | None = None,
    context_nearest: np.ndarray | None = None,
) -> list[Candidate]:
    """The archive's candidates for a claim, best first, each with its score (`nearest` and
    `context_nearest`: rows found by a nearest-neighbour index, see ranker.candidates)."""
    found = candidates(archive, probe, vector, nearest, context_vectors, context_nearest)
    if not found:
        return []
    scores = model.scores(np.vstack([c.features for c in found]))
    for candidate, score in zip(found, scores, strict=True):
        cosine = float(candidate.features[_COSINE_BEST])
        candidate.score = (
            max(float(score), cosine) if cosine >= NEAR_DUPLICATE_COSINE else float(score)
        )
    return sorted(found, key=lambda c: (-c.score, c.index))
