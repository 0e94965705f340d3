"""Publication dates as written in exports and headers, to aware datetimes."""

from datetime import UTC, date, datetime

import dateparser

_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC", "TO_TIMEZONE": "UTC"}


def parse_published(value: object) -> datetime | None:
    """An ISO date or datetime (or a date in words) as an aware datetime; None if unreadable.

    A bare date becomes midnight UTC that day.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return parse_published(datetime.fromisoformat(text))
    except ValueError:
        return dateparser.parse(text, settings=_SETTINGS)
