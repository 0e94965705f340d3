"""Disputes: the claims of a story that disagree, found by blocks rather than all pairs.

Three kinds, each with a sentence saying why:
- `figures`: two sides give figures for the same counted thing (same kind and unit, same
  outcome and noun, e.g. people killed) about the same place and period that cannot both hold:
  "only 12 confirmed dead" against "at least 40 killed". Comparators count: ">= 40" and "about
  45" agree.
- `denial`: a claim that rejects another side's claim ("the allegations are inaccurate",
  "rejected", "denied", "lies"), linked to the claims of the side it names, or, when it names
  nobody, to the other sides' claims it is closest to.
- `contrary`: two sides assert near-identical things with opposite polarity (a negation, or an
  antonym such as rose/fell), e.g. "the coalition spared the militants" against "the coalition
  never spared any militants".

Claims of one side never dispute each other. Figures are compared within blocks of the same
counted thing, contrary assertions within clusters or buckets of similar embeddings, denials
against the claims of the side they name: a story with thousands of claims stays fast.

Plain Python and numpy; the caller says which claims belong to which side.
"""

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

import numpy as np
from threadpoolctl import threadpool_limits

FIGURES, DENIAL, CONTRARY = "figures", "denial", "contrary"

# Relative tolerance of an approximate figure ("about 45" is 38 to 52).
APPROXIMATE_TOLERANCE = 0.15
# Distinct (side, figure, place, period) items compared pairwise in one block of a counted
# thing; a block with more keeps those carried by the most claims (the figures many outlets
# repeat), so a block costs at most 1,770 comparisons.
MAX_BLOCK_ITEMS = 60
# A denial is linked to at most this many claims of the side it answers.
MAX_DENIAL_TARGETS = 3
# Similarity (cosine of MiniLM embeddings) a denial needs with a claim it names nobody for.
DENIAL_UNNAMED_SIMILARITY = 0.45
# Similarity of two claims that assert the same thing with opposite polarity.
CONTRARY_SIMILARITY = 0.5
# Share of the shorter claim's content words (negations and antonyms left out) the longer one
# repeats, and at least this many of them: the two must be about the same thing.
CONTRARY_OVERLAP = 0.6
CONTRARY_SHARED_WORDS = 2
# Random-hyperplane buckets for contrary candidates: tables x bits per table (a pair at cosine
# 0.72 shares a bucket in at least one table nine times in ten, at 0.8 97 times in a hundred).
_LSH_TABLES, _LSH_BITS = 12, 6
# Each claim is weighed against at most this many of the closest opposite claims in a block.
_CONTRARY_CANDIDATES = 5
_MAX_BUCKET = 300


@dataclass(frozen=True)
class SideOf:
    """Who a claim is by: `actor` (its speaker) and `side` (the actor it speaks for)."""

    actor: Hashable
    side: Hashable
    name: str
    side_name: str = ""


@dataclass(frozen=True)
class ClaimForDisputes:
    id: Hashable
    text: str
    by: SideOf | None  # None: nobody known (unresolved); such a claim disputes nothing
    figures: Sequence[dict] = ()
    dates: Sequence[dict] = ()
    entities: Sequence[dict] = ()
    embedding: np.ndarray | None = None
    cluster: Hashable | None = None
    document: Hashable | None = None
    start: int = 0


@dataclass(frozen=True)
class ActorNames:
    """The names a side goes by in the story, to find it named in a denial."""

    side: Hashable
    name: str
    aliases: Sequence[str] = ()


@dataclass(frozen=True)
class Dispute:
    kind: str
    claims: tuple[Hashable, ...]
    detail: str
    # Stable within a story while its claims grow: the thing disputed, not the claim set.
    key: str = ""


def find_disputes(
    claims: Sequence[ClaimForDisputes], actors: Sequence[ActorNames] = ()
) -> list[Dispute]:
    """Every dispute among a story's claims: figures, then denials, then contrary assertions."""
    # The products here are small: BLAS threads cost far more than they give, most of all on a
    # busy machine (36 times slower at a load of 20 on two cores).
    with threadpool_limits(limits=1, user_api="blas"):
        return _find_disputes(claims, actors)


