"""Domain-robust features of a sentence for the check-worthiness model.

They depend on the sentence alone (never on its neighbours), so that a debate sentence in the
training data and a sentence in a news article are described the same way.
"""

import math
import re

import numpy as np

from claims.extraction.classify import CAUSAL_CUES, COMPARISON_CUES, PREDICTION_CUES, QUOTE_MARKS

_CUES = {
    "speech_verb": re.compile(
        r"\b(?:said|says|told|according to|claimed|stated|announced|reported|estimates)\b", re.I
    ),
    "first_person": re.compile(r"\b(?:i|we|my|our|me|us|i'm|we're|i've|we've)\b", re.I),
    "second_person": re.compile(r"\b(?:you|your|you're)\b", re.I),
    "hedge": re.compile(
        r"\b(?:may|might|could|perhaps|possibly|probably|think|believe|seems?|feel|hope|guess)\b",
        re.I,
    ),
    "obligation": re.compile(r"\b(?:should|must|need to|needs to|have to|has to|ought)\b", re.I),
    "negation": re.compile(r"\b(?:not|never|no|nobody|nothing)\b|n't\b", re.I),
    "past_tense": re.compile(r"\b(?:was|were|had|did|\w{3,}ed)\b", re.I),
    "present_perfect": re.compile(r"\b(?:has|have) (?:\w+ )?\w+(?:ed|en|wn|ne)\b", re.I),
    "superlative": re.compile(r"\b(?:\w+est|most|least|first|only|every|all)\b", re.I),
    "greeting": re.compile(r"\b(?:thank|thanks|welcome|good evening|good night|congratulat)", re.I),
    "prediction": PREDICTION_CUES,
    "comparison": COMPARISON_CUES,
    "causal": CAUSAL_CUES,
    "quote_marks": QUOTE_MARKS,
}
_ENTITY_COUNTS = ("PERSON", "ORG", "GPE", "NORP", "DATE", "CARDINAL", "MONEY", "PERCENT")
_FIGURE_KINDS = ("count", "percent", "money", "range", "measure", "fraction", "year")

FEATURE_NAMES = (
    tuple(f"cue_{name}" for name in _CUES)
    + tuple(f"entities_{label}" for label in _ENTITY_COUNTS)
    + tuple(f"figure_{kind}" for kind in _FIGURE_KINDS)
    + ("figures", "question", "exclamation", "log_words", "capitalised_share", "digits")
)


def sentence_features(sentence: str, entities: list[dict], figures: list[dict]) -> np.ndarray:
    words = sentence.split()
    labels = [e["label"] for e in entities]
    kinds = [f["kind"] for f in figures]
    values = [min(len(cue.findall(sentence)), 3) for cue in _CUES.values()]
    values += [min(labels.count(label), 3) for label in _ENTITY_COUNTS]
    values += [float(kind in kinds) for kind in _FIGURE_KINDS]
    values += [
        min(len(figures), 4),
        float(sentence.rstrip(" \"'”’").endswith("?")),
        float("!" in sentence),
        math.log1p(len(words)),
        sum(w[:1].isupper() for w in words[1:]) / max(1, len(words) - 1),
        float(any(ch.isdigit() for ch in sentence)),
    ]
    return np.asarray(values, dtype=np.float32)
