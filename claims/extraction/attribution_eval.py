"""Measure attribution against a labelled set: who said each claim, and on which side.

A labelled line: {"text", "published" (YYYY-MM-DD or null), "outlet" (optional),
"actors": [{"name", "side", "aliases": [...]}] (optional), "claims": [{"quote" (a unique
substring of the claim's sentence) or "span": [start, end], "speaker", "side" (optional)}]}.
`speaker` is the expected actor's name; null when the text does not say who spoke (the engine
should say `unresolved`); "@outlet" when the sentence is the outlet's own reporting.

- speaker_accuracy: share of labelled claims whose speaker the engine got right (same actor key,
  or the same actor named shorter within the article: `actors.same_actor`; null = unresolved,
  "@outlet" = outlet).
- unresolved_rate: share of labelled claims the engine left `unresolved`.
- wrong_side: share of labelled claims given to an actor of another side: the expected side and
  the side of the engine's speaker (looked up in the line's `actors` and the expected speakers)
  are both known, neither is "neutral", and they differ. This is the costly error: a claim shown
  on the wrong side of a dispute.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from claims.extraction.actors import actor_key, same_actor
from claims.extraction.records import ClaimRecord

OUTLET_LABEL = "@outlet"
NEUTRAL = "neutral"


class LabelledSetError(ValueError):
    """A labelled line that cannot be read; the message says which and why."""


@dataclass(frozen=True)
class LabelledArticle:
    text: str
    published: date | None
    outlet: str
    sides: dict[str, str]
    claims: list[tuple[int, int, str | None, str | None]]  # start, end, speaker, side


def read_labelled(lines: Iterable[str]) -> list[LabelledArticle]:
    articles = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            articles.append(_article(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise LabelledSetError(f"line {number}: {error}") from error
    return articles


def _article(obj: dict) -> LabelledArticle:
    text = obj["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    published = date.fromisoformat(obj["published"]) if obj.get("published") else None
    sides: dict[str, str] = {}
    for actor in obj.get("actors", []):
        for name in [actor["name"], *actor.get("aliases", [])]:
            sides[actor_key(name)] = actor.get("side", "")
    claims = []
    for claim in obj["claims"]:
        start, end = _locate(text, claim)
        speaker, side = claim.get("speaker"), claim.get("side")
        if speaker and speaker != OUTLET_LABEL and side:
            sides.setdefault(actor_key(speaker), side)
        claims.append((start, end, speaker, side))
    return LabelledArticle(text, published, obj.get("outlet", ""), sides, claims)


def _locate(text: str, claim: dict) -> tuple[int, int]:
    if "span" in claim:
        start, end = (int(v) for v in claim["span"])
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {claim['span']} outside the text")
        return start, end
    quote = claim["quote"]
    if text.count(quote) != 1:
        raise ValueError(f"quote {quote[:40]!r} found {text.count(quote)} times, not once")
    start = text.index(quote)
    return start, start + len(quote)


def score(articles: list[LabelledArticle], predictions: list[list[ClaimRecord]]) -> dict:
    """The figures over every labelled claim; `predictions[i]` are the engine's claims (every
    sentence, threshold 0) for `articles[i]`."""
    n = correct = unresolved = wrong_side = 0
    for article, claims in zip(articles, predictions, strict=True):
        for start, _end, speaker, side in article.claims:
            n += 1
            found = next((c for c in claims if c.start <= start < c.end), None)
            if found is None:
                continue  # the engine did not read the sentence: counted wrong
            unresolved += found.speaker_kind == "unresolved"
            correct += _right_speaker(found, speaker)
            predicted_side = _side_of(found, article.sides)
            if (
                side
                and predicted_side
                and NEUTRAL not in (side, predicted_side)
                and side != predicted_side
            ):
                wrong_side += 1
    return {
        "n": n,
        "speaker_accuracy": round(correct / n, 4) if n else 0.0,
        "unresolved_rate": round(unresolved / n, 4) if n else 0.0,
        "wrong_side": round(wrong_side / n, 4) if n else 0.0,
    }


def mismatches(articles: list[LabelledArticle], predictions: list[list[ClaimRecord]]) -> list:
    """(expected, predicted, sentence) for every claim the engine got wrong, for reading."""
    wrong = []
    for article, claims in zip(articles, predictions, strict=True):
        for start, _end, speaker, _side in article.claims:
            found = next((c for c in claims if c.start <= start < c.end), None)
            if found is None or not _right_speaker(found, speaker):
                got = f"{found.speaker_kind}:{found.speaker}" if found else "(no sentence)"
                wrong.append((speaker, got, article.text[start : start + 80]))
    return wrong


def _right_speaker(claim: ClaimRecord, expected: str | None) -> bool:
    if expected is None:
        return claim.speaker_kind == "unresolved"
    if expected == OUTLET_LABEL:
        return claim.speaker_kind == "outlet"
    if claim.speaker_kind not in ("person", "organization"):
        return False
    return same_actor(actor_key(expected), claim.speaker_key or actor_key(claim.speaker))


def _side_of(claim: ClaimRecord, sides: dict[str, str]) -> str:
    if claim.speaker_kind not in ("person", "organization"):
        return ""
    key = claim.speaker_key or actor_key(claim.speaker)
    if key in sides:
        return sides[key]
    return next((side for known, side in sides.items() if same_actor(known, key)), "")