def _find_disputes(
    claims: Sequence[ClaimForDisputes], actors: Sequence[ActorNames]
) -> list[Dispute]:
    attributed = [claim for claim in claims if claim.by is not None]
    disputes = figure_disputes(attributed, actors)
    denials = denial_disputes(attributed, actors)
    disputes += denials
    denied_pairs = {
        frozenset((dispute.claims[0], target)) for dispute in denials for target in dispute.claims
    }
    disputes += [
        dispute
        for dispute in contrary_disputes(attributed)
        if frozenset(dispute.claims) not in denied_pairs
    ]
    return disputes


# --- figures ---------------------------------------------------------------------------------

_OUTCOMES = {
    "killed": "killed kill kills killing dead died die dying death deaths fatalities lives bodies"
    " perished slain",
    "injured": "injured injuring injuries wounded wounding hurt",
    "casualties": "casualties",
    "missing": "missing unaccounted",
    "displaced": "displaced fled evacuated homeless refugees",
    "detained": "detained arrested captured imprisoned",
}
_OUTCOME_WORDS = {name: words.split() for name, words in _OUTCOMES.items()}
_OUTCOME_NOUNS = frozenset(word for words in _OUTCOME_WORDS.values() for word in words)
# "12 people were confirmed dead", "40 killed": the outcome within a few words after the number.
_OUTCOME_AFTER = {
    name: re.compile(r"^(?:[\s,]+[\w'’-]+){0,4}?[\s,]+(?:" + "|".join(words) + r")\b", re.I)
    for name, words in _OUTCOME_WORDS.items()
}
# "killing at least 40": the outcome right before it comes first.
_OUTCOME_JUST_BEFORE = {
    name: re.compile(r"\b(?:" + "|".join(words) + r")\s+$", re.I)
    for name, words in _OUTCOME_WORDS.items()
}
# "the death toll rose to 45": the outcome a few words before it.
_OUTCOME_BEFORE = {
    name: re.compile(r"\b(?:" + "|".join(words) + r")(?:\s+(?:toll|[a-z]+)){0,3}\s+$", re.I)
    for name, words in _OUTCOME_WORDS.items()
}
_CLAUSE_END = re.compile(r"[;:!?]|\bbut\b|\bwhile\b|\bwhereas\b")
_PEOPLE = frozenset({"", "people", "persons", "person", "individuals", "victims"})
# Groups of people: a figure about them with an outcome bounds the figure for people.
_GROUPS_OF_PEOPLE = frozenset(
    [
        "worker",
        "civilian",
        "soldier",
        "child",
        "woman",
        "man",
        "resident",
        "passenger",
        "patient",
        "fighter",
        "militant",
        "protester",
        "student",
        "miner",
        "firefighter",
        "police",
        "officer",
        "troop",
        "employee",
        "member",
        "villager",
        "migrant",
        "refugee",
        "journalist",
        "crew",
        "staff",
        "adult",
        "teenager",
        "pilgrim",
        "children",
        "women",
        "men",
    ]
)
_SPEECH_DATE = re.compile(
    r"\b(?:said|says|told|announced|stated|reported|added|claimed|denied|wrote|tweeted|posted"
    r"|confirmed|statement|briefing|interview)\s+(?:\w+\s+){0,3}?(?:on|late|early|this|last)?\s*$",
    re.IGNORECASE,
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class _Bounds:
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: "_Bounds") -> bool:
        return _below(self.low, self.low_open, other.high, other.high_open) and _below(
            other.low, other.low_open, self.high, self.high_open
        )


@dataclass
class _FigureItem:
    side: Hashable
    name: str
    text: str
    bounds: _Bounds
    period: tuple[date, date] | None
    places: frozenset[str]
    claims: list[Hashable] = field(default_factory=list)


