"""Fact-checks from files: schema.org ClaimReview JSON-LD (one object, a list, @graph, JSON lines,
or HTML pages carrying it in <script type="application/ld+json">) and vclaims JSON lines.

Every problem names the file and the line; the valid records of a file are kept whatever else
in it is wrong.
"""

import hashlib
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from matching.ranking.ranker import date_stated
from matching.ranking.text import fold

_LD_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_POLITIFACT_PATH = re.compile(r"/factchecks/(\d{4})/([a-z]{3})/(\d{1,2})/")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_POLITIFACT = "https://www.politifact.com"
MAX_TEXT = 4000


@dataclass(frozen=True)
class ParsedFactCheck:
    claim_text: str
    rating: str
    publisher: str = ""
    url: str = ""
    title: str = ""
    speaker: str = ""
    reviewed_on: date | None = None
    claim_date: date | None = None
    line: int = 0

    @property
    def key(self) -> str:
        """The same fact-check, however often imported: its URL and claim, or publisher and claim."""
        where = self.url.strip().split("#")[0].rstrip("/").lower() or fold(self.publisher).strip()
        claim = " ".join(fold(self.claim_text).split())
        return hashlib.sha256(f"{where}\x00{claim}".encode()).hexdigest()


@dataclass(frozen=True)
class ParseProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def parse_file(name: str, content: str) -> tuple[list[ParsedFactCheck], list[ParseProblem]]:
    """The fact-checks in a file's text and what was wrong with the rest of it."""
    found: list[ParsedFactCheck] = []
    problems: list[ParseProblem] = []
    for line, value in _json_values(name, content, problems):
        for item_line, item in _items(value, line):
            record, message = _record(item, item_line)
            if record is not None:
                found.append(record)
            else:
                problems.append(ParseProblem(name, item_line, message))
    if not found and not problems:
        problems.append(ParseProblem(name, 1, "no ClaimReview or vclaim record found"))
    return found, problems


def _line_at(content: str, position: int) -> int:
    return content.count("\n", 0, position) + 1


def _json_values(
    name: str, content: str, problems: list[ParseProblem]
) -> Iterator[tuple[int, object]]:
    stripped = content.lstrip()
    if stripped.startswith("<") or name.lower().endswith((".html", ".htm")):
        scripts = list(_LD_SCRIPT.finditer(content))
        for script in scripts:
            line = _line_at(content, script.start())
            try:
                yield line, json.loads(html.unescape(script.group(1)).strip())
            except json.JSONDecodeError as error:
                problems.append(
                    ParseProblem(name, line + error.lineno - 1, f"JSON-LD is not JSON: {error.msg}")
                )
        if not scripts:
            problems.append(ParseProblem(name, 1, 'no <script type="application/ld+json"> found'))
        return
    if stripped.startswith("["):
        yield from _json_array(name, content, problems)
        return
    try:
        value = json.loads(content)
    except json.JSONDecodeError:
        yield from _json_lines(name, content, problems)
        return
    yield _line_at(content, len(content) - len(stripped)), value


def _json_array(
    name: str, content: str, problems: list[ParseProblem]
) -> Iterator[tuple[int, object]]:
    """Item by item, so that each has its line and a broken item loses only what follows it."""
    decoder = json.JSONDecoder()
    position = content.index("[") + 1
    while True:
        while position < len(content) and content[position] in " \t\r\n,":
            position += 1
        if position >= len(content):
            problems.append(
                ParseProblem(name, _line_at(content, position), "the list is not closed")
            )
            return
        if content[position] == "]":
            return
        try:
            value, end = decoder.raw_decode(content, position)
        except json.JSONDecodeError as error:
            problems.append(ParseProblem(name, error.lineno, f"not JSON: {error.msg}"))
            return
        yield _line_at(content, position), value
        position = end


def _json_lines(
    name: str, content: str, problems: list[ParseProblem]
) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(ParseProblem(name, number, f"not JSON: {error.msg}"))


