"""Train the check-worthiness model and measure it.

The regularisation of both halves of the model is chosen by cross-validation, and the decision
threshold on the latest debates of the training file; the dev file is only ever measured, never
tuned on.
"""

import csv
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from claims.extraction.embeddings import MODEL_SHA256, EmbeddingJob, embedding_version
from claims.extraction.entities import entities_of, entity_docs
from claims.extraction.features import FEATURE_NAMES, sentence_features
from claims.extraction.figures import find_figures
from claims.extraction.scoring import (
    METADATA_FILE,
    Calibration,
    CheckworthinessModel,
    DenseModel,
    LexicalModel,
    model_inputs,
    ngrams,
)

WEIGHTS_FILE = "checkworthiness.npz"
DENSE_REGULARISATION = (0.01, 0.03, 0.1)
LEXICAL_REGULARISATION = (1.0, 3.0, 10.0)
LEXICAL_MAX_TERMS = 20_000
LEXICAL_MIN_DOCUMENTS = 3
CV_FOLDS = 5
CALIBRATION_BINS = 10
LATER_SHARE = 0.15
SEED = 20171122


@dataclass(frozen=True)
class LabelledSentences:
    path: Path
    ids: np.ndarray
    texts: list[str]
    labels: np.ndarray


def read_labelled_tsv(path: Path) -> LabelledSentences:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    ids = np.asarray([int(row.get("Sentence_id") or index) for index, row in enumerate(rows)])
    texts = [row["Text"] for row in rows]
    labels = np.asarray([row["class_label"].strip() == "Yes" for row in rows], dtype=np.int8)
    return LabelledSentences(Path(path), ids, texts, labels)


def featurise(texts: list[str]) -> np.ndarray:
    embedding_job = EmbeddingJob(texts)
    features = np.vstack(
        [
            sentence_features(text, entities_of(doc), find_figures(text))
            for text, doc in zip(texts, entity_docs(texts), strict=True)
        ]
    )
    return model_inputs(embedding_job.result(), features)


