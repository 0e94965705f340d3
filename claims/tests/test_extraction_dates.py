from datetime import date

from claims.extraction.dates import resolve_dates

FRIDAY = date(2026, 10, 16)


def date_entity(text: str) -> dict:
    return {"label": "DATE", "text": text, "start": 0, "end": len(text)}


def resolved(text: str, published: date | None = FRIDAY) -> str | None:
    (entry,) = resolve_dates([date_entity(text)], published)
    return entry["resolved"]


def test_the_weekday_of_publication_is_the_publication_day():
    assert resolved("Friday") == "2026-10-16"
    assert resolved("on Friday") == "2026-10-16"


def test_another_weekday_is_the_one_before_publication():
    assert resolved("Wednesday") == "2026-10-14"


def test_relative_dates_and_months_resolve_against_publication():
    assert resolved("last week") == "2026-10-09"
    assert resolved("in September") == "2026-09"


def test_without_a_publication_date_nothing_is_resolved():
    assert resolved("Friday", published=None) is None


def test_only_date_entities_are_resolved():
    person = {"label": "PERSON", "text": "Dana Okoro", "start": 0, "end": 10}
    assert resolve_dates([person], FRIDAY) == []


def _entity(text: str, label: str = "DATE") -> dict:
    return {"text": text, "label": label, "start": 0, "end": len(text)}


def test_frequencies_and_publication_names_are_not_dates() -> None:

    found = resolve_dates(
        [_entity("daily"), _entity("weekly"), _entity("a monthly")], date(2026, 11, 14)
    )
    assert found == []


def test_parts_of_the_day_resolve_against_the_articles_date() -> None:

    found = resolve_dates(
        [
            _entity("this morning", "TIME"),
            _entity("last night", "TIME"),
            _entity("10 a.m.", "TIME"),
        ],
        date(2026, 11, 14),
    )
    assert [(d["text"], d["resolved"]) for d in found] == [
        ("this morning", "2026-11-14"),
        ("last night", "2026-11-13"),
    ]


def test_an_undated_article_resolves_no_relative_date() -> None:

    found = resolve_dates([_entity("this morning", "TIME"), _entity("last week")], None)
    assert [d["resolved"] for d in found] == [None, None]
