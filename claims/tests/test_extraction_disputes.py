import itertools

import numpy as np
import pytest

from claims.extraction import disputes
from claims.extraction.disputes import (
    CONTRARY,
    DENIAL,
    FIGURES,
    ActorNames,
    ClaimForDisputes,
    SideOf,
    counted_thing,
    find_disputes,
    is_denial,
)
from claims.extraction.figures import find_figures

MINISTRY = SideOf("ministry", "ministry", "Defence Ministry")
SPOKESMAN = SideOf("smith", "coalition", "Col. Ada Smith")
COALITION = SideOf("coalition", "coalition", "The coalition")
MONITOR = SideOf("monitor", "monitor", "Harbour Watch")
ACTORS = [
    ActorNames("ministry", "Defence Ministry", ("the ministry", "Moscow")),
    ActorNames("coalition", "The coalition", ("coalition", "Ada Smith")),
    ActorNames("monitor", "Harbour Watch", ()),
]
_ids = itertools.count(1)


def claim(text: str, by: SideOf | None, **extra) -> ClaimForDisputes:
    return ClaimForDisputes(id=next(_ids), text=text, by=by, figures=find_figures(text), **extra)


def place(text: str, name: str) -> dict:
    start = text.index(name)
    return {"text": name, "label": "GPE", "start": start, "end": start + len(name)}


def month(text: str, name: str, resolved: str) -> dict:
    return {"text": name, "resolved": resolved, "granularity": "month"}


def vector(seed: int, near: np.ndarray | None = None, noise: float = 0.15) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.standard_normal(384) if near is None else near + noise * rng.standard_normal(384)
    return base / np.linalg.norm(base)


def kinds(found) -> list[str]:
    return [dispute.kind for dispute in found]


def test_only_12_confirmed_dead_and_at_least_40_killed_are_one_figure_dispute() -> None:
    low = claim("The ministry said only 12 people were confirmed dead after the strike.", MINISTRY)
    high = claim("At least 40 people were killed in the strike, Smith said.", SPOKESMAN)

    (dispute,) = find_disputes([low, high], ACTORS)

    assert dispute.kind == FIGURES
    assert set(dispute.claims) == {low.id, high.id}
    assert "people killed" in dispute.detail
    assert "«only 12»" in dispute.detail and "«At least 40»" in dispute.detail


@pytest.mark.parametrize(
    ("first", "second", "disputed"),
    [
        ("At least 40 people were killed.", "About 45 people died in the raid.", False),
        ("More than 40 people were killed.", "Exactly 40 people were killed.", True),
        ("Up to 30 people were killed.", "At least 40 people died.", True),
        ("Between 30 and 50 people were killed.", "Some 45 people were killed.", False),
        ("Nearly 300 people were killed.", "Only 120 people were killed.", True),
        ("The strike killed 40 civilians.", "Only 12 civilians were killed.", True),
    ],
)
def test_comparators_decide_whether_two_figures_can_both_hold(
    first: str, second: str, disputed: bool
) -> None:
    found = find_disputes([claim(first, MINISTRY), claim(second, MONITOR)], ACTORS)

    assert kinds(found) == ([FIGURES] if disputed else [])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Only 12 people were killed.", "At least 40 people were injured."),
        ("Only 12 people were killed.", "The coalition flew 40 sorties."),
        ("Only 12 civilians were killed.", "At least 40 militants were killed."),
        ("Only 12 people were killed, aged 30.", "A 40-year-old man was questioned."),
    ],
)
def test_figures_about_different_things_are_no_dispute(first: str, second: str) -> None:
    assert find_disputes([claim(first, MINISTRY), claim(second, MONITOR)], ACTORS) == []


def test_what_a_figure_counts_reads_the_outcome_before_or_after_it() -> None:
    text = "The strike killed at least 40 civilians and wounded 15 more."
    assert counted_thing(text, find_figures(text)[0]) == ("count", "", "killed", "civilian")
    assert counted_thing(
        "The death toll rose to 45.", find_figures("The death toll rose to 45.")[0]
    ) == (
        "count",
        "",
        "killed",
        "people",
    )
    assert counted_thing("It flew 300 airstrikes.", find_figures("It flew 300 airstrikes.")[0]) == (
        "count",
        "",
        "",
        "airstrike",
    )


def test_figures_of_one_side_never_dispute_each_other() -> None:
    early = claim("Only 12 people were killed, the ministry said.", MINISTRY)
    later = claim("At least 40 people were killed, the ministry said later.", MINISTRY)

    assert find_disputes([early, later], ACTORS) == []


