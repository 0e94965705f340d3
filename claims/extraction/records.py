from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ArticleInput:
    text: str
    published: date | None = None
    outlet: str = ""


@dataclass(frozen=True)
class ClaimRecord:
    """One claim found in an article; `text == article_text[start:end]`."""

    text: str
    start: int
    end: int
    claim_type: str
    score: float
    speaker: str = ""
    speaker_role: str = ""
    # "person", "organization" or "outlet" (nobody named: the claim is the outlet's own)
    speaker_kind: str = "outlet"
    entities: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    embedding: list[float] | None = None
