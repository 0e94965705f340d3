"""Find scraping debris in an article without rewriting it.

Debris is returned as character ranges into the original text, so that every sentence found
later keeps its exact offsets. Nothing inside a debris range becomes a claim.
"""

import re
from collections import Counter
from dataclasses import dataclass

_LINE = re.compile(r"[^\n]*")
_DEBRIS_LINE = re.compile(
    r"^\s*(?:more news|read more|read also|see also|also read|latest news|related(?: posts?| articles?| stories)?"
    r"|share this|share on|follow us|sign up|subscribe|advertisement|click here|comments?"
    r"|©|\(c\)|photo:|image:|photo credit|image credit|source:)\b",
    re.IGNORECASE,
)
# A block heading after which, to the end of the text, come teasers for other articles.
_RELATED_BLOCK = re.compile(
    r"^\s*(?:related posts?|related articles|related stories|you may also like|recommended)\s*:?\s*$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"\[[^\]\n]{0,120}(?:image|photo|picture|credit)[^\]\n]{0,120}\]"
    r"|\((?:photo|image|picture)[^)\n]{0,120}\)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\"'”’)\]:]\s*$")
_HEADING_MAX_WORDS = 20


@dataclass(frozen=True)
class Debris:
    start: int
    end: int
    kind: str


def find_debris(text: str) -> list[Debris]:
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() > m.start()]
    debris = _related_block(text, lines)
    cutoff = debris[0].start if debris else len(text)
    line_counts = Counter(text[s:e].strip() for s, e in lines)
    for start, end in lines:
        if start >= cutoff:
            break
        kind = _line_debris_kind(text[start:end], line_counts)
        if kind:
            debris.append(Debris(start, end, kind))
        else:
            debris.extend(
                Debris(m.start(), m.end(), "credit") for m in _CREDIT.finditer(text, start, end)
            )
    return sorted(debris, key=lambda d: d.start)


def _related_block(text: str, lines: list[tuple[int, int]]) -> list[Debris]:
    for start, end in lines:
        if _RELATED_BLOCK.match(text[start:end]):
            return [Debris(start, len(text), "related")]
    return []


def _line_debris_kind(line: str, line_counts: Counter) -> str:
    stripped = line.strip()
    if not stripped:
        return ""
    if _DEBRIS_LINE.match(stripped):
        return "boilerplate"
    if _CREDIT.fullmatch(stripped):
        return "credit"
    if line_counts[stripped] > 1 and not _SENTENCE_END.search(stripped):
        return "repeated_heading"
    if _looks_like_heading(stripped):
        return "heading"
    return ""


def _looks_like_heading(line: str) -> bool:
    """A short line with no closing punctuation: a headline, subhead, caption or footer."""
    return len(line.split()) <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(line)
