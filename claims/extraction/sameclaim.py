"""Do two claims assert the same thing? The decision behind claim clusters. Pure Python.

Two claims are the same claim when their MiniLM embeddings are close (cosine at or above
`SAME_CLAIM_THRESHOLD`) and nothing checkable in them disagrees:

- **Figures** (years aside, which are dates) correspond one to one: the same kind and unit, and
  values that agree given how they are stated. An exact figure agrees only with the same value;
  an approximate one ("about 41,000", "nearly 400") with values within half a unit of its last
  significant digit, at most 5% ("about 41,000" takes 41,300; "about 3,900" does not take
  4,200); a bound ("more than 50,000", "at least 12") only with the same bound in the same
  direction, or, when it holds its own value ("at least 12", "up to 128"), with that exact value;
  a range with the same range. A claim with a figure the other lacks asserts more,
  so it is another claim.
- **Dates**, resolved against each article's date, **people** and **places** (and nationalities:
  "Russian" is not "Ukrainian"): either claim may leave out what the other names, but neither may
  name something else in its place. Names match across spellings and transliterations
  (`folding.same_name`), whatever label the NER model gave each. Organisations are left out: in
  news text they are mostly the venue ("told Radio Valmont") or the outlet's source, and the
  small NER model labels them least reliably.

The threshold and the rules are measured on labelled pairs written from the fixture articles
(`manage.py sameclaim_eval`, docs/clusters.md).
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from claims.extraction.folding import same_name
from claims.extraction.records import ClaimRecord

SAME_CLAIM_THRESHOLD = 0.62
# An approximate figure covers at most this share of its value either side.
_APPROXIMATE_AT_MOST = 0.05
_EXACT_TOLERANCE = 1e-9
_ENTITY_GROUPS = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
_LOWER_BOUNDS = (">", ">=")
_UPPER_BOUNDS = ("<", "<=")


@dataclass(frozen=True)
class ClaimFacts:
    """What the decision reads of a claim: the engine's output for its sentence."""

    embedding: Sequence[float] | np.ndarray
    figures: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)

    @classmethod
    def of_record(cls, record: ClaimRecord) -> "ClaimFacts":
        return cls(
            embedding=record.embedding or [],
            figures=record.figures,
            dates=record.dates,
            entities=record.entities,
        )


@dataclass(frozen=True)
class SameClaimDecision:
    same: bool
    similarity: float
    # Why they are not the same claim; empty when they are.
    reason: str = ""


def cosine(left: Sequence[float] | np.ndarray, right: Sequence[float] | np.ndarray) -> float:
    a = np.asarray(left, dtype=np.float64)
    b = np.asarray(right, dtype=np.float64)
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    if a.shape != b.shape or a.size == 0 or norms == 0.0:
        return 0.0
    return float(a @ b) / norms


def same_claim(
    left: ClaimFacts, right: ClaimFacts, *, threshold: float = SAME_CLAIM_THRESHOLD
) -> SameClaimDecision:
    similarity = round(cosine(left.embedding, right.embedding), 6)
    if similarity < threshold:
        return SameClaimDecision(False, similarity, f"similarity {similarity:.2f} < {threshold}")
    conflict = facts_conflict(left, right)
    return SameClaimDecision(not conflict, similarity, conflict)


def facts_conflict(left: ClaimFacts, right: ClaimFacts) -> str:
    """Why the figures, dates, people or places of two claims disagree; empty if they do not."""
    return (
        _figures_conflict(left.figures, right.figures)
        or _dates_conflict(left.dates, right.dates)
        or _entities_conflict(left, right)
    )


# Figures


@dataclass(frozen=True)
class _Figure:
    text: str
    kind: str
    unit: str
    shape: str  # "point", "lower", "upper" or "range"
    inclusive: bool  # a bound that holds its own value ("at least 12", "up to 128")
    low: float
    high: float
    tolerance: float


def _figures_conflict(left: list[dict], right: list[dict]) -> str:
    a = [figure for figure in map(_figure, left) if figure]
    b = [figure for figure in map(_figure, right) if figure]
    if len(a) != len(b):
        return f"figures differ: {_texts(a)} vs {_texts(b)}"
    if _perfect_matching(a, b, _figures_agree):
        return ""
    return f"figures differ: {_texts(a)} vs {_texts(b)}"


def _figure(raw: dict) -> _Figure | None:
    kind = raw.get("kind", "")
    if kind == "year":
        return None
    comparator = raw.get("comparator", "=")
    approximate = bool(raw.get("approximate"))
    if comparator == "range":
        low, high = float(raw["low"]), float(raw["high"])
        return _Figure(raw["text"], kind, raw.get("unit", ""), "range", False, low, high, 0.0)
    value = float(raw["value"])
    if approximate or comparator in ("=", "~"):
        shape = "point"  # "nearly 400" and "just over 400" are ways of saying about 400
    elif comparator in _LOWER_BOUNDS:
        shape = "lower"
    else:
        shape = "upper"
    tolerance = _approximation(value) if approximate or comparator == "~" else 0.0
    inclusive = comparator in (">=", "<=")
    return _Figure(
        raw["text"], kind, raw.get("unit", ""), shape, inclusive, value, value, tolerance
    )