def figure_disputes(
    claims: Sequence[ClaimForDisputes], actors: Sequence[ActorNames] = ()
) -> list[Dispute]:
    """Groups of figures for the same counted thing, place and period that cannot all hold."""
    actor_words = _actor_words(actors)
    blocks: dict[tuple, dict[tuple, _FigureItem]] = defaultdict(dict)
    for claim in claims:
        period = _period(claim)
        places = _places(claim, actor_words)
        for figure in claim.figures:
            measure = counted_thing(claim.text, figure)
            bounds = figure_bounds(figure)
            if measure is None or bounds is None:
                continue
            for block, block_bounds in _blocks_of(measure, bounds):
                identity = (claim.by.side, block_bounds, period, places)
                item = blocks[block].get(identity)
                if item is None:
                    item = blocks[block][identity] = _FigureItem(
                        claim.by.side, claim.by.name, figure["text"], block_bounds, period, places
                    )
                if claim.id not in item.claims:
                    item.claims.append(claim.id)
    disputes = []
    for measure, items in blocks.items():
        chosen = sorted(items.values(), key=lambda item: -len(item.claims))[:MAX_BLOCK_ITEMS]
        for group in _conflicting_groups(chosen):
            disputes.append(_figure_dispute(measure, group))
    return disputes


def _blocks_of(
    measure: tuple[str, str, str, str], bounds: _Bounds
) -> list[tuple[tuple[str, str, str, str], _Bounds]]:
    """The blocks a figure is compared in: its own, and for a group of people with an outcome
    ("at least 40 workers killed") the people block too, as a lower bound only: 40 workers
    killed means at least 40 people killed, and contradicts "only 12 deaths"."""
    kind, unit, outcome, noun = measure
    blocks = [(measure, bounds)]
    if outcome and noun != "people" and noun in _GROUPS_OF_PEOPLE:
        at_least = _Bounds(bounds.low, float("inf"), low_open=bounds.low_open)
        blocks.append(((kind, unit, outcome, "people"), at_least))
    return blocks


def counted_thing(sentence: str, figure: dict) -> tuple[str, str, str, str] | None:
    """(kind, unit, outcome, noun) of what a figure counts, or None when it cannot be told.

    "only 12 people were confirmed dead" -> ("count", "", "killed", "people"); "300 airstrikes"
    -> ("count", "", "", "airstrike"). `figure` spans are offsets into `sentence` or, shifted,
    into the article; both are read from the figure's own text.
    """
    kind = figure.get("kind")
    if kind not in ("count", "money", "percent", "measure", "range"):
        return None
    position = _figure_position(sentence, figure)
    if position is None:
        return None
    before, after = sentence[: position[0]], sentence[position[1] :]
    after = after[: m.start()] if (m := _CLAUSE_END.search(after)) else after
    noun = _singular(figure.get("counted", "").lower())
    if "year" in noun or noun.endswith("old"):
        return None
    outcome = _outcome(before, after, noun)
    if outcome:
        noun = "people" if noun in _PEOPLE or noun in _OUTCOME_NOUNS else noun
    elif noun in _PEOPLE:
        return None  # "300 people", "61 people": people doing what is not said
    kind = "count" if kind == "range" else kind
    return (kind, figure.get("unit", ""), outcome, noun)


def figure_bounds(figure: dict) -> _Bounds | None:
    """The values a figure allows: "at least 40" is [40, inf), "about 45" 38.25 to 51.75."""
    comparator = figure.get("comparator", "=")
    value = figure.get("value")
    if comparator == "range":
        low, high = figure.get("low"), figure.get("high")
        return None if low is None or high is None else _Bounds(float(low), float(high))
    if value is None:
        return None
    value = float(value)
    slack = abs(value) * APPROXIMATE_TOLERANCE if figure.get("approximate") else 0.0
    inf = float("inf")
    # "just over 40" and "nearly 300" are near the number on one side; "more than 40" is open.
    if comparator in (">", ">="):
        return _Bounds(value, value + slack if slack else inf, low_open=comparator == ">")
    if comparator in ("<", "<="):
        return _Bounds(value - slack if slack else -inf, value, high_open=comparator == "<")
    return _Bounds(value - slack, value + slack)


def _figure_position(sentence: str, figure: dict) -> tuple[int, int] | None:
    text = figure.get("text", "")
    start = figure.get("start", -1)
    if start >= 0 and sentence[start : start + len(text)] == text:
        return start, start + len(text)
    found = sentence.find(text) if text else -1
    return (found, found + len(text)) if found >= 0 else None


def _outcome(before: str, after: str, noun: str) -> str:
    tail = _CLAUSE_END.split(before[-60:])[-1]
    for name, words in _OUTCOME_WORDS.items():
        if noun in words or _OUTCOME_JUST_BEFORE[name].search(tail):
            return name
    for name, pattern in _OUTCOME_AFTER.items():
        if pattern.match(after):
            return name
    for name, pattern in _OUTCOME_BEFORE.items():
        if pattern.search(tail):
            return name
    return ""


