"""How the queue orders claims: plain arithmetic on a claim's inputs, no database."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviews.models import Review

# Each further outlet carrying the same claim adds this much, up to SPREAD_CAP.
SPREAD_WEIGHT_PER_OUTLET = 0.1
SPREAD_CAP = 0.5
# A claim published just now gets RECENCY_WEIGHT; the bonus falls linearly to 0 over the window.
RECENCY_WEIGHT = 0.3
RECENCY_WINDOW = timedelta(hours=72)
# A claim in a confirmed dispute (another side says otherwise) is worth checking first.
DISPUTE_WEIGHT = 0.3

_NOT_WORD = re.compile(r"[\W_]+")


def normalised_claim_text(text: str) -> str:
    """Case, accents, punctuation and spacing folded, so copies of a claim compare equal."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub(" ", folded.lower()).strip()


def claim_fingerprint(text: str) -> str:
    return hashlib.sha1(normalised_claim_text(text).encode("utf-8")).hexdigest()


def spread_part(*, outlets: int) -> float:
    return min(SPREAD_CAP, SPREAD_WEIGHT_PER_OUTLET * max(0, outlets - 1))


def dispute_part(*, confirmed_disputes: int) -> float:
    return DISPUTE_WEIGHT if confirmed_disputes > 0 else 0.0


def recency_part(*, published: datetime | None, now: datetime) -> float:
    """The bonus of a recent article; an undated one (`published` None) gets none."""
    if published is None:
        return 0.0
    age = max(timedelta(0), now - published)
    if age >= RECENCY_WINDOW:
        return 0.0
    return round(RECENCY_WEIGHT * (1 - age / RECENCY_WINDOW), 4)


@dataclass(frozen=True)
class Priority:
    score: float
    spread: float
    recency: float
    boost: float
    dispute: float = 0.0

    @property
    def total(self) -> float:
        return round(self.score + self.spread + self.recency + self.boost + self.dispute, 4)


def priority_explanation(review: "Review") -> str:
    """E.g. "score 0.82 + 3 outlets 0.20 + recent 0.15 + disputed 0.30 + boost 0.50 = 1.97"."""
    return explain(
        score=review.priority_score,
        spread=review.priority_spread,
        recency=review.priority_recency,
        dispute=review.priority_dispute,
        boost=review.priority_boost,
        outlets=review.appearance_outlets,
    )


def explain(
    *, score: float, spread: float, recency: float, dispute: float, boost: float, outlets: int
) -> str:
    """The explanation from the parts (a queue row carries them as values)."""
    parts = [f"score {score:.2f}"]
    if spread:
        parts.append(f"{outlets} outlets {spread:.2f}")
    if recency:
        parts.append(f"recent {recency:.2f}")
    if dispute:
        parts.append(f"disputed {dispute:.2f}")
    if boost:
        parts.append(f"boost {boost:.2f}")
    total = score + spread + recency + dispute + boost
    return " + ".join(parts) + f" = {total:.2f}"
