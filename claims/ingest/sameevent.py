"""Same event, other words: whether two articles from different outlets tell one story.

MinHash (neardup.py) finds copies of one text. Articles about one event written separately
share little wording but name the same people, organisations and places, and their claims lie
close in embedding space. Two signatures are compared on both; plain Python and numpy.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# spaCy labels whose names identify an event's who and where.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"})
# Close enough in meaning to need only one name in common: they report the same claims.
SAME_TOPIC_ALONE = 0.85
# Close in meaning and naming the same people, organisations and places.
SAME_TOPIC_WITH_NAMES = 0.6
SHARED_NAMES = 3
SHARED_NAMES_SHARE = 0.15
# Another angle on the event (the evacuees, the inquiry): less alike in meaning, but naming
# many of the same people, organisations and places.
SAME_NAMES_TOPIC = 0.45
SAME_NAMES_SHARE = 0.3
# Claims of one cluster (the same claim, however worded) found in both.
SHARED_CLUSTERS = 2

_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class EventSignature:
    names: frozenset[str]
    topic: np.ndarray | None
    clusters: frozenset = frozenset()
    # The article's text, lower-cased: a name the other article's claims give that this one
    # mentions outside its claims counts as shared too.
    text: str = ""


def name_keys(entities: Iterable[dict]) -> set[str]:
    """The names an article mentions, folded: "the Northvale utility's" -> "northvale utility"."""
    keys = set()
    for entity in entities:
        if entity.get("label") not in NAME_LABELS:
            continue
        text = _SPACES.sub(" ", entity.get("text", "")).strip()
        key = _POSSESSIVE.sub("", _ARTICLE.sub("", text)).casefold()
        if len(key) >= 3:
            keys.add(key[:200])
    return keys


def topic_vector(embeddings: Sequence[Sequence[float]]) -> np.ndarray | None:
    """The unit mean of an article's claim embeddings: what the article is about."""
    if not len(embeddings):
        return None
    mean = np.asarray(embeddings, dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


def same_event(first: EventSignature, second: EventSignature) -> tuple[float, str] | None:
    """(strength, why) when the two articles tell one story, else None."""
    shared_clusters = len(first.clusters & second.clusters)
    if shared_clusters >= SHARED_CLUSTERS:
        return 1.0 + shared_clusters, f"{shared_clusters} claims in common"
    if first.topic is None or second.topic is None:
        return None
    similarity = float(first.topic @ second.topic)
    shared = _shared_names(first, second)
    if similarity >= SAME_TOPIC_ALONE and shared:
        return similarity, f"claims alike in meaning ({similarity:.2f}), both name {min(shared)}"
    union = first.names | second.names
    share = len(shared) / len(union) if union else 0.0
    if len(shared) < SHARED_NAMES:
        return None
    named = ", ".join(sorted(shared)[:5])
    if similarity >= SAME_TOPIC_WITH_NAMES and share >= SHARED_NAMES_SHARE:
        return similarity + share, f"alike in meaning ({similarity:.2f}) and both name {named}"
    if similarity >= SAME_NAMES_TOPIC and share >= SAME_NAMES_SHARE:
        return similarity + share, f"both name {named} ({share:.0%} of their names)"
    return None


def _shared_names(first: EventSignature, second: EventSignature) -> set[str]:
    shared = set(first.names & second.names)
    shared |= {name for name in first.names if second.text and name in second.text}
    shared |= {name for name in second.names if first.text and name in first.text}
    return shared
