"""Readers for `manage.py ingest`: text with a header, HTML, JSON/JSONL exports and feed files.

Every reader yields `IngestItem`s; a file or record that cannot be read becomes a
`ReadFailure` naming where and why, and the rest of the input carries on.
"""

import codecs
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claims.ingest.dates import parse_published
from claims.ingest.feeds import FeedInvalid, feed_items, parse_feed
from claims.ingest.fetch import FetchResult
from claims.ingest.html import ArticleNotFound, html_to_article
from claims.ingest.metadata import read_dateline
from claims.ingest.records import ArticleRecord, IngestItem, ReadFailure
from claims.ingest.urls import trusted_canonical

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json", ".jsonl"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES
MAX_TITLE_CHARS = 300
HEADER_FIELDS = frozenset({"title", "outlet", "url", "date", "author", "language"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UnreadableFile(Exception):
    """The content cannot be read as articles; the message says why."""


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the supported files under each directory, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        else:
            yield path


def read_file(path: Path) -> Iterator[IngestItem]:
    """The items in one file, by its suffix."""
    suffix = path.suffix.lower()
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ReadFailure(origin, f"cannot read: {exc.strerror or exc}")
        return
    try:
        if suffix in TEXT_SUFFIXES:
            yield parse_text_article(decode_text(data), origin=origin)
        elif suffix in HTML_SUFFIXES:
            yield html_record(decode_text(data), origin=origin)
        elif suffix == ".json":
            yield from json_items(decode_text(data), origin=origin)
        elif suffix == ".jsonl":
            yield from jsonl_items(decode_text(data), origin=origin)
        elif suffix in FEED_SUFFIXES:
            yield from feed_items(parse_feed(data), origin=origin)
        else:
            yield ReadFailure(origin, f"unsupported file type {suffix or '(none)'}")
    except (UnreadableFile, ArticleNotFound, FeedInvalid) as exc:
        yield ReadFailure(origin, str(exc))


def fetched_items(result: FetchResult) -> list[IngestItem]:
    """The items in a fetched response, by its content type: a feed's entries or one article.

    Raises `FeedInvalid`, `ArticleNotFound` or `UnreadableFile` when there is nothing usable.
    """
    origin = result.url
    if result.is_html:
        return [html_record(result.text, origin=origin, url=result.final_url)]
    if result.is_feed:
        return feed_items(parse_feed(result.body, url=result.final_url), origin=origin)
    if result.content_type.endswith("json"):
        return list(json_items(result.text, origin=origin))
    record = parse_text_article(result.text, origin=origin)
    return [replace(record, url=record.url or result.final_url)]


def decode_text(data: bytes) -> str:
    """UTF-8, or UTF-16/32 when a byte order mark says so.

    Files carry no declared charset, and guessing one from a short article too often yields
    plausible nonsense in names and quotes; such a file is refused with the reason.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"not UTF-8 text ({error.reason} at byte {error.start})") from None


def parse_text_article(content: str, *, origin: str) -> ArticleRecord:
    """Plain text with an optional header (`Title:`, `Outlet:`, `URL:`, `Date:`, `Author:`,
    `Language:`).

    The header ends at the first blank line. Without a header, the first line is the title
    and not part of the text (unless it is the only line, or too long to be a headline).
    """
    header, body = _split_header(content)
    text = body.strip()
    if not text:
        raise UnreadableFile("no article text after the header")
    title = header.get("title", "")
    if not header:
        first, _, rest = text.partition("\n")
        if rest.strip() and len(first.strip()) <= MAX_TITLE_CHARS:
            title, text = first.strip(), rest.strip()
    published = parse_published(header.get("date"))
    return with_dateline(
        ArticleRecord(
            origin=origin,
            text=text,
            title=title or text.partition("\n")[0].strip()[:MAX_TITLE_CHARS],
            url=header.get("url", ""),
            outlet=header.get("outlet", ""),
            author=header.get("author", ""),
            published_at=published,
            language=header.get("language", ""),
            date_source="header" if published else "",
        )
    )


def with_dateline(record: ArticleRecord, *, today: datetime | None = None) -> ArticleRecord:
    """The dateline's place and agency on the record; the agency is the outlet when none was
    given, and the dateline's day the publication date when nothing else dates the article (a
    day without a year: the latest such day not after today)."""
    dateline = read_dateline(record.text, reference=(today or datetime.now(UTC)).date())
    if dateline is None:
        return record
    published, source = record.published_at, record.date_source
    if published is None and dateline.day is not None:
        published = parse_published(dateline.day)
        source = "dateline"
    return replace(
        record,
        outlet=record.outlet or dateline.agency,
        dateline_place=dateline.place,
        dateline_agency=dateline.agency,
        published_at=published,
        date_source=source,
    )


def html_record(html: str, *, origin: str, url: str = "") -> ArticleRecord:
    article = html_to_article(html, url=url)
    canonical = trusted_canonical(article.canonical_url, page_url=url)
    published = parse_published(article.published)
    record = ArticleRecord(
        origin=origin,
        text=article.text,
        title=article.title,
        url=url or canonical,
        canonical_url=canonical or url,
        outlet=article.site_name,
        author=article.author,
        published_at=published,
        language=article.language,
        raw_html=html,
        date_source="html" if published else "",
    )
    return with_dateline(record)


def json_items(content: str, *, origin: str) -> Iterator[IngestItem]:
    """A JSON export: one article object, a list of them, or {"articles": [...]}."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"invalid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    objects = data if isinstance(data, list) else [data]
    for position, obj in enumerate(objects, start=1):
        yield _json_record(obj, origin=f"{origin}[{position}]")


def jsonl_items(content: str, *, origin: str) -> Iterator[IngestItem]:
    """A JSON Lines export: one article object per line; a bad line fails alone."""
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadFailure(where, f"invalid JSON: {exc}")
            continue
        yield _json_record(obj, origin=where)


def _json_record(obj: Any, *, origin: str) -> IngestItem:
    if not isinstance(obj, dict):
        return ReadFailure(origin, "not a JSON object")
    text = _first_str(obj, "text", "body", "content")
    if not text.strip():
        return ReadFailure(origin, "no text")
    published = parse_published(_first_str(obj, "published_at", "published", "date"))
    record = ArticleRecord(
        origin=origin,
        text=text.strip(),
        title=_first_str(obj, "title", "headline"),
        url=_first_str(obj, "url", "link"),
        outlet=_first_str(obj, "outlet", "source", "site_name"),
        author=_first_str(obj, "author", "byline"),
        published_at=published,
        language=_first_str(obj, "language", "lang"),
        date_source="json" if published else "",
    )
    return with_dateline(record)


def _first_str(obj: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _split_header(content: str) -> tuple[dict[str, str], str]:
    lines = content.splitlines()
    header: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            return (header, "\n".join(lines[index + 1 :])) if header else ({}, content)
        key, sep, value = line.partition(":")
        field = key.strip().lower()
        if not sep or field not in HEADER_FIELDS:
            return {}, content
        header[field] = value.strip()
    return {}, content
