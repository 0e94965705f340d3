"""RSS and Atom feeds to entries. A broken entry is reported and skipped, never fatal."""

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from claims.ingest.html import fragment_text
from claims.ingest.records import ArticleRecord, IngestItem, LinkToFetch, ReadFailure


class FeedInvalid(Exception):
    """The document is not a feed we can read; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str
    published: datetime | None
    summary: str
    author: str
    content: str


@dataclass(frozen=True)
class Feed:
    title: str
    entries: list[FeedEntry]
    errors: list[str] = field(default_factory=list)
    malformed: str = ""


def parse_feed(data: bytes, *, url: str = "") -> Feed:
    """Parse an RSS/Atom document given as bytes; raises `FeedInvalid` when nothing is usable.

    Only bytes are accepted: handed a string, feedparser would fetch it as a URL itself,
    bypassing the safe fetcher.
    """
    parsed = feedparser.parse(data, response_headers={"content-location": url} if url else None)
    problem = str(parsed.get("bozo_exception", "")) if parsed.bozo else ""
    if not parsed.entries and not parsed.get("version"):
        raise FeedInvalid(f"not an RSS or Atom feed{f': {problem}' if problem else ''}")
    if not parsed.entries and problem:
        raise FeedInvalid(f"malformed feed, no item could be read: {problem}")
    entries: list[FeedEntry] = []
    errors: list[str] = []
    for position, raw in enumerate(parsed.entries, start=1):
        try:
            entries.append(_entry(raw))
        except ValueError as exc:
            errors.append(f"item {position}: {exc}")
    return Feed(
        title=parsed.feed.get("title", ""), entries=entries, errors=errors, malformed=problem
    )


def feed_items(feed: Feed, *, origin: str) -> list[IngestItem]:
    """An entry carrying its full content is an article; one with only a link is to be fetched."""
    items: list[IngestItem] = [ReadFailure(origin, error) for error in feed.errors]
    for entry in feed.entries:
        text = fragment_text(entry.content)
        if text:
            items.append(
                ArticleRecord(
                    origin=entry.link or origin,
                    text=text,
                    title=entry.title,
                    url=entry.link,
                    outlet=feed.title,
                    author=entry.author,
                    published_at=entry.published,
                )
            )
        else:
            items.append(
                LinkToFetch(
                    origin=entry.link,
                    url=entry.link,
                    title=entry.title,
                    outlet=feed.title,
                    author=entry.author,
                    published_at=entry.published,
                )
            )
    return items


def _entry(raw: Any) -> FeedEntry:
    link = (raw.get("link") or "").strip()
    content = _content(raw)
    if not link and not content:
        raise ValueError("no link and no content")
    return FeedEntry(
        link=link,
        title=(raw.get("title") or "").strip(),
        published=_published(raw),
        summary=(raw.get("summary") or "").strip(),
        author=(raw.get("author") or "").strip(),
        content=content,
    )


def _content(raw: Any) -> str:
    parts = raw.get("content") or []
    return "\n\n".join(p.get("value", "").strip() for p in parts if p.get("value")).strip()


def _published(raw: Any) -> datetime | None:
    parsed = raw.get("published_parsed") or raw.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
