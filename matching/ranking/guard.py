"""The figure and entity guard: two sentences about the same subject with different figures,
places or people are not the same claim ("12 civilians killed" and "at least 40 killed")."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claims.extraction.figures import find_figures
from matching.ranking.text import name_keys, stem

_TIME_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "time", "decade"})
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT"})
_RELATIVE_TOLERANCE = 0.05


@dataclass(frozen=True)
class Figure:
    kind: str
    low: float
    high: float
    counted: str


@dataclass(frozen=True)
class Facts:
    """What the guard compares: the figures of a sentence and the names in it, by kind."""

    figures: tuple[Figure, ...]
    names: frozenset[str]
    places: frozenset[str]
    people: frozenset[str]


@dataclass(frozen=True)
class Comparison:
    shared_figures: int
    figure_conflict: bool
    shared_names: int
    name_jaccard: float
    place_conflict: bool
    person_conflict: bool

    @property
    def conflict(self) -> bool:
        """Same subject, different facts: never the same claim."""
        return self.figure_conflict or self.place_conflict or self.person_conflict


def facts_of(text: str, entities: Iterable[tuple[str, str]]) -> Facts:
    """`entities` are (text, label) pairs from claims.extraction.entities."""
    figures = []
    for found in find_figures(text):
        if found["kind"] == "year":
            continue
        comparator = found["comparator"]
        if comparator == "range":
            low, high = found["low"], found["high"]
        elif found["value"] is None:
            continue
        else:
            value = float(found["value"])
            low = float("-inf") if comparator in ("<", "<=") else value
            high = float("inf") if comparator in (">", ">=") else value
            if found["approximate"]:
                low, high = min(low, value * 0.9), max(high, value * 1.1)
        counted = stem(found["counted"].split(" ")[0].lower()) if found["counted"] else ""
        figures.append(
            Figure(
                kind=found["kind"],
                low=low,
                high=high,
                counted=counted,
            )
        )
    names, places, people = set(), set(), set()
    for entity_text, label in entities:
        if label not in _NAME_LABELS:
            continue
        keys = name_keys(entity_text)
        names |= keys
        if label in _PLACE_LABELS:
            places |= keys
        elif label == "PERSON":
            people |= keys
    return Facts(tuple(figures), frozenset(names), frozenset(places), frozenset(people))


def compare(a: Facts, b: Facts) -> Comparison:
    shared_names = len(a.names & b.names)
    union = len(a.names | b.names)
    return Comparison(
        shared_figures=sum(any(_agree(x, y) for y in b.figures) for x in a.figures),
        figure_conflict=_figures_conflict(a.figures, b.figures),
        shared_names=shared_names,
        name_jaccard=shared_names / union if union else 0.0,
        place_conflict=bool(a.places and b.places and not a.places & b.places),
        person_conflict=bool(a.people and b.people and not a.people & b.people),
    )


def _comparable(x: Figure, y: Figure) -> bool:
    if x.kind != y.kind:
        return False
    if x.counted in _TIME_UNITS or y.counted in _TIME_UNITS:
        return x.counted == y.counted
    return True


def _agree(x: Figure, y: Figure) -> bool:
    if not _comparable(x, y):
        return False
    finite = [abs(v) for v in (x.low, x.high, y.low, y.high) if abs(v) != float("inf")]
    tolerance = _RELATIVE_TOLERANCE * max([*finite, 1.0])
    return x.low <= y.high + tolerance and y.low <= x.high + tolerance


def _figures_conflict(a: Sequence[Figure], b: Sequence[Figure]) -> bool:
    """Both state a figure of one kind and no figure of that kind agrees."""
    for x in a:
        comparable = [y for y in b if _comparable(x, y)]
        if comparable and not any(_agree(x, y) for y in comparable):
            return True
    return False
