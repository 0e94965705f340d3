"""An article's text as HTML with its claims highlighted and its scraping debris marked; every
piece of text escaped."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims.extraction.cleaning import find_debris

DEBRIS_LABELS = {
    "boilerplate": "site text",
    "credit": "credit",
    "repeated_heading": "repeated heading",
    "heading": "heading",
    "related": "related links",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "claim", "current" (the claim being read) or "debris"
    label: str = ""
    anchor: str = ""


def claim_spans(
    claims: Iterable, *, current_id: int | None = None, anchored: bool = True
) -> list[Span]:
    return [
        Span(
            claim.start,
            claim.end,
            "current" if claim.pk == current_id else "claim",
            label=f"Claim {claim.pk}",
            anchor=f"claim-{claim.pk}" if anchored else "",
        )
        for claim in claims
    ]


def debris_spans(text: str) -> list[Span]:
    return [
        Span(d.start, d.end, "debris", label=DEBRIS_LABELS.get(d.kind, d.kind.replace("_", " ")))
        for d in find_debris(text)
    ]


def marked_text_html(
    text: str, spans: Sequence[Span], *, start: int = 0, end: int | None = None
) -> SafeString:
    """text[start:end] with the spans marked; a span overlapping an earlier one is left out."""
    end = len(text) if end is None else end
    pieces = []
    cursor = start
    for span in sorted(spans, key=lambda s: (s.start, s.kind != "current")):
        if span.start < cursor or span.end > end or span.start < start:
            continue
        pieces.append(format_html("{}", text[cursor : span.start]))
        body = text[span.start : span.end]
        if span.kind == "debris":
            pieces.append(
                format_html(
                    '<span class="debris" title="Scraping debris: {}; not read for claims">'
                    '<span class="debris-label">{}</span>{}</span>',
                    span.label,
                    span.label,
                    body,
                )
            )
        else:
            pieces.append(
                format_html(
                    '<mark{} class="{}" title="{}">{}</mark>',
                    format_html(' id="{}"', span.anchor) if span.anchor else "",
                    "this-claim" if span.kind == "current" else "other-claim",
                    span.label,
                    body,
                )
            )
        cursor = span.end
    pieces.append(format_html("{}", text[cursor:end]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
