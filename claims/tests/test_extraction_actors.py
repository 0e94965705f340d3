import pytest

from claims.extraction.actors import actor_key, same_actor, split_rank


@pytest.mark.parametrize(
    "name",
    [
        "Russia's Ministry of Defense",
        "Russian Defence Ministry",
        "Russian MoD",
        "the Russian Ministry of Defence",
        "Russia’s defence ministry",
        "Ministry of Defence of the Russian Federation",
    ],
)
def test_one_key_for_every_spelling_of_a_ministry(name) -> None:
    assert actor_key(name, "organization") == "russia ministry of defence"


def test_other_ministries_and_countries_keep_their_own_keys() -> None:
    assert actor_key("Health Ministry", "organization") == "ministry of health"
    assert actor_key("Ministry of Health", "organization") == "ministry of health"
    assert actor_key("Ukrainian Defence Ministry", "organization") == "ukraine ministry of defence"
    assert actor_key("Russia", "organization") == "russia"
    assert actor_key("U.S.-led coalition", "organization") == "united states led coalition"


@pytest.mark.parametrize(
    "name",
    ["Col. Ryan Dillon", "U.S. Army Col. Ryan Dillon", "Ryan Dillon", "Mr. Ryan Dillon, Jr."],
)
def test_ranks_and_honorifics_are_not_part_of_a_persons_key(name) -> None:
    assert actor_key(name, "person") == "ryan dillon"


def test_split_rank_keeps_the_rank_apart_from_the_name() -> None:
    assert split_rank("Maj. Gen. Igor Malin") == ("Maj. Gen.", "Igor Malin")
    assert split_rank("U.S. Army Col. Ann Roe") == ("U.S. Army Col.", "Ann Roe")
    assert split_rank("Health Minister Ana Lind") == ("Health Minister", "Ana Lind")
    assert split_rank("Ana Lind") == ("", "Ana Lind")
    assert split_rank("Col.") == ("", "Col.")


def test_same_actor_allows_a_dropped_qualifier_only() -> None:
    assert same_actor("ministry of defence", "russia ministry of defence")
    assert same_actor("coalition", "united states led coalition")
    assert not same_actor("ministry of health", "russia ministry of defence")
    assert not same_actor("", "russia")
    assert not same_actor("defence", "russia ministry of defence and sport and youth")


def test_no_name_no_key() -> None:
    assert actor_key("", "person") == ""
    assert actor_key("   ", "organization") == ""
