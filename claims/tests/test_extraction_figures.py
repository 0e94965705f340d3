import pytest

from claims.extraction.figures import find_figures


def only_figure(sentence: str) -> dict:
    (figure,) = find_figures(sentence)
    return figure


def test_just_under_is_an_approximate_upper_bound_with_what_it_counts() -> None:
    figure = only_figure("The navy flew just under 400 sorties over the strait.")
    assert figure["text"] == "just under 400"
    assert (figure["value"], figure["comparator"], figure["approximate"]) == (400, "<", True)
    assert figure["counted"] == "sorties"


@pytest.mark.parametrize(
    ("sentence", "value", "comparator"),
    [
        ("About 2,300 voters signed the petition.", 2300, "~"),
        ("At least 35 boats were lost.", 35, ">="),
        ("More than 1,000 nurses walked out.", 1000, ">"),
        ("Up to 70 flights a day were cancelled.", 70, "<="),
        ("Exactly 12 candidates stood.", 12, "="),
    ],
)
def test_qualifiers_become_comparators(sentence: str, value: int, comparator: str) -> None:
    figure = only_figure(sentence)
    assert (figure["value"], figure["comparator"]) == (value, comparator)


def test_an_elided_noun_is_carried_from_the_figure_before() -> None:
    figures = find_figures("Police made 90 arrests in May, against roughly 60 in April.")
    assert [(f["value"], f["counted"]) for f in figures] == [(90, "arrests"), (60, "arrests")]


def test_percentages_money_and_ranges() -> None:
    percent, money, span = find_figures(
        "Turnout fell to 41.5 per cent, the count cost $2.4 bn and took between 10 and 12 days."
    )
    assert (percent["kind"], percent["value"], percent["unit"]) == ("percent", 41.5, "%")
    assert (money["kind"], money["value"], money["unit"]) == ("money", 2_400_000_000, "USD")
    assert (span["kind"], span["low"], span["high"], span["counted"]) == ("range", 10, 12, "days")


def test_figure_spans_are_offset_into_the_article() -> None:
    sentence = "Fares rose 6% in a year."
    (figure,) = find_figures(sentence, offset=100)
    article = " " * 100 + sentence
    assert article[figure["start"] : figure["end"]] == "6%"


def test_years_and_calendar_days_are_not_statistics() -> None:
    figures = find_figures("The law passed on March 3 and took effect in 2019.")
    assert [f["kind"] for f in figures] == ["year"]


def test_clock_times_are_not_figures_and_fractions_are_normalised() -> None:
    figures = find_figures("By 9 p.m. power was back for roughly two thirds of homes.")
    assert [(f["text"], f["kind"], f["value"]) for f in figures] == [
        ("roughly two thirds", "fraction", 0.6667)
    ]


def test_a_verb_after_the_number_is_not_what_it_counts() -> None:
    figures = find_figures("The firm has 140 repair crews, including 35 borrowed from rivals.")
    assert [f["counted"] for f in figures] == ["repair crews", "repair crews"]
