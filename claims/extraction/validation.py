"""Decide whether a text can be read as an English article, and which sentences are prose."""

import re

from claims.extraction.records import ExtractionError

MAX_TEXT_CHARS = 2_000_000
_SAMPLE_CHARS = 100_000
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_ENGLISH_FUNCTION_WORDS = frozenset({
    "the", "a", "an", "of", "to", "and", "in", "is", "was", "are", "were", "be", "been", "has",
    "have", "had", "it", "that", "this", "for", "on", "with", "as", "by", "at", "from", "not",
    "but", "or", "will", "would", "said", "says", "he", "she", "they", "we", "who", "which",
    "than", "its", "their", "his", "her"
})  # fmt: skip
_WORD = re.compile(r"[A-Za-z’']+")
_MIN_WORDS = 5
_MIN_LETTER_SHARE = 0.6


def check_readable(text: str) -> None:
    """Raise `ExtractionError` for input that is not text at all or too large to be an article."""
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractionError(f"text is {len(text)} characters, over the {MAX_TEXT_CHARS} limit")
    sample = text[:_SAMPLE_CHARS]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE:
        raise ExtractionError("text holds control characters: binary data, not an article")


def is_english_prose(sentence: str) -> bool:
    words = _WORD.findall(sentence)
    if len(words) < _MIN_WORDS:
        return False
    non_space = sum(not ch.isspace() for ch in sentence)
    letters = sum(ch.isalpha() and ch.isascii() for ch in sentence)
    if letters / max(1, non_space) < _MIN_LETTER_SHARE:
        return False
    function_words = sum(word.lower() in _ENGLISH_FUNCTION_WORDS for word in words)
    return function_words >= max(1, len(words) // 10)