def calibration_error(labels: np.ndarray, scores: np.ndarray, bins: int = CALIBRATION_BINS) -> dict:
    """Expected calibration error over equal-width score bins (the gap between the mean score
    and the share of Yes in each bin, weighted by the bin's size), and the Brier score."""
    labels = np.asarray(labels, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if not len(labels):
        return {"ece": 0.0, "brier": 0.0}
    edges = np.minimum((scores * bins).astype(int), bins - 1)
    gap = 0.0
    for b in range(bins):
        in_bin = edges == b
        if in_bin.any():
            gap += in_bin.sum() * abs(scores[in_bin].mean() - labels[in_bin].mean())
    return {
        "ece": round(float(gap / len(labels)), 4),
        "brier": round(float(np.mean((scores - labels) ** 2)), 4),
    }


def reliability(labels: np.ndarray, scores: np.ndarray, bins: int = 5) -> list[dict]:
    """Per score band: how many sentences, their mean score, and the share that were Yes."""
    labels, scores = np.asarray(labels, dtype=np.float64), np.asarray(scores, dtype=np.float64)
    edges = np.minimum((scores * bins).astype(int), bins - 1)
    table = []
    for b in range(bins):
        in_bin = edges == b
        if in_bin.any():
            table.append(
                {
                    "band": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                    "n": int(in_bin.sum()),
                    "mean_score": round(float(scores[in_bin].mean()), 3),
                    "yes_share": round(float(labels[in_bin].mean()), 3),
                }
            )
    return table


def fit_calibration(labels: np.ndarray, raw_scores: np.ndarray) -> Calibration:
    """Platt scaling on the logit of the raw score (two parameters: hard to overfit)."""
    clipped = np.clip(np.asarray(raw_scores, dtype=np.float64), 1e-6, 1 - 1e-6)
    logits = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    classifier = LogisticRegression(C=1e6, max_iter=2000).fit(logits, labels)
    return Calibration(float(classifier.coef_[0][0]), float(classifier.intercept_[0]))


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
    model, choices = _fit_model(train.ids, train.texts, train.labels, featurise(train.texts))
    dev_scores = model.scores(featurise(dev.texts), dev.texts)
    dev_metrics = yes_class_metrics(dev.labels, dev_scores, model.threshold) | calibration_error(
        dev.labels, dev_scores
    )
    _write_model(
        model,
        out_dir,
        provenance={
            "trained_on": _data_description(train),
            "measured_on": _data_description(dev),
            **choices,
            "cv_folds": CV_FOLDS,
            "dev_metrics": dev_metrics,
            "training_seconds": round(time.monotonic() - started, 1),
        },
    )
    return dev_metrics | choices


def estimate_on_later_debates(train_path: Path, held_out_share: float = LATER_SHARE) -> dict:
    """Train on the earlier sentences of the file, measure on the later ones; write nothing.

    ClaimBuster's sentence ids run in debate order, so this measures the model on debates it has
    not seen, closer to how the held-out test sets judge it than a shuffled split or dev.tsv.
    """
    train = read_labelled_tsv(train_path)
    order = np.argsort(train.ids, kind="stable")
    cut = int(len(order) * (1 - held_out_share))
    earlier, later = order[:cut], order[cut:]
    texts = np.asarray(train.texts, dtype=object)
    inputs = featurise(train.texts)
    model, choices = _fit_model(
        train.ids[earlier], list(texts[earlier]), train.labels[earlier], inputs[earlier]
    )
    scores = model.scores(inputs[later], list(texts[later]))
    labels = train.labels[later]
    return (
        yes_class_metrics(labels, scores, model.threshold)
        | calibration_error(labels, scores)
        | {"reliability": reliability(labels, scores)}
        | choices
    )


def _fit_model(
    ids: np.ndarray, texts: list[str], labels: np.ndarray, inputs: np.ndarray
) -> tuple[CheckworthinessModel, dict]:
    """Both halves, their C chosen by cross-validation; calibration and threshold on the latest
    debates.

    Shuffled folds hide the shift from one campaign to the next, and a threshold tuned on them
    is too high for debates the model has not seen; so the blend is fitted on the earlier
    sentences of these rows, its raw scores on the latest ones calibrate it (Platt scaling), and
    the threshold is the calibrated score that does best there. The final blend is fitted on all
    rows and keeps that calibration and threshold.
    """
    folds = list(StratifiedKFold(CV_FOLDS, shuffle=True, random_state=SEED).split(inputs, labels))
    text_array = np.asarray(texts, dtype=object)

    def dense_held_out(fit_rows: np.ndarray, held_rows: np.ndarray, c: float) -> np.ndarray:
        model = _fit_dense(inputs[fit_rows], labels[fit_rows], c)
        return model.probabilities(inputs[held_rows])

    def lexical_held_out(fit_rows: np.ndarray, held_rows: np.ndarray, c: float) -> np.ndarray:
        model = _fit_lexical(list(text_array[fit_rows]), labels[fit_rows], c)
        return model.probabilities(list(text_array[held_rows]))

    dense_c, dense_oof = _choose(DENSE_REGULARISATION, folds, labels, dense_held_out)
    lexical_c, lexical_oof = _choose(LEXICAL_REGULARISATION, folds, labels, lexical_held_out)
    cv_f1 = _best_threshold(labels, (dense_oof + lexical_oof) / 2)[1]
    order = np.argsort(ids, kind="stable")
    cut = int(len(order) * (1 - LATER_SHARE))
    earlier, later = order[:cut], order[cut:]
    earlier_model = _blend(text_array, labels, inputs, earlier, dense_c, lexical_c, threshold=0.5)
    later_raw = earlier_model.raw_scores(inputs[later], list(text_array[later]))
    calibration = fit_calibration(labels[later], later_raw)
    later_scores = calibration.apply(later_raw)
    threshold, later_f1 = _best_threshold(labels[later], later_scores)
    everything = np.arange(len(labels))
    model = _blend(text_array, labels, inputs, everything, dense_c, lexical_c, threshold)
    model = CheckworthinessModel(model.dense, model.lexical, threshold, {}, calibration)
    choices = {
        "calibration": {
            "method": "platt",
            "a": round(calibration.a, 4),
            "b": round(calibration.b, 4),
        },
        "cv_f1_best": round(cv_f1, 4),
        "latest_debates_f1_at_threshold": round(later_f1, 4),
        "dense_C": dense_c,
        "lexical_C": lexical_c,
    }
    return model, choices


def _blend(texts, labels, inputs, rows, dense_c, lexical_c, threshold) -> CheckworthinessModel:
    return CheckworthinessModel(
        dense=_fit_dense(inputs[rows], labels[rows], dense_c),
        lexical=_fit_lexical(list(texts[rows]), labels[rows], lexical_c),
        threshold=threshold,
        metadata={},
    )


def _choose(grid, folds, labels, held_out_probabilities) -> tuple[float, np.ndarray]:
    """The regularisation with the best out-of-fold F1, and its out-of-fold probabilities."""
    best: tuple[float, float, np.ndarray] | None = None
    for regularisation in grid:
        out_of_fold = np.zeros(len(labels))
        for fit_rows, held_rows in folds:
            out_of_fold[held_rows] = held_out_probabilities(fit_rows, held_rows, regularisation)
        f1 = _best_threshold(labels, out_of_fold)[1]
        if best is None or f1 > best[1]:
            best = (regularisation, f1, out_of_fold)
    return best[0], best[2]


def _fit_dense(inputs: np.ndarray, labels: np.ndarray, regularisation: float) -> DenseModel:
    mean = inputs.mean(axis=0)
    scale = inputs.std(axis=0) + 1e-6
    classifier = LogisticRegression(C=regularisation, max_iter=2000)
    classifier.fit((inputs - mean) / scale, labels)
    return DenseModel(
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        coef=classifier.coef_[0].astype(np.float32),
        intercept=float(classifier.intercept_[0]),
    )


def _fit_lexical(texts: list[str], labels: np.ndarray, regularisation: float) -> LexicalModel:
    vectorizer = TfidfVectorizer(
        analyzer=ngrams,
        min_df=LEXICAL_MIN_DOCUMENTS,
        max_features=LEXICAL_MAX_TERMS,
        sublinear_tf=True,
    )
    classifier = LogisticRegression(C=regularisation, max_iter=2000)
    classifier.fit(vectorizer.fit_transform(texts), labels)
    return LexicalModel(
        vocabulary=vectorizer.vocabulary_,
        idf=vectorizer.idf_.astype(np.float32),
        coef=classifier.coef_[0].astype(np.float32),
        intercept=float(classifier.intercept_[0]),
    )


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
    terms = sorted(model.lexical.vocabulary, key=model.lexical.vocabulary.__getitem__)
    with open(weights_path, "wb") as handle:
        np.savez_compressed(
            handle,
            dense_mean=model.dense.mean,
            dense_scale=model.dense.scale,
            dense_coef=model.dense.coef,
            dense_intercept=np.asarray([model.dense.intercept], dtype=np.float32),
            lexical_terms=np.asarray(terms),
            lexical_idf=model.lexical.idf,
            lexical_coef=model.lexical.coef,
            lexical_intercept=np.asarray([model.lexical.intercept], dtype=np.float32),
            calibration=np.asarray([model.calibration.a, model.calibration.b], dtype=np.float64),
        )
    metadata = {
        "weights_file": WEIGHTS_FILE,
        "sha256": hashlib.sha256(weights_path.read_bytes()).hexdigest(),
        "threshold": model.threshold,
        "score_meaning": (
            "calibrated probability: of sentences scored about p on debates the model had not "
            "seen (the training file's latest 15%), about p were check-worthy"
        ),
        "model": (
            "mean of two logistic regressions: one on the standardised MiniLM embedding "
            "(all-MiniLM-L6-v2, 384 floats) followed by the features below, one on TF-IDF "
            "word unigrams and bigrams (sublinear tf, l2-normalised)"
        ),
        "embedding_model_sha256": MODEL_SHA256,
        "embedding_version": embedding_version(),
        "features": list(FEATURE_NAMES),
        "data_credit": "ClaimBuster dataset (Arslan et al., ICWSM 2020), CC-BY-4.0",
    } | provenance
    (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
