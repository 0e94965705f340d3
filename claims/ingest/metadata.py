"""What an article says about itself: its dateline, whether it is dated, and how old it is.

Pure functions, no Django (and nothing heavy to import): ingestion uses them to fill an article's outlet and place, the
engine and the desk to mark an undated article (no recency bonus) and an old one re-circulating.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta

# An article whose date is more than this many days before it was taken in is flagged as old.
STALE_AFTER_DAYS = 30

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# "WASHINGTON (Sputnik) -", "MOSCOW, Nov 14 (Reuters) -", "NEW YORK, Nov. 14, 2017 (AP) —",
# "KYIV, Ukraine (AP) -", "MOSCOW- ": an upper-case place at the very start of the text, an
# optional region, date and agency in brackets, then a dash.
_DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][a-zA-Z.]+(?:\s+[A-Z][a-zA-Z.]+){0,2}))??"
    r"(?:,\s*(?P<date>(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
    r"\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?))?"
    r"\s*(?:\((?P<agency>[^()\n]{2,40})\))?"
    r"\s*(?:--|[-–—])\s*"
)


@dataclass(frozen=True)
class Dateline:
    place: str
    agency: str = ""
    date_text: str = ""
    # the day it names, when it names one; the year is inferred when the dateline has none
    day: date | None = None
    # the dateline's span in the text
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class ArticleFacts:
    undated: bool
    dateline: Dateline | None
    # days between publication and ingestion; None when either is unknown
    age_days: int | None
    # published more than STALE_AFTER_DAYS before it was taken in (an old article re-circulating)
    stale: bool

    def as_dict(self) -> dict:
        facts = asdict(self)
        if self.dateline and self.dateline.day:
            facts["dateline"]["day"] = self.dateline.day.isoformat()
        return facts


def read_dateline(text: str, *, reference: date | None = None) -> Dateline | None:
    """The dateline opening `text`, if any. A date without a year takes the latest such day not
    after `reference` (the ingestion day); without a reference it has no `day`."""
    match = _DATELINE.match(text)
    if not match or match.end() - match.start() > 120:
        return None
    place = match.group("place").strip(" -")
    letters = re.sub(r"[^A-Za-z]", "", place)
    if len(letters) < 3 or not (
        match.group("agency") or match.group("date") or _dash_follows(match)
    ):
        return None
    day = _dateline_day(match, reference)
    return Dateline(
        place=place,
        agency=(match.group("agency") or "").strip(),
        date_text=match.group("date") or "",
        day=day,
        start=match.start("place"),
        end=match.end(),
    )


def _dash_follows(match: re.Match) -> bool:
    """A bare "MOSCOW -" dateline: an upper-case place directly followed by a dash."""
    return bool(re.search(r"[-–—]\s*$", match.group(0)))


def _dateline_day(match: re.Match, reference: date | None) -> date | None:
    if not match.group("month"):
        return None
    month = _MONTHS[match.group("month").lower()[:3]]
    day = int(match.group("day"))
    try:
        if match.group("year"):
            return date(int(match.group("year")), month, day)
        if reference is None:
            return None
        candidate = date(reference.year, month, day)
        return candidate if candidate <= reference else date(reference.year - 1, month, day)
    except ValueError:
        return None


def article_facts(
    text: str, *, published: date | None, ingested: date | None = None
) -> ArticleFacts:
    """Whether the article is dated, its dateline, and whether it is old news re-circulating."""
    dateline = read_dateline(text, reference=ingested)
    age = (ingested - published).days if published and ingested else None
    return ArticleFacts(
        undated=published is None,
        dateline=dateline,
        age_days=age,
        stale=age is not None and age > STALE_AFTER_DAYS,
    )


def is_stale(published: date | None, ingested: date | None) -> bool:
    """Published more than STALE_AFTER_DAYS before it was taken in."""
    if published is None or ingested is None:
        return False
    return ingested - published > timedelta(days=STALE_AFTER_DAYS)
