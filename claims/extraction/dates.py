"""Resolve the dates named in a claim ("last week", "in November") against the article's date."""

import re
from datetime import date, datetime
from functools import lru_cache

_LEADING_WORDS = re.compile(
    r"^(?:(?:earlier|later|early|late|on|in|during|since|by|until|the|of|from|as of)\s+)+",
    re.IGNORECASE,
)
_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def resolve_dates(entities: list[dict], published: date | None) -> list[dict]:
    """One entry per DATE entity; `resolved` is None when it cannot be pinned to the calendar."""
    resolved = []
    for entity in entities:
        if entity["label"] != "DATE":
            continue
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
