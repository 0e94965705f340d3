"""What the readers hand to ingestion: an article, a link still to fetch, or a failure."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArticleRecord:
    origin: str
    text: str
    title: str = ""
    url: str = ""
    canonical_url: str = ""
    outlet: str = ""
    author: str = ""
    published_at: datetime | None = None
    language: str = ""
    raw_html: str = ""
    # from a dateline opening the text ("WASHINGTON (Sputnik) -"): the place and the agency
    dateline_place: str = ""
    dateline_agency: str = ""
    # where `published_at` came from: "header", "html", "json", "feed", "dateline"; "" undated
    date_source: str = ""

    @property
    def undated(self) -> bool:
        return self.published_at is None


@dataclass(frozen=True)
class LinkToFetch:
    origin: str
    url: str
    title: str = ""
    outlet: str = ""
    author: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True)
class ReadFailure:
    origin: str
    reason: str


IngestItem = ArticleRecord | LinkToFetch | ReadFailure
