"""Split article text into sentences with exact character spans.

A rule splitter rather than a statistical one: news prose is full of titles, ranks and dotted
acronyms ("U.S. Army Col. Ryan Dillon said.") that the rules below handle predictably, and it
costs nothing next to the models.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claims.extraction.cleaning import Debris

MAX_SENTENCE_CHARS = 1_000
MAX_SENTENCES_PER_DOCUMENT = 1_500

_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "rev", "hon", "gov", "sen", "rep", "pres",
    "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "brig", "sgt", "cpl", "pvt", "cdr", "insp",
    "supt", "det", "amb", "fr", "sec", "dept", "univ", "inc", "co", "corp", "ltd", "llc", "plc",
    "bros", "no", "nos", "vs", "etc", "approx", "est", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "ave", "blvd", "rd", "fig", "al", "ed",
    "eds", "vol", "pp"
})  # fmt: skip
_SENTENCE_STARTERS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "you", "there", "here", "but", "and", "so", "yet", "however", "meanwhile", "in", "on",
    "at", "for", "if", "when", "while", "as", "after", "before", "since", "then", "his", "her",
    "their", "our"
})  # fmt: skip
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]?([A-Za-z]+)")


@dataclass(frozen=True)
class SentenceSpan:
    start: int
    end: int
    paragraph: int


def split_sentences(text: str, debris: list[Debris]) -> list[SentenceSpan]:
    sentences: list[SentenceSpan] = []
    for paragraph, (start, end) in enumerate(_paragraphs(text)):
        for segment_start, segment_end in _minus_debris(start, end, debris):
            for span in _split_segment(text, segment_start, segment_end):
                if len(sentences) == MAX_SENTENCES_PER_DOCUMENT:
                    return sentences
                if span[1] - span[0] <= MAX_SENTENCE_CHARS:
                    sentences.append(SentenceSpan(span[0], span[1], paragraph))
    return sentences


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    for match in re.finditer(r"[^\n]+", text):
        yield match.start(), match.end()


def _minus_debris(start: int, end: int, debris: list[Debris]) -> Iterator[tuple[int, int]]:
    cursor = start
    for item in debris:
        if item.end <= cursor or item.start >= end:
            continue
        if item.start > cursor:
            yield cursor, item.start
        cursor = max(cursor, item.end)
    if cursor < end:
        yield cursor, end


def _split_segment(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        if _is_false_boundary(text, match.start(), match.end(), end):
            continue
        span = _strip(text, sentence_start, match.end())
        if span:
            yield span
        sentence_start = match.end()
    span = _strip(text, sentence_start, end)
    if span:
        yield span


def _is_false_boundary(text: str, stop_start: int, stop_end: int, segment_end: int) -> bool:
    if text[stop_start] != "." or stop_end - stop_start > 1:
        return False
    word = _WORD_BEFORE.search(text, max(0, stop_start - 40), stop_start)
    if not word:
        return False
    token = word.group(1).rstrip(".").lower()
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return True
    if _DOTTED_ACRONYM.match(token):
        next_word = _NEXT_WORD.match(text, stop_end, segment_end)
        return not (next_word and next_word.group(1).lower() in _SENTENCE_STARTERS)
    return False


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None