def _items(value: object, line: int) -> Iterator[tuple[int, object]]:
    if isinstance(value, list):
        for item in value:
            yield from _items(item, line)
    elif isinstance(value, dict) and isinstance(value.get("@graph"), list) and "@type" not in value:
        for item in value["@graph"]:
            yield from _items(item, line)
    else:
        yield line, value


def _types(item: dict) -> set[str]:
    kind = item.get("@type", ())
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}


def _record(item: object, line: int) -> tuple[ParsedFactCheck | None, str]:
    if not isinstance(item, dict):
        return None, "not a JSON object"
    if "ClaimReview" in _types(item):
        return _claim_review(item, line)
    if "vclaim" in item:
        return _vclaim(item, line)
    if "@graph" in item:
        return None, "@graph is not a list"
    kinds = ", ".join(sorted(_types(item))) or "no @type"
    return None, f"not a ClaimReview ({kinds})"


def _text(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split())[:MAX_TEXT]
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("alternateName") or "")
    if isinstance(value, list) and value:
        return _text(value[0])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _date(value: object) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return date_stated(text)


def _rating(rating: object) -> str:
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if isinstance(rating, str):
        return _text(rating)
    if not isinstance(rating, dict):
        return ""
    named = _text(rating.get("alternateName") or rating.get("name"))
    if named:
        return named
    value = _text(rating.get("ratingValue"))
    if not value:
        return ""
    best = _text(rating.get("bestRating"))
    return f"{value}/{best}" if best else value


def _claim_review(item: dict, line: int) -> tuple[ParsedFactCheck | None, str]:
    claim_text = _text(item.get("claimReviewed"))
    reviewed = item.get("itemReviewed") if isinstance(item.get("itemReviewed"), dict) else {}
    if not claim_text:
        claim_text = _text(reviewed.get("text") or reviewed.get("name"))
    if not claim_text:
        return None, "ClaimReview has no claim text (claimReviewed): skipped"
    rating = _rating(item.get("reviewRating"))
    if not rating:
        return None, "ClaimReview has no rating (reviewRating): skipped"
    appearance = reviewed.get("appearance")
    first_appearance = appearance[0] if isinstance(appearance, list) and appearance else appearance
    claim_date = _date(reviewed.get("datePublished"))
    if claim_date is None and isinstance(first_appearance, dict):
        claim_date = _date(first_appearance.get("datePublished"))
    return (
        ParsedFactCheck(
            claim_text=claim_text,
            rating=rating,
            publisher=_text(item.get("author") or item.get("publisher")),
            url=_text(item.get("url")),
            title=_text(item.get("headline") or item.get("name")),
            speaker=_text(reviewed.get("author")),
            reviewed_on=_date(item.get("datePublished")),
            claim_date=claim_date,
            line=line,
        ),
        "",
    )


def _vclaim(item: dict, line: int) -> tuple[ParsedFactCheck | None, str]:
    claim_text = _text(item.get("vclaim"))
    if not claim_text:
        return None, "vclaim record has no claim text: skipped"
    rating = _text(item.get("truth_label"))
    if not rating:
        return None, "vclaim record has no rating (truth_label): skipped"
    url = _text(item.get("url"))
    reviewed_on = None
    match = _POLITIFACT_PATH.search(url)
    if match and match.group(2) in _MONTHS:
        try:
            reviewed_on = date(
                int(match.group(1)), _MONTHS.index(match.group(2)) + 1, int(match.group(3))
            )
        except ValueError:
            reviewed_on = None
    return (
        ParsedFactCheck(
            claim_text=claim_text,
            rating=rating,
            publisher="PolitiFact" if url.startswith("/factchecks/") else "",
            url=_POLITIFACT + url if url.startswith("/factchecks/") else url,
            title=_text(item.get("title")),
            speaker=_text(item.get("speaker")),
            reviewed_on=reviewed_on,
            claim_date=date_stated(_text(item.get("date"))),
            line=line,
        ),
        "",
    )
