"""The first, deliberately simple extractor: sentences holding a figure or a reported-speech verb."""

import re
from collections.abc import Sequence
from datetime import date

from claims.extraction.records import ArticleInput, ClaimRecord

EXTRACTOR_VERSION = "v0"

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|$)")
_FIGURE = re.compile(r"\d[\d,.]*\s*(?:%|percent|per cent|million|billion|bn)?", re.IGNORECASE)
_SPEECH = re.compile(
    r"\b(?:said|says|told|according to|claimed|stated|announced|reported)\b", re.IGNORECASE
)
_SAID_BY = re.compile(
    r"(?:said|says|told \w+|according to)\s+((?:[A-Z][\w.'-]+\s?){1,4})"
    r"|((?:[A-Z][\w.'-]+\s?){1,4})\s+(?:said|says|told)",
)
_MIN_CHARS = 20


def extract_claims(
    text: str, *, published: date | None = None, outlet: str = ""
) -> list[ClaimRecord]:
    claims = []
    for match in _SENTENCE.finditer(text):
        start, end = _strip_span(text, match.start(), match.end())
        sentence = text[start:end]
        if len(sentence) < _MIN_CHARS:
            continue
        figures = [
            {"text": m.group().strip(), "start": start + m.start()}
            for m in _FIGURE.finditer(sentence)
        ]
        has_speech = bool(_SPEECH.search(sentence))
        if not figures and not has_speech:
            continue
        speaker = _speaker(sentence)
        claims.append(
            ClaimRecord(
                text=sentence,
                start=start,
                end=end,
                claim_type="statistic" if figures else "quote",
                score=min(1.0, 0.4 + 0.3 * bool(figures) + 0.2 * has_speech),
                speaker=speaker or outlet,
                speaker_kind="person" if speaker else "outlet",
                figures=figures,
            )
        )
    return claims


def extract_claims_batch(articles: Sequence[ArticleInput]) -> list[list[ClaimRecord]]:
    return [extract_claims(a.text, published=a.published, outlet=a.outlet) for a in articles]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _speaker(sentence: str) -> str:
    match = _SAID_BY.search(sentence)
    if not match:
        return ""
    return (match.group(1) or match.group(2) or "").strip()
