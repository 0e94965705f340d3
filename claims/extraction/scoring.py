"""The check-worthiness model: a committed weights file, verified by checksum, applied in numpy.

Two logistic regressions, averaged: one over the MiniLM embedding and the domain-robust sentence
features, one over TF-IDF word unigrams and bigrams. Cross-validation on the training data
preferred the blend to either alone.
"""

import hashlib
import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from claims.extraction.embeddings import ModelChecksumError
from claims.extraction.features import FEATURE_NAMES

MODEL_DIR = Path(__file__).parent / "models"
METADATA_FILE = "checkworthiness.json"
# The same tokens as scikit-learn's TfidfVectorizer, so that training and scoring agree.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class DenseModel:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probabilities(self, inputs: np.ndarray) -> np.ndarray:
        return _sigmoid(((inputs - self.mean) / self.scale) @ self.coef + self.intercept)


@dataclass(frozen=True)
class LexicalModel:
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return _sigmoid(np.asarray([self._logit(text) for text in texts]) + self.intercept)

    def _logit(self, text: str) -> float:
        counts = Counter(t for t in ngrams(text) if t in self.vocabulary)
        if not counts:
            return 0.0
        columns = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64)
        weights = np.fromiter((1.0 + math.log(n) for n in counts.values()), dtype=np.float64)
        weights *= self.idf[columns]
        return float(weights @ self.coef[columns] / np.linalg.norm(weights))


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of the blend's raw score: sigmoid(a * logit(raw) + b).

    Fitted on debates the blend had not seen (the training file's latest ones, with the blend
    fitted on the earlier ones), so that a calibrated 0.7 means about 70% of such sentences were
    check-worthy there."""

    a: float = 1.0
    b: float = 0.0

    def apply(self, raw: np.ndarray) -> np.ndarray:
        clipped = np.clip(raw, 1e-6, 1 - 1e-6)
        return _sigmoid(self.a * np.log(clipped / (1 - clipped)) + self.b)


@dataclass(frozen=True)
class CheckworthinessModel:
    dense: DenseModel
    lexical: LexicalModel
    threshold: float
    metadata: dict
    calibration: Calibration = Calibration()

    def raw_scores(self, inputs: np.ndarray, texts: list[str]) -> np.ndarray:
        """The mean of the two halves' probabilities, before calibration."""
        if not texts:
            return np.zeros(0)
        return (self.dense.probabilities(inputs) + self.lexical.probabilities(texts)) / 2

    def scores(self, inputs: np.ndarray, texts: list[str]) -> np.ndarray:
        """Calibrated probability that each sentence is a check-worthy claim; `inputs` from
        `model_inputs`."""
        if not texts:
            return np.zeros(0)
        return self.calibration.apply(self.raw_scores(inputs, texts))


def ngrams(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


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
        dense = DenseModel(
            mean=weights["dense_mean"],
            scale=weights["dense_scale"],
            coef=weights["dense_coef"],
            intercept=float(weights["dense_intercept"][0]),
        )
        lexical = LexicalModel(
            vocabulary={term: i for i, term in enumerate(weights["lexical_terms"].tolist())},
            idf=weights["lexical_idf"].astype(np.float64),
            coef=weights["lexical_coef"].astype(np.float64),
            intercept=float(weights["lexical_intercept"][0]),
        )
        calibration = (
            Calibration(*(float(v) for v in weights["calibration"]))
            if "calibration" in weights.files
            else Calibration()
        )
    return CheckworthinessModel(dense, lexical, float(metadata["threshold"]), metadata, calibration)


@cache
def default_model() -> CheckworthinessModel:
    return load_model()


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))
