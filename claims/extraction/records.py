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
    # Which model and backend made `embedding` (`embeddings.embedding_version()`).
    embedding_version: str = ""
    # Dates named in the claim, resolved against the article's publication date.
    dates: list[dict] = field(default_factory=list)
    # Whether the score clears the model's committed decision threshold.
    checkworthy: bool = False


class ExtractionError(Exception):
    """The input cannot be read as an article; `reason` says why, for the document's record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