def test_a_spokesman_and_the_coalition_he_speaks_for_are_one_side() -> None:
    spokesman = claim("Only 12 people were killed.", SPOKESMAN)
    coalition = claim("At least 40 people were killed.", COALITION)

    assert find_disputes([spokesman, coalition], ACTORS) == []


def test_unresolved_claims_dispute_nothing() -> None:
    resolved = claim("Only 12 people were killed.", MINISTRY)
    unresolved = claim("At least 40 people were killed, he said.", None)

    assert find_disputes([resolved, unresolved], ACTORS) == []


def test_figures_about_different_places_or_periods_are_no_dispute() -> None:
    aleppo = "Only 12 people were killed in Aleppo."
    idlib = "At least 40 people were killed in Idlib."
    october = "Only 12 people were killed in October."
    november = "At least 40 people were killed in November."
    said = "The ministry said on November 2 that only 12 people were killed."

    def claims_of(aleppo_, idlib_, october_, november_):
        return [
            claim(aleppo, MINISTRY, entities=[place(aleppo, "Aleppo")]),
            claim(idlib, MONITOR, entities=[place(idlib, "Idlib")]),
        ], [
            claim(october, MINISTRY, dates=[month(october, "October", "2026-10")]),
            claim(november, MONITOR, dates=[month(november, "November", "2026-11")]),
        ]

    places, periods = claims_of(aleppo, idlib, october, november)
    assert find_disputes(places, ACTORS) == []
    assert find_disputes(periods, ACTORS) == []
    # The day a figure was given is not the period it is about.
    spoken = claim(said, MINISTRY, dates=[{"text": "November 2", "resolved": "2026-11-02"}])
    assert kinds(find_disputes([spoken, periods[1]], ACTORS)) == [FIGURES]
    assert kinds(find_disputes([spoken, periods[0]], ACTORS)) == []


def test_a_denial_that_names_the_other_side_links_to_its_claims() -> None:
    accusation = claim(
        "The ministry said the coalition had deliberately spared militants near the dam.",
        MINISTRY,
        embedding=vector(1),
    )
    unrelated = claim("The ministry said the weather was clear.", MINISTRY, embedding=vector(2))
    denial = claim(
        "The coalition rejected the ministry's allegations as baseless.",
        COALITION,
        embedding=vector(3, near=vector(1), noise=0.9),
    )

    (dispute,) = find_disputes([accusation, unrelated, denial], ACTORS)

    assert dispute.kind == DENIAL
    assert dispute.claims[0] == denial.id
    assert dispute.claims[1] == accusation.id
    assert "The coalition rejects a claim of Defence Ministry" in dispute.detail
    assert "names Defence Ministry" in dispute.detail


def test_these_allegations_are_inaccurate_answers_what_the_article_reported_before() -> None:
    accusation = claim(
        "The ministry said coalition aircraft had spared the militants' convoys.",
        MINISTRY,
        embedding=vector(10),
        document=7,
        start=0,
    )
    elsewhere = claim(
        "Harbour Watch counted the convoys on the road.",
        MONITOR,
        embedding=vector(11),
        document=8,
        start=0,
    )
    denial = claim(
        '"These allegations are inaccurate," Smith told reporters.',
        SPOKESMAN,
        embedding=vector(12, near=vector(10), noise=1.2),
        document=7,
        start=120,
    )

    (dispute,) = find_disputes([accusation, elsewhere, denial], ACTORS)

    assert dispute.kind == DENIAL
    assert dispute.claims == (denial.id, accusation.id)


def test_a_side_denying_its_own_claims_or_rejecting_a_bill_is_no_dispute() -> None:
    own = claim(
        "The coalition said its aircraft struck the depot.", COALITION, embedding=vector(20)
    )
    denial = claim("The coalition denied the reports were false.", COALITION, embedding=vector(21))
    budget = claim("Parliament rejected the harbour budget.", MONITOR, embedding=vector(22))

    assert find_disputes([own, denial, budget], ACTORS) == []


@pytest.mark.parametrize(
    ("text", "denial"),
    [
        ("The ministry's allegations are inaccurate.", True),
        ("Moscow's claims were dismissed as lies by the coalition.", True),
        ("The spokesman denied that any civilians were hurt.", True),
        ("These reports are completely false.", True),
        ("The coalition flew 40 sorties on Tuesday.", False),
        ("The ministry showed photographs of the convoy.", False),
    ],
)
def test_denials_are_recognised_by_their_wording(text: str, denial: bool) -> None:
    assert is_denial(text) is denial