def _singular(noun: str) -> str:
    words = noun.split()
    if not words:
        return ""
    last = words[-1]
    if last in _PEOPLE or last in _OUTCOME_NOUNS:
        return " ".join(words)
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return " ".join([*words[:-1], last])


def _period(claim: ClaimForDisputes) -> tuple[date, date] | None:
    """The span of time the claim's figures are about: its dates, leaving out when it was said."""
    spans = []
    for mention in claim.dates:
        resolved, granularity = mention.get("resolved"), mention.get("granularity")
        if not resolved or _SPEECH_DATE.search(_before_mention(claim, mention)):
            continue
        span = _date_span(resolved, granularity)
        if span:
            spans.append(span)
    if not spans:
        return None
    return min(span[0] for span in spans), max(span[1] for span in spans)


def _before_mention(claim: ClaimForDisputes, mention: dict) -> str:
    index = claim.text.find(mention.get("text", ""))
    return claim.text[:index] if index >= 0 else ""


def _date_span(resolved: str, granularity: str) -> tuple[date, date] | None:
    try:
        parts = [int(part) for part in resolved.split("-")]
    except ValueError:
        return None
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, following - timedelta(days=1)
    day = date(*parts[:3])
    return (day, day + timedelta(days=6)) if granularity == "week" else (day, day)


def _places(claim: ClaimForDisputes, actor_words: set[str]) -> frozenset[str]:
    return frozenset(
        name
        for entity in claim.entities
        if entity.get("label") in _PLACE_LABELS
        and (name := _normal(entity.get("text", "")))
        and name not in actor_words
    )


def _compatible(first: _FigureItem, second: _FigureItem) -> bool:
    if first.side == second.side:
        return False
    if first.places and second.places and not first.places & second.places:
        return False
    if first.period and second.period:
        return first.period[0] <= second.period[1] and second.period[0] <= first.period[1]
    return True


def _conflicting_groups(items: list[_FigureItem]) -> list[list[_FigureItem]]:
    """Items joined by conflicts (compatible, but their values cannot both hold), as groups."""
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    in_conflict = set()
    for i, j in combinations(range(len(items)), 2):
        first, second = items[i], items[j]
        if _compatible(first, second) and not first.bounds.overlaps(second.bounds):
            parent[root(i)] = root(j)
            in_conflict.update((i, j))
    groups: dict[int, list[_FigureItem]] = defaultdict(list)
    for index in sorted(in_conflict):
        groups[root(index)].append(items[index])
    return list(groups.values())


def _figure_dispute(measure: tuple[str, str, str, str], group: list[_FigureItem]) -> Dispute:
    kind, unit, outcome, noun = measure
    thing = " ".join(part for part in (unit if kind == "money" else "", noun, outcome) if part)
    if kind == "percent":
        thing = f"% of {noun}" if noun else "%"
    ordered = sorted(group, key=lambda item: (item.bounds.low, item.bounds.high))
    counts: dict[tuple[str, str], int] = {}
    for item in ordered:
        counts[(item.name, item.text)] = counts.get((item.name, item.text), 0) + len(item.claims)
    said = "; ".join(
        f"{name} says «{text}»" + (f" ({count} claims)" if count > 1 else "")
        for (name, text), count in counts.items()
    )
    claims = tuple(dict.fromkeys(claim for item in ordered for claim in item.claims))
    places = sorted(set().union(*(item.places for item in group)))
    where = f" in {', '.join(places)}" if places else ""
    return Dispute(
        FIGURES,
        claims,
        f"Figures for {thing}{where} that cannot all be right: {said}.",
        key=f"{FIGURES}:{kind}:{unit}:{outcome}:{noun}:{','.join(places)}",
    )


def _below(value: float, value_open: bool, limit: float, limit_open: bool) -> bool:
    return value < limit or (value == limit and not (value_open or limit_open))


# --- denials ---------------------------------------------------------------------------------

