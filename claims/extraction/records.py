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
    # "person", "organization", "outlet" (no sign of reported speech: the outlet's own
    # reporting) or "unresolved" (someone is quoted or reported, but the text does not say who)
    speaker_kind: str = "outlet"
    # whom the speaker speaks for, when the text says it ("the U.S.-led coalition")
    speaker_affiliation: str = ""
    # `actors.actor_key(speaker, kind)`: one key per actor across documents ("" if none)
    speaker_key: str = ""
    # the words of this sentence that point at the speaker ("he", "the ministry", "Dillon")
    speaker_mention: str = ""
    # how the speaker was found: named, pronoun, nominal, quote, carried ("" if not found)
    speaker_resolution: str = ""
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
