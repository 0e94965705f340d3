"""The same-claim decision: the guard on plain data, then the whole decision on real sentences."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from claims.extraction.figures import find_figures
from claims.extraction.folding import fold, same_name, trigram_similarity
from claims.extraction.sameclaim import (
    SAME_CLAIM_THRESHOLD,
    ClaimFacts,
    facts_conflict,
    same_claim,
)
from claims.extraction.sameclaim_eval import (
    analyse_sentences,
    best_threshold,
    labelled_pairs,
    read_pairs,
    scores,
)

PAIRS = Path(__file__).resolve().parents[2] / "evaluation" / "sameclaim" / "pairs.jsonl"
_UNIT = np.eye(1, 384, 0, dtype=np.float32)[0]


def facts(text: str = "", *, dates=(), entities=(), embedding=_UNIT) -> ClaimFacts:
    return ClaimFacts(
        embedding=embedding, figures=find_figures(text), dates=list(dates), entities=list(entities)
    )


def day(text: str, resolved: str, granularity: str = "day") -> dict:
    return {"text": text, "resolved": resolved, "granularity": granularity}


def named(text: str, label: str) -> dict:
    return {"text": text, "label": label}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("41,300 patients were waiting", "about 41,000 patients were waiting"),
        ("the repairs cost $14 million", "the repairs cost about $14 million"),
        ("nearly 400 people used the centres", "400 people used the centres"),
        ("at least 12 people were injured", "12 people were injured"),
        ("gusts of up to 128 km/h", "gusts of 128 km/h"),
        ("the total is $1.98 bn.", "the total is roughly $2 billion"),
        ("between 2,500 and 3,000 jobs", "between 2,500 and 3,000 posts"),
        ("it fell 12 percent", "it fell 12%"),
    ],
)
def test_figures_that_state_the_same_value_agree(left, right):
    assert facts_conflict(facts(left), facts(right)) == ""


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("12 civilians were killed", "at least 40 people were killed"),
        ("at least 12 people were injured", "at least 40 people were injured"),
        ("41,300 patients were waiting", "31,400 patients were waiting"),
        ("4,200 households were cut off", "about 3,900 households were cut off"),
        ("about 8,800 patients were suspended", "9,240 patients were suspended"),
        ("the true number is more than 50,000", "the true number is nearly 50,000"),
        ("more than 9,000 patients", "9,240 patients"),
        ("it fell 12 percent", "it fell by 12 points to 40"),
        ("the cost is $2.1 bn.", "the cost is 2.1 bn. euros"),
        ("between 2,500 and 3,000 jobs", "3,400 jobs"),
        ("61,000 customers lost power", "61,000 customers lost power and 4,200 still had none"),
    ],
)
def test_figures_that_differ_make_two_claims(left, right):
    assert facts_conflict(facts(left), facts(right)).startswith("figures differ")


def test_years_are_left_to_the_dates():
    assert facts_conflict(facts("3,400 jobs by 2032"), facts("3,400 jobs")) == ""


def test_a_date_left_out_is_no_conflict_but_another_date_is():
    friday = day("Friday", "2026-10-16")
    monday = day("Monday", "2026-10-19")
    october = day("in October", "2026-10", "month")
    assert facts_conflict(facts(dates=[friday]), facts()) == ""
    assert facts_conflict(facts(dates=[friday]), facts(dates=[october])) == ""
    assert facts_conflict(facts(dates=[friday]), facts(dates=[monday])) == (
        "dates differ: Friday vs Monday"
    )
    unresolved = {"text": "the summer", "resolved": None, "granularity": ""}
    assert facts_conflict(facts(dates=[friday]), facts(dates=[unresolved])) == ""


def test_a_week_is_read_loosely():
    last_week = day("last week", "2026-10-09", "week")
    assert not facts_conflict(facts(dates=[last_week]), facts(dates=[day("Tuesday", "2026-10-13")]))
    assert facts_conflict(facts(dates=[last_week]), facts(dates=[day("Tuesday", "2026-10-20")]))


def test_people_and_places_may_be_left_out_but_not_replaced():
    selvik = named("Marta Selvik", "PERSON")
    banerjee = named("Aurelio Banerjee", "PERSON")
    calder = named("Calder", "GPE")
    assert facts_conflict(facts(entities=[selvik, calder]), facts(entities=[selvik])) == ""
    assert facts_conflict(facts(entities=[selvik]), facts(entities=[named("Selvik", "ORG")])) == ""
    assert facts_conflict(facts(entities=[selvik]), facts(entities=[banerjee])) == (
        "person differs: Marta Selvik vs Aurelio Banerjee"
    )
    assert facts_conflict(
        facts(entities=[calder]), facts(entities=[named("Eastbank", "GPE")])
    ).startswith("place differs")
    assert facts_conflict(
        facts(entities=[named("Russian", "NORP")]), facts(entities=[named("Ukrainian", "NORP")])
    ).startswith("group differs")


def test_organisations_are_not_compared():
    left = facts(entities=[named("Radio Valmont", "ORG")])
    assert facts_conflict(left, facts(entities=[named("ClinicWatch", "ORG")])) == ""


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Abu Kamal", "Al Bukamal"),
        ("Abu Kamal", "Albukamal"),
        ("Konashenkov", "Konashenkova"),
        ("Halvorsen", "Priya Halvorsen"),
        ("Ministry of Health", "Health Ministry"),
        ("Bükamal", "Bukamal"),
    ],
)
def test_spellings_and_transliterations_of_one_name_match(left, right):
    assert same_name(left, right)


@pytest.mark.parametrize(
    ("left", "right"),
    [("Energy Ministry", "Transport Ministry"), ("Eastbank", "Westbank"), ("Calder", "")],
)
def test_different_names_do_not_match(left, right):
    assert not same_name(left, right)


def test_folding_removes_accents_case_and_punctuation():
    assert fold("Al-Bükamal's  ÉCOLE") == "al bukamal s ecole"
    assert trigram_similarity("", "x") == 0.0
    assert trigram_similarity("Konashenkov", "Konashenkov") == 1.0


def test_the_decision_needs_both_closeness_and_no_conflict():
    other = np.eye(1, 384, 1, dtype=np.float32)[0]
    close = (_UNIT + 0.1 * other) / np.linalg.norm(_UNIT + 0.1 * other)
    decision = same_claim(facts("61,000 lost power"), facts("61,000 lost power", embedding=close))
    assert decision.same and decision.similarity > 0.99
    far = same_claim(facts("61,000 lost power"), facts("61,000 lost power", embedding=other))
    assert not far.same and far.reason.startswith("similarity 0.00")
    guarded = same_claim(facts("61,000 lost power"), facts("70,000 lost power", embedding=close))
    assert not guarded.same and guarded.reason == "figures differ: 61,000 vs 70,000"
    assert not same_claim(facts(), facts(embedding=[])).same


# The whole decision on sentences read by the engine (MiniLM, NER, dates).


def decide(left: str, right: str, published=date(2026, 11, 18)):
    a, b = analyse_sentences([(left, published), (right, published)])
    return same_claim(a, b)


def test_a_syndicated_copy_and_a_paraphrase_are_the_same_claim():
    copy = "The ministry said 41,300 patients were waiting for planned treatment in September."
    assert decide(copy, copy).same
    assert decide(
        "The defence ministry said the drones had tried to impede Veltrian aviation.",
        "According to the defence ministry, the drones created obstacles for Veltrian aircraft.",
    ).same


def test_claims_on_one_subject_with_other_figures_or_people_are_not():
    figures = decide(
        "Twelve civilians were killed in the strike on the market, officials said.",
        "At least 40 civilians were killed in the strike on the market, officials said.",
    )
    assert not figures.same and figures.similarity >= SAME_CLAIM_THRESHOLD
    people = decide(
        "Energy Minister Marta Selvik asked the regulator to review the utility's response.",
        "Transport Minister Aurelio Banerjee asked the regulator to review the utility's response.",
    )
    assert not people.same and "person differs" in people.reason


def test_the_committed_threshold_is_on_the_labelled_pairs_best_plateau():
    """With the int8 embeddings the pairs' best F1 is at 0.53, with 0.62 within 0.01 of it and
    more precise (docs/clusters.md): a wrong merge hides a claim, a missed one only repeats it."""
    pairs = labelled_pairs(read_pairs(PAIRS))
    assert len(pairs) >= 90
    assert {p.same for p in pairs} == {True, False}
    best = scores(pairs, best_threshold(pairs))
    committed = scores(pairs, SAME_CLAIM_THRESHOLD)
    assert committed["f1"] >= best["f1"] - 0.01
    assert committed["precision"] >= best["precision"]
