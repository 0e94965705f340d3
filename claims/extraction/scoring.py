"""The check-worthiness model: a committed weights file, verified by checksum, applied in numpy."""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from claims.extraction.embeddings import ModelChecksumError
from claims.extraction.features import FEATURE_NAMES

MODEL_DIR = Path(__file__).parent / "models"
METADATA_FILE = "checkworthiness.json"


@dataclass(frozen=True)
class CheckworthinessModel:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    metadata: dict

    def scores(self, inputs: np.ndarray) -> np.ndarray:
        """Probability that each row of `inputs` (see `model_inputs`) is a check-worthy claim."""
        logits = ((inputs - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))


def model_inputs(embeddings: np.ndarray, features: np.ndarray) -> np.ndarray:
    return np.hstack([embeddings, features]).astype(np.float32)


def load_model(model_dir: Path = MODEL_DIR) -> CheckworthinessModel:
    metadata = json.loads((model_dir / METADATA_FILE).read_text())
    weights_path = model_dir / metadata["weights_file"]
    digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
    if digest != metadata["sha256"]:
        raise ModelChecksumError(
            f"{weights_path} has sha256 {digest} but {METADATA_FILE} expects {metadata['sha256']}: "
            "the weights were changed without retraining; run manage.py train_checkworthiness"
        )
    if tuple(metadata["features"]) != FEATURE_NAMES:
        raise ModelChecksumError(
            f"{weights_path} was trained on other features than this code computes; retrain it"
        )
    with np.load(weights_path) as weights:
        return CheckworthinessModel(
            mean=weights["mean"],
            scale=weights["scale"],
            coef=weights["coef"],
            intercept=float(weights["intercept"][0]),
            threshold=float(metadata["threshold"]),
            metadata=metadata,
        )


@cache
def default_model() -> CheckworthinessModel:
    return load_model()