_FALSEHOOD = (
    r"inaccurate|false|untrue|baseless|groundless|unfounded|fabricated|fabrications?|lies|a lie"
    r"|fake|misleading|wrong|absurd|nonsense|fiction|incorrect|propaganda|slander|disinformation"
    r"|not true|without foundation|distortions?|smears?"
)
_CLAIM_NOUN = (
    r"allegations?|accusations?|claims?|reports?|statements?|assertions?|charges?|suggestions?"
    r"|assessments?|version|figures?|account|insinuations?|rumou?rs?"
)
_DENIAL_PATTERNS = (
    re.compile(
        r"\b(?:" + _CLAIM_NOUN + r")\b[^.;]{0,100}?\b(?:are|were|is|was|as|be|been|called|"
        r"calling|labell?ed)\s+(?:\w+\s+){0,3}?(?:" + _FALSEHOOD + r")\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:denied|denies|deny|denying|rejected|rejects|rejecting|refuted|refutes|refuting"
        r"|dismissed|dismisses|disputed|disputes|contested|contests|rebuffed|rebutted)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:" + _FALSEHOOD + r")\b", re.IGNORECASE),
)
# "these allegations", "such claims", "the reports": a denial of what was reported before.
_ANAPHORIC_DENIAL = re.compile(
    r"\b(?:these|those|such|the|this|that|any)\s+(?:\w+\s+)?(?:" + _CLAIM_NOUN + r")\b"
    r"|\b(?:denied|denies|rejected|rejects|dismissed)\s+(?:it|this|that|them)\b",
    re.IGNORECASE,
)
# Claims that are about what the denial answers: "allegations by X", "X's claims".
_CLAIM_NOUN_PATTERN = re.compile(r"\b(?:" + _CLAIM_NOUN + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z'’-]+")
_STOPWORD_TEXT = (
    "the a an and or of to in on at for by with from as is are was were be been being that "
    "this these those it its their his her they he she we our us you your i not no never any "
    "all some had has have will would could should may might said says told say also than then "
    "there here which who whom whose what when where while into over under about after before "
    "most such only just very can did do does done n't"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def is_denial(text: str) -> bool:
    """Whether a sentence rejects something said ("the allegations are inaccurate", "denied")."""
    return any(pattern.search(text) for pattern in _DENIAL_PATTERNS)


def denial_disputes(
    claims: Sequence[ClaimForDisputes], actors: Sequence[ActorNames] = ()
) -> list[Dispute]:
    """Each denial linked to the claims of the side it answers: the side it names, or, naming
    nobody, the claims that accuse the denier and those its article reported just before."""
    index = _DenialIndex(claims, actors)
    disputes = []
    for denial in index.denials:
        named = index.named_sides(denial)
        if named:
            candidates = [claim for side in named for claim in index.shortlist(side, denial)]
        else:
            candidates = index.unnamed_candidates(denial)
        targets = _denied_claims(denial, candidates, index, named=bool(named))
        if targets:
            disputes.append(_denial_dispute(denial, targets, named=bool(named)))
    return disputes


# Claims of a named side compared closely with a denial: the most similar ones.
_DENIAL_SHORTLIST = 30


class _DenialIndex:
    """The story's claims by side, with the sides each claim names, found in one pass."""

    def __init__(self, claims: Sequence[ClaimForDisputes], actors: Sequence[ActorNames]) -> None:
        self.denials = [claim for claim in claims if is_denial(claim.text)]
        denial_ids = {claim.id for claim in self.denials}
        self.by_side: dict[Hashable, list[ClaimForDisputes]] = defaultdict(list)
        self.by_document: dict[Hashable, list[ClaimForDisputes]] = defaultdict(list)
        for claim in claims:
            if claim.id not in denial_ids:
                self.by_side[claim.by.side].append(claim)
                self.by_document[claim.document].append(claim)
        self._side_of_alias = {
            _normal(alias): actor.side
            for actor in actors
            for alias in (actor.name, *actor.aliases)
            if len(alias) >= 3
        }
        aliases = sorted(self._side_of_alias, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"\b(?:the\s+)?(" + "|".join(re.escape(a) for a in aliases) + r")(?:['’]s)?\b",
                re.IGNORECASE,
            )
            if aliases
            else None
        )
        self._mentions: dict[Hashable, list[tuple[int, Hashable]]] = {}
        self._matrices: dict[Hashable, np.ndarray | None] = {}
        self.accusing: dict[Hashable, list[ClaimForDisputes]] = defaultdict(list)
        for side, side_claims in self.by_side.items():
            for claim in side_claims:
                for named_side in {named for _, named in self.mentions(claim)}:
                    if named_side != side:
                        self.accusing[named_side].append(claim)

    def mentions(self, claim: ClaimForDisputes) -> list[tuple[int, Hashable]]:
        """(position, side) of each side the claim names."""
        if claim.id not in self._mentions:
            found = self._pattern.finditer(claim.text) if self._pattern else ()
            self._mentions[claim.id] = [
                (match.start(), self._side_of_alias[_normal(match.group(1))]) for match in found
            ]
        return self._mentions[claim.id]

    def named_sides(self, denial: ClaimForDisputes) -> list[Hashable]:
        """The other sides a denial names, those attached to a claim noun first."""
        attached, mentioned = [], []
        for position, side in self.mentions(denial):
            if side == denial.by.side:
                continue
            window = denial.text[max(0, position - 40) : position + 60]
            target = attached if _CLAIM_NOUN_PATTERN.search(window) else mentioned
            if side not in target:
                target.append(side)
        return attached or mentioned

    def shortlist(self, side: Hashable, denial: ClaimForDisputes) -> list[ClaimForDisputes]:
        """The side's claims closest to the denial, and those it reported just before it."""
        claims = self.by_side[side]
        if len(claims) <= _DENIAL_SHORTLIST:
            return claims
        if side not in self._matrices:
            self._matrices[side] = _matrix(claims)
        matrix = self._matrices[side]
        if matrix is None or denial.embedding is None:
            closest = claims[:_DENIAL_SHORTLIST]
        else:
            order = np.argsort(-(matrix @ _unit(denial.embedding)))[:_DENIAL_SHORTLIST]
            closest = [claims[i] for i in order]
        before = [c for c in self.by_document[denial.document] if c.by.side == side]
        return list({claim.id: claim for claim in (*closest, *before)}.values())

    def unnamed_candidates(self, denial: ClaimForDisputes) -> list[ClaimForDisputes]:
        """Other sides' claims that accuse the denier, and what its article reported before."""
        own = denial.by.side
        accusing = self.accusing[own]
        before = [
            claim
            for claim in self.by_document[denial.document]
            if claim.by.side != own and claim.start < denial.start
        ]
        return list({claim.id: claim for claim in (*accusing, *before)}.values())


def _matrix(claims: list[ClaimForDisputes]) -> np.ndarray | None:
    if any(claim.embedding is None for claim in claims):
        return None
    return np.vstack([_unit(claim.embedding) for claim in claims])


def _denied_claims(
    denial: ClaimForDisputes,
    candidates: list[ClaimForDisputes],
    index: _DenialIndex,
    *,
    named: bool,
) -> list[ClaimForDisputes]:
    if not candidates:
        return []
    anaphoric = bool(_ANAPHORIC_DENIAL.search(denial.text))
    scored = []
    for claim, similarity in zip(candidates, _similarities(denial, candidates), strict=True):
        score = similarity
        if any(side == denial.by.side for _, side in index.mentions(claim)):
            score += 0.2  # an accusation against the side that denies it
        if claim.document == denial.document and claim.start < denial.start:
            # "these allegations": what the article reported just before
            score += 0.3 if anaphoric else 0.1
        if named or score >= DENIAL_UNNAMED_SIMILARITY:
            scored.append((score, claim))
    scored.sort(key=lambda pair: -pair[0])
    return [claim for _, claim in scored[:MAX_DENIAL_TARGETS]]


def _denial_dispute(
    denial: ClaimForDisputes, targets: list[ClaimForDisputes], *, named: bool
) -> Dispute:
    answered = " and ".join(
        dict.fromkeys(target.by.side_name or target.by.name for target in targets)
    )
    how = f"names {answered}" if named else f"is closest to what {answered} said"
    return Dispute(
        DENIAL,
        (denial.id, *(target.id for target in targets)),
        f"{denial.by.name} rejects a claim of {answered} (the denial {how}): "
        f"«{_short(denial.text)}» answers «{_short(targets[0].text)}».",
        key=f"{DENIAL}:{denial.id}",
    )


def _similarities(claim: ClaimForDisputes, others: list[ClaimForDisputes]) -> list[float]:
    matrix = _matrix(others) if claim.embedding is not None else None
    if matrix is not None:
        return [float(value) for value in matrix @ _unit(claim.embedding)]
    words = _content_words(claim.text)
    return [_jaccard(words, _content_words(other.text)) for other in others]


# --- contrary assertions ---------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|denied|denies|deny"
    r"|false|untrue)\b|n['’]t\b",
    re.IGNORECASE,
)
_ANTONYMS = (
    ("increase", "decrease"), ("increased", "decreased"), ("rose", "fell"), ("rise", "fall"),
    ("risen", "fallen"), ("rising", "falling"), ("grew", "shrank"), ("more", "fewer"),
    ("higher", "lower"), ("won", "lost"), ("win", "lose"), ("true", "false"),
    ("guilty", "innocent"), ("legal", "illegal"), ("lawful", "unlawful"), ("safe", "unsafe"),
    ("success", "failure"), ("succeeded", "failed"), ("support", "oppose"),
    ("supported", "opposed"), ("accept", "reject"), ("accepted", "rejected"),
    ("allowed", "banned"), ("alive", "dead"), ("targeted", "spared"), ("attacked", "spared"),
    ("struck", "spared"), ("hit", "missed"), ("present", "absent"), ("confirmed", "denied"),
    ("improved", "worsened"), ("better", "worse"), ("gained", "lost"), ("open", "closed"),
    ("armed", "unarmed"), ("civilians", "militants"), ("civilian", "military"),
)  # fmt: skip
_ANTONYM_OF = {a: b for a, b in _ANTONYMS} | {b: a for a, b in _ANTONYMS}