def test_contrary_assertions_by_two_sides_are_a_dispute() -> None:
    base = vector(30)
    spared = claim(
        "The coalition spared the militants' convoys near the dam.",
        MINISTRY,
        embedding=base,
    )
    never = claim(
        "The coalition never spared the militants' convoys near the dam.",
        SPOKESMAN,
        embedding=vector(31, near=base, noise=0.02),
    )
    own_side = claim(
        "The coalition did not spare the militants' convoys near the dam.",
        COALITION,
        embedding=vector(32, near=base, noise=0.02),
    )

    found = find_disputes([spared, never, own_side], ACTORS)

    assert sorted(kinds(found)) == [CONTRARY, CONTRARY]
    assert {frozenset(d.claims) for d in found} == {
        frozenset((spared.id, never.id)),
        frozenset((spared.id, own_side.id)),
    }
    assert "never" in found[0].detail or "not" in found[0].detail


def test_rose_against_fell_is_contrary_but_two_unrelated_negations_are_not() -> None:
    base = vector(40)
    rose = claim("Bread prices rose sharply in the capital.", MINISTRY, embedding=base)
    fell = claim(
        "Bread prices fell sharply in the capital.",
        MONITOR,
        embedding=vector(41, near=base, noise=0.05),
    )
    other = claim(
        "No ships docked at the harbour.",
        MONITOR,
        embedding=vector(42, near=base, noise=0.05),
    )

    found = find_disputes([rose, fell, other], ACTORS)

    assert [(d.kind, set(d.claims)) for d in found] == [(CONTRARY, {rose.id, fell.id})]
    assert '"rose" against "fell"' in found[0].detail or '"fell" against "rose"' in found[0].detail


def test_thousands_of_claims_are_compared_within_blocks_not_all_pairs(monkeypatch) -> None:
    compared = {"figures": 0, "contrary": 0}
    real_compatible, real_opposite = disputes._compatible, disputes._opposite

    def counting_compatible(*args):
        compared["figures"] += 1
        return real_compatible(*args)

    def counting_opposite(*args):
        compared["contrary"] += 1
        return real_opposite(*args)

    monkeypatch.setattr(disputes, "_compatible", counting_compatible)
    monkeypatch.setattr(disputes, "_opposite", counting_opposite)
    sides = [SideOf(f"actor{n}", f"side{n % 7}", f"Actor {n}") for n in range(50)]
    things = ["sorties", "boats", "drones", "tanks", "trucks", "shells", "ships", "rockets"]
    claims = [
        claim(
            f"The unit {'did not count' if n % 10 == 0 else 'counted'} {n % 13 + 1}"
            f" {things[n % len(things)]} on day {n}.",
            sides[n % len(sides)],
            embedding=vector(1000 + n),
        )
        for n in range(3000)
    ]
    claims.append(claim("Only 12 people were killed.", sides[0], embedding=vector(5000)))
    claims.append(claim("At least 40 people died.", sides[1], embedding=vector(5001)))

    found = find_disputes(claims, [])

    all_pairs = len(claims) * (len(claims) - 1) // 2
    assert compared["figures"] < all_pairs / 100
    assert compared["contrary"] < all_pairs / 20
    assert FIGURES in kinds(found)


def test_sides_put_disagreeing_actors_apart_and_the_rest_aside() -> None:
    from claims.extraction.disputes import sides_of

    sides = sides_of(
        ["ministry", "company", "union", "governor", "weather office"],
        [("ministry", "company"), ("ministry", "union"), ("governor", "company")],
    )

    assert sides["ministry"] == sides["governor"] != 0
    assert sides["company"] == sides["union"] != 0
    assert sides["company"] != sides["ministry"]
    assert sides["weather office"] == 0


def test_a_group_killed_bounds_the_people_killed_from_below() -> None:
    deaths = claim("The company said only 12 deaths had been confirmed.", MINISTRY)
    workers = claim("A fire killed at least 40 workers, the union said.", MONITOR)
    civilians = claim("Only 12 civilians were killed.", MINISTRY)
    everyone = claim("At least 40 people died.", MONITOR)

    assert kinds(find_disputes([deaths, workers], ACTORS)) == [FIGURES]
    # "12 civilians" says nothing against "at least 40 people": the rest may not be civilians.
    assert find_disputes([civilians, everyone], ACTORS) == []


def test_people_counted_for_nothing_said_are_not_compared() -> None:
    moved = claim("About 300 people living near the plant were moved overnight.", MINISTRY)
    treated = claim("Her team treated 61 people for burns.", MONITOR)

    assert find_disputes([moved, treated], ACTORS) == []
