"""Text folding and tokens that tolerate case, accents, light inflection and transliteration."""

import re
import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSABLE = str.maketrans(
    {
        "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae", "œ": "oe",
        "Œ": "oe", "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
        "’": "'", "‘": "'", "‐": "-", "–": "-", "—": "-",
    }
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOPWORD_TEXT = """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just let me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own said same say says she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours
    yourself yourselves also us"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Spelling variants that transliteration produces, folded to one letter each.
_SKELETON_RULES = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"(?:ck|q|c(?=[aou]|$)|kh)"), "k"),
    (re.compile(r"w"), "v"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"z"), "s"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def fold(text: str) -> str:
    """Lower case, accents dropped, special letters spelled in ASCII."""
    if text.isascii():
        # Nothing to translate, decompose or drop: the same string as below, without the
        # character-by-character pass (most of the time of indexing a large archive).
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """Folded words, possessive 's dropped, stopwords kept."""
    return [w.removesuffix("'s").replace("'", "") for w in _WORD.findall(fold(text))]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper: enough to join plurals and verb forms, never below 3 letters."""
    for suffix, replacement in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


def tokens(text: str) -> list[str]:
    """Stemmed content words, in order, with repeats: what BM25 indexes."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """A spelling-tolerant key for names: Konashenkov and Konashenkova, Bukamal and Boukamal.

    Vowels after the first letter are dropped and letters that transliterations swap are merged,
    so the key survives the usual variations of a name written from another alphabet.
    """
    key = fold(word)
    key = re.sub(r"[^a-z0-9]", "", key)
    if not key:
        return ""
    for pattern, replacement in _SKELETON_RULES:
        key = pattern.sub(replacement, key)
    return key[0] + re.sub(r"[aeiou]", "", key[1:])


def name_keys(text: str) -> set[str]:
    """Skeletons of the words of a name or names, of three letters or more and not stopwords."""
    return {
        skeleton(w) for w in words(text) if len(w) >= 3 and w not in STOPWORDS and not w.isdigit()
    }
