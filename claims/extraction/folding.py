"""Text folded for comparison: accents and case removed, character trigrams, fuzzy name matching.

Shared by the same-claim guard (are two names the same person or place?) and by search (does a
query match a claim whatever its spelling or transliteration?). Pure Python.
"""

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Words that join the parts of a name without naming anything themselves.
_NAME_FILLERS = frozenset({"the", "of", "and", "for", "s", "de", "la", "le", "van", "von"})
# Character trigrams shared by two spellings of one name ("Abu Kamal", "Albukamal") at or above
# this Jaccard similarity make them one name; "Konashenkov"/"Konashenkova" score 0.79,
# "Abu Kamal"/"Albukamal" 0.58, "Eastbank"/"Westbank" 0.38, "Russian"/"Ukrainian" 0.12.
NAME_SIMILARITY = 0.5


def fold(text: str) -> str:
    """Lower case ASCII letters and digits separated by single spaces: "Bükamal's" -> "bukamal s"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", ascii_only.casefold()).strip()


def tokens(text: str) -> list[str]:
    return fold(text).split()


def trigrams(text: str) -> frozenset[str]:
    """Character trigrams of the folded text, each word padded so that short words count."""
    grams: set[str] = set()
    for word in tokens(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(left: str, right: str) -> float:
    """Jaccard similarity of the two texts' character trigrams, in [0, 1]."""
    a, b = trigrams(left), trigrams(right)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@lru_cache(maxsize=8192)
def _name_key(name: str) -> tuple[frozenset[str], str]:
    words = [word for word in tokens(name) if word not in _NAME_FILLERS]
    return frozenset(words), "".join(words)


def same_name(left: str, right: str) -> bool:
    """Whether two names can denote the same person, place or group.

    True when every word of the shorter name is in the longer ("Halvorsen", "Priya Halvorsen";
    "Ministry of Health", "Health Ministry"), when the names are spelled alike once spaces go
    ("Al Bukamal", "Albukamal"), or when their character trigrams mostly agree
    (transliterations: "Abu Kamal"/"Albukamal", "Konashenkov"/"Konashenkova").
    """
    left_words, left_joined = _name_key(left)
    right_words, right_joined = _name_key(right)
    if not left_words or not right_words:
        return False
    shorter, longer = sorted((left_words, right_words), key=len)
    if shorter <= longer or left_joined == right_joined:
        return True
    return trigram_similarity(left_joined, right_joined) >= NAME_SIMILARITY


def _word_grams(words: list[str]) -> set[str]:
    grams: set[str] = set()
    for word in words:
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def text_trigrams(text: str) -> frozenset[str]:
    """Trigrams of a text's words and of each pair of neighbouring words written as one
    ("Al Bukamal" also as "albukamal"), for `word_similarity`."""
    words = tokens(text)
    pairs = [left + right for left, right in pairwise(words)]
    return frozenset(_word_grams(words) | _word_grams(pairs))


def word_similarity(query: str, text_grams: frozenset[str]) -> float:
    """How much of the query a text holds, in [0, 1], whatever its spelling: the share of the
    query's trigrams (as words, or written as one word) found among `text_trigrams(text)`.
    "Albukamal" in a text with "Abu Kamal" scores 0.70, "Abu Kamal" in one with "Al Bukamal"
    0.78, "Konashenkov" in one with "Konashenkova" 0.92, "port" in "the report" 0.60."""
    words = tokens(query)
    if not words:
        return 0.0
    best = 0.0
    for grams in (_word_grams(words), _word_grams(["".join(words)])):
        if grams:
            best = max(best, len(grams & text_grams) / len(grams))
    return best
