"""Claim types, from the figures, the attribution and the wording of a sentence."""

import re

from claims.extraction.figures import is_statistic

STATISTIC, COMPARISON, CAUSAL, PREDICTION, QUOTE, OTHER = (
    "statistic",
    "comparison",
    "causal",
    "prediction",
    "quote",
    "other",
)
CLAIM_TYPES = (STATISTIC, COMPARISON, CAUSAL, PREDICTION, QUOTE, OTHER)

COMPARISON_CUES = re.compile(
    r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|better|worse) than\b"
    r"|\bcompared (?:with|to)\b|\b(?:biggest|largest|highest|lowest|smallest|fastest|worst|best)\b"
    r"|\b(?:doubled|tripled|halved|increased|decreased|rose|fell|dropped|grew|declined)\b"
    r"|\b(?:up|down) from\b|\bas \w+ as\b",
    re.IGNORECASE,
)
CAUSAL_CUES = re.compile(
    r"\b(?:because|due to|caused|causes|causing|led to|leads to|leading to|as a result"
    r"|result(?:ed|s)? in|thanks to|blamed|responsible for|therefore|stems? from)\b",
    re.IGNORECASE,
)
PREDICTION_CUES = re.compile(
    r"\b(?:will|won't|shall|going to|expects?|expected to|forecasts?|predicts?|projected"
    r"|plans? to|is set to|are set to|next (?:week|month|year|decade)|by 20\d\d)\b",
    re.IGNORECASE,
)
QUOTE_MARKS = re.compile(r"[\"“”«»]")


def claim_type(sentence: str, figures: list[dict], attributed: bool) -> str:
    if is_statistic(figures):
        return STATISTIC
    if COMPARISON_CUES.search(sentence):
        return COMPARISON
    if CAUSAL_CUES.search(sentence):
        return CAUSAL
    if PREDICTION_CUES.search(sentence):
        return PREDICTION
    if attributed or QUOTE_MARKS.search(sentence):
        return QUOTE
    return OTHER
