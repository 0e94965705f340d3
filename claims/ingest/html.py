"""HTML page to article: the main text and its metadata, without the page's furniture."""

import warnings
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml.etree import ParserError

MIN_ARTICLE_WORDS = 20
_BLOCK_TAGS = ("p", "div", "li", "br", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr")


class ArticleNotFound(Exception):
    """The page holds no article text (an index page, a login wall, an empty shell)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    author: str
    published: date | None
    site_name: str
    canonical_url: str
    language: str
    raw_html: str


def html_to_article(html: str, *, url: str = "", min_words: int = MIN_ARTICLE_WORDS) -> Article:
    """Extract the article in `html` (fetched from `url`); raises `ArticleNotFound`."""
    if not html.strip():
        raise ArticleNotFound("the page is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        extracted = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_links=False,
            include_images=False,
        )
    text = (extracted.text or "").strip() if extracted else ""
    if len(text.split()) < min_words:
        raise ArticleNotFound(f"no article text found (fewer than {min_words} words)")
    title = (extracted.title or "").strip()
    return Article(
        title=title,
        text=_drop_leading_title(text, title),
        author=(extracted.author or "").strip(),
        published=_parse_date(extracted.date),
        site_name=(extracted.sitename or "").strip(),
        canonical_url=canonical_link(html, base_url=url),
        language=(extracted.language or "").strip(),
        raw_html=html,
    )


def canonical_link(html: str, *, base_url: str = "") -> str:
    """The page's `<link rel="canonical">` as an absolute URL, or ""."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return ""
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rels and href:
            return urljoin(base_url, href)
    return ""


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's content), one paragraph per block."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return fragment.strip()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)


def _drop_leading_title(text: str, title: str) -> str:
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        return rest.strip()
    return text


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
