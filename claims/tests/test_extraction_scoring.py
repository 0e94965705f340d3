import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from claims.extraction.scoring import default_model, ngrams
from claims.extraction.training import _fit_lexical, yes_class_metrics

CORPUS = [
    "Unemployment fell to 4 percent last year.",
    "Thank you all for coming tonight.",
    "We cut taxes for 3 million families.",
    "I want to say how proud I am of this city.",
    "Crime rose by 12 percent in the capital.",
    "Good evening and welcome.",
] * 3
LABELS = np.asarray([1, 0, 1, 0, 1, 0] * 3)


def test_the_committed_model_reproduces_scikit_learns_tfidf_scores() -> None:
    ours = _fit_lexical(CORPUS, LABELS, regularisation=1.0)
    vectorizer = TfidfVectorizer(analyzer=ngrams, min_df=3, sublinear_tf=True)
    classifier = LogisticRegression(C=1.0, max_iter=2000).fit(
        vectorizer.fit_transform(CORPUS), LABELS
    )
    unseen = ["Taxes fell by 4 percent for families.", "Welcome to the city, thank you."]
    expected = classifier.predict_proba(vectorizer.transform(unseen))[:, 1]
    assert ours.probabilities(unseen) == pytest.approx(expected, abs=1e-5)


def test_the_committed_model_scores_are_probabilities_and_its_threshold_is_recorded() -> None:
    model = default_model()
    texts = ["The deficit doubled to $40 billion in 2019.", "Thank you, and good night."]
    inputs = np.zeros((2, model.dense.mean.shape[0]), dtype=np.float32)
    scores = model.scores(inputs, texts)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert 0 < model.threshold < 1
    assert model.metadata["trained_on"]["file"] == "train.tsv"


def test_yes_class_metrics() -> None:
    labels = np.asarray([1, 1, 0, 0])
    scores = np.asarray([0.9, 0.2, 0.8, 0.1])
    assert yes_class_metrics(labels, scores, 0.5) == {
        "n": 4,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "threshold": 0.5,
    }