def contrary_disputes(claims: Sequence[ClaimForDisputes]) -> list[Dispute]:
    """Pairs of sides asserting the same thing with opposite polarity, within similarity blocks.

    In each block only negated claims meet affirmed ones (and claims with antonyms each other),
    compared a block at a time as one matrix product; each negated claim (or antonym claim) is
    paired with the closest claim of another side that says the opposite.
    """
    with_vectors = [claim for claim in claims if claim.embedding is not None]
    if not with_vectors:
        return []
    vectors = np.vstack([_unit(claim.embedding) for claim in with_vectors])
    words = [_content_words(claim.text) for claim in with_vectors]
    plain = [_plain(word_set) for word_set in words]
    negated = np.array([len(_NEGATION.findall(c.text)) % 2 == 1 for c in with_vectors])
    antonyms = np.array([bool(word_set & _ANTONYM_OF.keys()) for word_set in words])
    side_codes: dict[Hashable, int] = {}
    sides = np.array([side_codes.setdefault(c.by.side, len(side_codes)) for c in with_vectors])
    best: dict[int, tuple[float, int, str]] = {}
    for block in _blocks(with_vectors, vectors):
        rows = np.asarray(block)
        for left, right in (
            (rows[negated[rows]], rows[~negated[rows]]),
            (rows[antonyms[rows]], rows[antonyms[rows]]),
        ):
            if not len(left) or not len(right):
                continue
            similarity = vectors[left] @ vectors[right].T
            similarity[sides[left][:, None] == sides[right][None, :]] = -1.0
            keep = min(_CONTRARY_CANDIDATES, similarity.shape[1])
            closest = np.argpartition(-similarity, keep - 1, axis=1)[:, :keep]
            for a, b in zip(
                *np.nonzero(np.take_along_axis(similarity, closest, 1) >= CONTRARY_SIMILARITY),
                strict=True,
            ):
                i, j = int(left[a]), int(right[closest[a, b]])
                _weigh_contrary(i, j, with_vectors, vectors, words, plain, negated, best)
    pairs = {frozenset((i, j)): why for i, (_, j, why) in sorted(best.items())}
    return [
        _contrary_dispute(*(with_vectors[k] for k in sorted(pair)), why)
        for pair, why in pairs.items()
    ]


