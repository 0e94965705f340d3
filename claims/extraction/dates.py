"""Resolve the dates named in a claim ("last week", "in November") against the article's date."""

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

_LEADING_WORDS = re.compile(
    r"^(?:(?:earlier|later|early|late|on|in|during|since|by|until|the|of|from|as of)\s+)+",
    re.IGNORECASE,
)
_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# "the Komsomolskaya Pravda daily", "a weekly briefing": a frequency or a publication, not a date.
_FREQUENCY = re.compile(
    r"^(?:(?:the|a|an|its|their)\s+)?(?:bi-?)?(?:daily|weekly|monthly|fortnightly|quarterly"
    r"|yearly|annual|annually|nightly|hourly)$",
    re.IGNORECASE,
)
# A TIME entity that names a part of a day relative to publication: "this morning", "last night".
_DAY_PART = re.compile(
    r"^(?:(?:early|late|earlier|later)\s+)?(?P<which>this|last|yesterday|tomorrow|today|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.IGNORECASE,
)
_DAY_OFFSET = {"this": 0, "today": 0, "tonight": 0, "last": -1, "yesterday": -1, "tomorrow": 1}


def resolve_dates(entities: list[dict], published: date | None) -> list[dict]:
    """One entry per DATE entity (and per TIME entity naming a part of a day: "this morning");
    `resolved` is None when it cannot be pinned to the calendar, always when the article is
    undated. Frequencies ("daily", "weekly", as in "the Pravda daily") are not dates."""
    resolved = []
    for entity in entities:
        text = entity["text"].strip()
        if entity["label"] == "TIME":
            day_part = _DAY_PART.match(text)
            if not day_part:
                continue
            value, granularity = _day_part(day_part.group("which").lower(), text, published)
        elif entity["label"] != "DATE" or _FREQUENCY.match(text):
            continue
        else:
            value, granularity = _resolve(entity["text"], published)
        resolved.append(
            {
                "text": entity["text"],
                "start": entity["start"],
                "end": entity["end"],
                "resolved": value,
                "granularity": granularity,
            }
        )
    return resolved


def _day_part(which: str, text: str, published: date | None) -> tuple[str | None, str]:
    if published is None:
        return None, ""
    offset = _DAY_OFFSET[which]
    if which == "last" and not text.lower().endswith("night"):
        return None, ""  # "last morning" is not English; leave it unresolved
    return (published + timedelta(days=offset)).strftime(_FORMATS["day"]), "day"


@lru_cache(maxsize=4096)
def _resolve(expression: str, published: date | None) -> tuple[str | None, str]:
    if published is None:
        return None, ""
    cleaned = _LEADING_WORDS.sub("", expression.strip())
    if not cleaned:
        return None, ""
    # News reports the day of publication by its weekday ("said on Friday" in Friday's paper);
    # dateparser would take the Friday a week before.
    if cleaned.lower() == _WEEKDAYS[published.weekday()]:
        return published.strftime(_FORMATS["day"]), "day"
    parsed = _parser(published).get_date_data(cleaned)
    if parsed.date_obj is None:
        return None, ""
    granularity = parsed.period if parsed.period in _FORMATS else "day"
    return parsed.date_obj.strftime(_FORMATS[granularity]), granularity


@lru_cache(maxsize=64)
def _parser(published: date):
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(languages=["en"], settings=settings)
