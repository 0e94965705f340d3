"""Train the check-worthiness model and measure it.

Logistic regression over the MiniLM embedding and the domain-robust sentence features. The
regularisation strength and the decision threshold are both chosen by cross-validation on the
training file alone, so the dev file is only ever measured, never tuned on.
"""

import csv
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from claims.extraction.embeddings import MODEL_SHA256, embed
from claims.extraction.entities import entities_of, entity_docs
from claims.extraction.features import FEATURE_NAMES, sentence_features
from claims.extraction.figures import find_figures
from claims.extraction.scoring import METADATA_FILE, CheckworthinessModel, model_inputs

WEIGHTS_FILE = "checkworthiness.npz"
REGULARISATION_GRID = (0.003, 0.01, 0.03, 0.1)
CV_FOLDS = 5
SEED = 20171122


@dataclass(frozen=True)
class LabelledSentences:
    path: Path
    texts: list[str]
    labels: np.ndarray


def read_labelled_tsv(path: Path) -> LabelledSentences:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    texts = [row["Text"] for row in rows]
    labels = np.asarray([row["class_label"].strip() == "Yes" for row in rows], dtype=np.int8)
    return LabelledSentences(Path(path), texts, labels)


def featurise(texts: list[str]) -> np.ndarray:
    docs = entity_docs(texts)
    features = np.vstack(
        [
            sentence_features(text, entities_of(doc), find_figures(text))
            for text, doc in zip(texts, docs, strict=True)
        ]
    )
    return model_inputs(embed(texts), features)


def yes_class_metrics(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    predicted = scores >= threshold
    true_positives = int(np.sum(predicted & (labels == 1)))
    precision = true_positives / max(1, int(predicted.sum()))
    recall = true_positives / max(1, int(labels.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(labels),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "threshold": round(float(threshold), 4),
    }


def train_checkworthiness(train_path: Path, dev_path: Path, out_dir: Path) -> dict:
    started = time.monotonic()
    train, dev = read_labelled_tsv(train_path), read_labelled_tsv(dev_path)
    train_inputs = featurise(train.texts)
    regularisation, threshold, cv_f1 = _cross_validate(train_inputs, train.labels)
    classifier, mean, scale = _fit(train_inputs, train.labels, regularisation)
    model = CheckworthinessModel(
        mean=mean,
        scale=scale,
        coef=classifier.coef_[0].astype(np.float32),
        intercept=float(classifier.intercept_[0]),
        threshold=threshold,
        metadata={},
    )
    dev_metrics = yes_class_metrics(dev.labels, model.scores(featurise(dev.texts)), threshold)
    _write_model(
        model,
        out_dir,
        provenance={
            "trained_on": _data_description(train),
            "measured_on": _data_description(dev),
            "regularisation_C": regularisation,
            "cv_folds": CV_FOLDS,
            "cv_f1_at_threshold": round(cv_f1, 4),
            "dev_metrics": dev_metrics,
            "training_seconds": round(time.monotonic() - started, 1),
        },
    )
    return dev_metrics | {"cv_f1": round(cv_f1, 4), "C": regularisation}


def _cross_validate(inputs: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """The C and threshold with the best out-of-fold F1 on the training data."""
    folds = list(StratifiedKFold(CV_FOLDS, shuffle=True, random_state=SEED).split(inputs, labels))
    best = (0.0, 0.5, -1.0)
    for regularisation in REGULARISATION_GRID:
        out_of_fold = np.zeros(len(labels))
        for fit_rows, held_rows in folds:
            classifier, mean, scale = _fit(inputs[fit_rows], labels[fit_rows], regularisation)
            out_of_fold[held_rows] = classifier.predict_proba((inputs[held_rows] - mean) / scale)[
                :, 1
            ]
        threshold, f1 = _best_threshold(labels, out_of_fold)
        if f1 > best[2]:
            best = (regularisation, threshold, f1)
    return best


def _fit(
    inputs: np.ndarray, labels: np.ndarray, regularisation: float
) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean = inputs.mean(axis=0)
    scale = inputs.std(axis=0) + 1e-6
    classifier = LogisticRegression(C=regularisation, max_iter=2000)
    classifier.fit((inputs - mean) / scale, labels)
    return classifier, mean.astype(np.float32), scale.astype(np.float32)


def _best_threshold(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    candidates = np.round(np.arange(0.10, 0.90, 0.01), 2)
    f1s = [yes_class_metrics(labels, scores, t)["f1"] for t in candidates]
    best = int(np.argmax(f1s))
    return float(candidates[best]), float(f1s[best])


def _data_description(data: LabelledSentences) -> dict:
    return {
        "file": data.path.name,
        "sha256": hashlib.sha256(data.path.read_bytes()).hexdigest(),
        "rows": len(data.texts),
        "yes": int(data.labels.sum()),
    }


def _write_model(model: CheckworthinessModel, out_dir: Path, provenance: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    weights_path = out_dir / WEIGHTS_FILE
    with open(weights_path, "wb") as handle:
        np.savez_compressed(
            handle,
            mean=model.mean,
            scale=model.scale,
            coef=model.coef,
            intercept=np.asarray([model.intercept], dtype=np.float32),
        )
    metadata = {
        "weights_file": WEIGHTS_FILE,
        "sha256": hashlib.sha256(weights_path.read_bytes()).hexdigest(),
        "threshold": model.threshold,
        "model": "logistic regression on standardised inputs",
        "inputs": "MiniLM embedding (384, all-MiniLM-L6-v2) followed by the features below",
        "embedding_model_sha256": MODEL_SHA256,
        "features": list(FEATURE_NAMES),
        "data_credit": "ClaimBuster dataset (Arslan et al., ICWSM 2020), CC-BY-4.0",
    } | provenance
    (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