def _weigh_contrary(i, j, claims, vectors, words, plain, negated, best) -> None:
    """Keeps j as i's contrary claim if they say the opposite and j is the closest so far."""
    if i > j and not negated[i]:
        i, j = j, i  # two antonym claims: the pair is kept under the first
    similarity = float(vectors[i] @ vectors[j])
    if i in best and best[i][0] >= similarity:
        return
    if not _same_thing(plain[i], plain[j]):
        return
    first, second = claims[i], claims[j]
    why = _opposite(first.text, second.text, words[i], words[j], negated[i], negated[j])
    if why:
        best[i] = (similarity, j, why)


def _opposite(
    first: str, second: str, first_words: set[str], second_words: set[str], neg1: bool, neg2: bool
) -> str:
    if neg1 != neg2:
        negation = _NEGATION.search(first if neg1 else second)
        return f'one says "{negation.group(0)}" where the other affirms'
    for word in first_words:
        opposite = _ANTONYM_OF.get(word)
        if opposite and opposite in second_words and word not in second_words:
            return f'"{word}" against "{opposite}"'
    return ""


def _contrary_dispute(first: ClaimForDisputes, second: ClaimForDisputes, why: str) -> Dispute:
    first, second = sorted((first, second), key=lambda claim: str(claim.id))
    return Dispute(
        CONTRARY,
        (first.id, second.id),
        f"{first.by.name} and {second.by.name} say opposite things ({why}): "
        f"«{_short(first.text)}» against «{_short(second.text)}».",
        key=f"{CONTRARY}:{first.id}:{second.id}",
    )