def _approximation(value: float) -> float:
    """Half a unit of the value's last significant digit, at most 5% of the value."""
    exponent = Decimal(repr(abs(value))).normalize().as_tuple().exponent
    half_unit = 0.5 * 10.0 ** int(exponent)
    return min(half_unit, _APPROXIMATE_AT_MOST * abs(value))


def _figures_agree(a: _Figure, b: _Figure) -> bool:
    if a.kind != b.kind or (a.unit and b.unit and a.unit != b.unit):
        return False
    if a.shape != b.shape and not _bound_holds_point(a, b):
        return False
    slack = a.tolerance + b.tolerance + _EXACT_TOLERANCE * max(abs(a.high), abs(b.high), 1.0)
    return abs(a.low - b.low) <= slack and abs(a.high - b.high) <= slack


def _bound_holds_point(a: _Figure, b: _Figure) -> bool:
    """ "at least 12" and "12", "up to 128" and "128": an inclusive bound at an exact point."""
    bound, point = (a, b) if b.shape == "point" else (b, a)
    return bound.inclusive and point.shape == "point" and point.tolerance == 0.0


def _texts(figures: list[_Figure]) -> str:
    return ", ".join(figure.text for figure in figures) or "none"


def _perfect_matching(left: list, right: list, agree) -> bool:
    """Whether every item of `left` pairs with its own item of `right` (Kuhn's algorithm)."""
    partner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j, candidate in enumerate(right):
            if j in seen or not agree(left[i], candidate):
                continue
            seen.add(j)
            if j not in partner or assign(partner[j], seen):
                partner[j] = i
                return True
        return False

    return all(assign(i, set()) for i in range(len(left)))


# Dates


def _dates_conflict(left: list[dict], right: list[dict]) -> str:
    a = [span for span in map(_date_span, left) if span]
    b = [span for span in map(_date_span, right) if span]
    only_left = [s for s in a if not any(_overlap(s, t) for t in b)]
    only_right = [t for t in b if not any(_overlap(s, t) for s in a)]
    if only_left and only_right:
        return f"dates differ: {_date_texts(only_left)} vs {_date_texts(only_right)}"
    return ""


@dataclass(frozen=True)
class _DateSpan:
    text: str
    first: date
    last: date


def _date_span(raw: dict) -> _DateSpan | None:
    resolved, granularity = raw.get("resolved"), raw.get("granularity")
    if not resolved:
        return None
    try:
        if granularity == "year":
            year = int(resolved)
            return _DateSpan(raw["text"], date(year, 1, 1), date(year, 12, 31))
        if granularity == "month":
            year, month = (int(part) for part in resolved.split("-"))
            last_day = calendar.monthrange(year, month)[1]
            return _DateSpan(raw["text"], date(year, month, 1), date(year, month, last_day))
        day = date.fromisoformat(resolved)
    except ValueError:
        return None
    if granularity == "week":  # "last week": a day a week back, give or take the week
        return _DateSpan(raw["text"], day - timedelta(days=6), day + timedelta(days=6))
    return _DateSpan(raw["text"], day, day)


def _overlap(a: _DateSpan, b: _DateSpan) -> bool:
    return a.first <= b.last and b.first <= a.last


def _date_texts(spans: list[_DateSpan]) -> str:
    return ", ".join(span.text for span in spans)


# People, places, groups


def _entities_conflict(left: ClaimFacts, right: ClaimFacts) -> str:
    a, b = _named(left.entities), _named(right.entities)
    for group in sorted(set(_ENTITY_GROUPS.values())):
        only_left = _unmatched(a, b, group)
        only_right = _unmatched(b, a, group)
        if only_left and only_right:
            return f"{group} differs: {', '.join(only_left)} vs {', '.join(only_right)}"
    return ""


def _named(entities: list[dict]) -> list[tuple[str, str]]:
    """(group, name) of the people, places and groups named in a claim."""
    return [
        (_ENTITY_GROUPS[entity["label"]], entity["text"])
        for entity in entities
        if entity.get("label") in _ENTITY_GROUPS and entity.get("text")
    ]


def _unmatched(mine: list[tuple[str, str]], theirs: list[tuple[str, str]], group: str) -> list[str]:
    """Names of `group` in `mine` that name nothing in `theirs` (of any group: NER labels vary)."""
    return [
        name
        for kind, name in mine
        if kind == group and not any(same_name(name, other) for _, other in theirs)
    ]
