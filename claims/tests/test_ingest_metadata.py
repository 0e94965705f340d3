from datetime import UTC, date, datetime

import pytest

from claims.ingest.files import parse_text_article, with_dateline
from claims.ingest.metadata import STALE_AFTER_DAYS, article_facts, read_dateline
from claims.ingest.records import ArticleRecord


@pytest.mark.parametrize(
    ("text", "place", "agency", "day"),
    [
        ("LORAVA (Harbour Wire) - The council said", "LORAVA", "Harbour Wire", None),
        (
            "KESH, Nov 14 (Valmont Wire) - Engineers said",
            "KESH",
            "Valmont Wire",
            date(2026, 11, 14),
        ),
        (
            "NEW PORTA, Mar. 2, 2019 (Coast Agency) -- A fire",
            "NEW PORTA",
            "Coast Agency",
            date(2019, 3, 2),
        ),
        ("OSTRIK- The ministry said", "OSTRIK", "", None),
        ("TELMAR, Arden (Valmont Wire) — Crews said", "TELMAR", "Valmont Wire", None),
    ],
)
def test_datelines_give_place_agency_and_day(text, place, agency, day) -> None:
    dateline = read_dateline(text, reference=date(2026, 11, 20))
    assert (dateline.place, dateline.agency, dateline.day) == (place, agency, day)
    assert text[dateline.end :][:1].isalpha()


@pytest.mark.parametrize(
    "text", ["The council said - again - no.", "US - Kesh talks resume", "In short: nothing."]
)
def test_ordinary_openings_are_not_datelines(text) -> None:
    assert read_dateline(text) is None


def test_a_yearless_dateline_day_is_the_latest_such_day_not_after_ingestion() -> None:
    dateline = read_dateline("KESH, Dec 30 (Valmont Wire) - x", reference=date(2027, 1, 2))
    assert dateline.day == date(2026, 12, 30)


def test_a_dateline_gives_the_outlet_when_none_was_given_and_dates_an_undated_text() -> None:
    record = parse_text_article(
        "Title: Dam holds\n\nKESH, Nov 14 (Valmont Wire) - The dam held overnight, engineers said.",
        origin="t",
    )
    record = with_dateline(
        ArticleRecord(origin="t", text=record.text), today=datetime(2026, 11, 20, tzinfo=UTC)
    )
    assert (record.outlet, record.dateline_place, record.dateline_agency) == (
        "Valmont Wire",
        "KESH",
        "Valmont Wire",
    )
    assert record.published_at.date() == date(2026, 11, 14)
    assert record.date_source == "dateline"


def test_a_given_outlet_and_date_win_over_the_dateline() -> None:
    record = parse_text_article(
        "Title: Dam holds\nOutlet: Kesh Herald\nDate: 2026-11-15\n\n"
        "KESH, Nov 14 (Valmont Wire) - The dam held overnight, engineers said.",
        origin="t",
    )
    assert record.outlet == "Kesh Herald"
    assert record.published_at.date() == date(2026, 11, 15)
    assert record.date_source == "header"
    assert record.dateline_agency == "Valmont Wire"


def test_a_header_less_file_takes_its_first_line_as_title_and_not_as_text() -> None:
    record = parse_text_article(
        "Dam holds after night of rain\n\nEngineers said the dam held overnight.\n", origin="t"
    )
    assert record.title == "Dam holds after night of rain"
    assert record.text == "Engineers said the dam held overnight."
    assert record.undated


def test_a_one_line_file_keeps_its_text() -> None:
    record = parse_text_article("Engineers said the dam held overnight.", origin="t")
    assert record.text == "Engineers said the dam held overnight."


def test_undated_and_stale_facts() -> None:
    undated = article_facts("x", published=None, ingested=date(2026, 11, 20))
    assert (undated.undated, undated.age_days, undated.stale) == (True, None, False)
    fresh = article_facts("x", published=date(2026, 11, 18), ingested=date(2026, 11, 20))
    assert (fresh.undated, fresh.age_days, fresh.stale) == (False, 2, False)
    old = article_facts(
        "x", published=date(2026, 11, 20).replace(year=2025), ingested=date(2026, 11, 20)
    )
    assert old.stale
    assert old.age_days > STALE_AFTER_DAYS
    assert old.as_dict()["stale"] is True