def _blocks(claims: list[ClaimForDisputes], vectors: np.ndarray) -> Iterable[list[int]]:
    """Indices of claims worth comparing: one cluster, or one bucket of similar embeddings."""
    clusters: dict[Hashable, list[int]] = defaultdict(list)
    for index, claim in enumerate(claims):
        if claim.cluster is not None:
            clusters[claim.cluster].append(index)
    yield from (block[:_MAX_BUCKET] for block in clusters.values() if len(block) > 1)
    planes = np.random.default_rng(20261203).standard_normal(
        (_LSH_TABLES, vectors.shape[1], _LSH_BITS)
    )
    powers = 1 << np.arange(_LSH_BITS)
    for table in planes:
        buckets: dict[int, list[int]] = defaultdict(list)
        for index, code in enumerate(((vectors @ table) > 0) @ powers):
            buckets[int(code)].append(index)
        yield from (bucket[:_MAX_BUCKET] for bucket in buckets.values() if len(bucket) > 1)


# --- shared helpers --------------------------------------------------------------------------


def _actor_words(actors: Sequence[ActorNames]) -> set[str]:
    return {_normal(name) for actor in actors for name in (actor.name, *actor.aliases)}


def _normal(text: str) -> str:
    text = re.sub(r"^the\s+", "", text.strip().lower())
    return re.sub(r"['’]s$", "", text)


def _content_words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _STOPWORDS}


def _plain(words: set[str]) -> set[str]:
    """Content words without the negations and antonyms that make two claims opposite."""
    return {w for w in words if w not in _ANTONYM_OF and not _NEGATION.fullmatch(w)}


def _same_thing(first: set[str], second: set[str]) -> bool:
    shared = len(first & second)
    shorter = min(len(first), len(second))
    return shared >= CONTRARY_SHARED_WORDS and shared / shorter >= CONTRARY_OVERLAP


def _jaccard(first: set[str], second: set[str]) -> float:
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def _unit(vector) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm else array


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- sides -----------------------------------------------------------------------------------


def sides_of(
    units: Sequence[Hashable], oppositions: Iterable[tuple[Hashable, Hashable]]
) -> dict[Hashable, int]:
    """Which side of a story each unit (an organisation with its people) is on: units that
    disagree (a dispute between them) go to opposite sides, found by walking the disputes from
    the unit most often in one; 0 for a unit in no dispute, then 1, 2 for the two sides, more
    for separate disagreements."""
    against: dict[Hashable, set[Hashable]] = defaultdict(set)
    for first, second in oppositions:
        if first != second:
            against[first].add(second)
            against[second].add(first)
    side: dict[Hashable, int] = {unit: 0 for unit in units}
    next_pair = 1
    for start in sorted(against, key=lambda unit: (-len(against[unit]), str(unit))):
        if side.get(start):
            continue
        side[start] = next_pair
        queue = [start]
        while queue:
            unit = queue.pop(0)
            opposite = next_pair + 1 if side[unit] == next_pair else next_pair
            for other in sorted(against[unit], key=str):
                if not side.get(other):
                    side[other] = opposite
                    queue.append(other)
        next_pair += 2
    return side
