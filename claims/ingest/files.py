"""Reading article files: plain text with a small header, and HTML pages."""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from django.utils.dateparse import parse_date, parse_datetime

HEADER_FIELDS = {"title", "outlet", "url", "date", "author", "language"}
ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}


class ArticleFileError(ValueError):
    """The file cannot be read as an article; the message says why."""


@dataclass(frozen=True)
class ArticleFile:
    text: str
    title: str = ""
    outlet: str = ""
    url: str = ""
    author: str = ""
    language: str = ""
    published_at: datetime | None = None
    raw_html: str = ""


def article_paths(paths: list[Path]) -> list[Path]:
    """The article files among `paths`, directories expanded, in a stable order."""
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            found.append(path)
    return found


def read_article_file(path: Path) -> ArticleFile:
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ArticleFileError(f"not UTF-8 text ({error.reason} at byte {error.start})") from error
    except OSError as error:
        raise ArticleFileError(error.strerror or str(error)) from error
    if path.suffix.lower() in {".html", ".htm"}:
        return _article_from_html(content)
    return _article_from_text(content)


def _article_from_text(content: str) -> ArticleFile:
    header: dict[str, str] = {}
    lines = content.splitlines(keepends=True)
    body_start = 0
    for index, line in enumerate(lines):
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() in HEADER_FIELDS:
            header[name.strip().lower()] = value.strip()
            continue
        body_start = index + 1 if not line.strip() else index
        break
    body = "".join(lines[body_start:]).strip()
    if not body:
        raise ArticleFileError("no article text after the header")
    return ArticleFile(
        text=body,
        title=header.get("title", ""),
        outlet=header.get("outlet", ""),
        url=header.get("url", ""),
        author=header.get("author", ""),
        language=header.get("language", ""),
        published_at=_parse_when(header.get("date", "")),
    )


def _article_from_html(content: str) -> ArticleFile:
    extracted = trafilatura.bare_extraction(content, with_metadata=True, include_comments=False)
    if extracted is None or not (extracted.text or "").strip():
        raise ArticleFileError("no article text found in the HTML")
    return ArticleFile(
        text=extracted.text.strip(),
        title=extracted.title or "",
        outlet=extracted.sitename or "",
        url=extracted.url or "",
        author=extracted.author or "",
        language=extracted.language or "",
        published_at=_parse_when(extracted.date or ""),
        raw_html=content,
    )


def _parse_when(value: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        parsed = datetime(day.year, day.month, day.day) if day else None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
