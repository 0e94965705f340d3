import pytest

from claims.actors import (
    ActorChangeRefused,
    Speaker,
    actor_merge,
    actor_rename,
    actor_split,
    actors_resolve,
    alias_key,
)
from claims.models import Actor, ActorAlias, Claim
from claims.tests.factories import ClaimFactory
from factdesk.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def org(name: str) -> Speaker:
    return Speaker(name=name, kind="organization")


def test_names_of_one_actor_fold_to_one_key() -> None:
    ministry = alias_key("Russian Defence Ministry", "organization")
    assert alias_key("Russia's Ministry of Defense", "organization") == ministry
    assert alias_key("Russian MoD", "organization") == ministry
    assert alias_key("Col. Ryan Dillon", "person") == alias_key("Ryan Dillon", "person")


def test_speakers_resolve_to_one_actor_across_documents_by_their_alias() -> None:
    first, second, person, nobody = actors_resolve(
        speakers=[
            org("Russian Defence Ministry"),
            org("the Russian Defense Ministry"),
            Speaker("Ada Smith", "person", role="spokesman", affiliation="the coalition"),
            None,
        ]
    )
    (again,) = actors_resolve(speakers=[org("Russian Defence Ministry")])

    assert first.pk == second.pk == again.pk
    assert nobody is None
    assert person.kind == "person" and person.role == "spokesman"
    assert person.affiliation.name == "the coalition"
    assert person.affiliation.kind == "organization"
    assert Actor.objects.count() == 3


def test_a_person_and_an_organisation_of_one_name_stay_two_actors() -> None:
    person, organisation = actors_resolve(
        speakers=[Speaker("Jordan", "person"), Speaker("Jordan", "organization")]
    )

    assert person.pk != organisation.pk


def test_merging_moves_claims_and_aliases_and_later_speakers_follow(editor) -> None:
    ministry, mod = actors_resolve(speakers=[org("Defence Ministry"), org("Russian MoD")])
    claim = ClaimFactory(actor=mod, speaker="Russian MoD")

    actor_merge(actor=mod, into=ministry, by=editor)

    claim.refresh_from_db()
    mod.refresh_from_db()
    assert claim.actor_id == ministry.pk
    assert mod.merged_into_id == ministry.pk
    assert set(ministry.aliases.values_list("name", flat=True)) == {
        "Defence Ministry",
        "Russian MoD",
    }
    assert actors_resolve(speakers=[org("Russian MoD")])[0].pk == ministry.pk
    assert (
        mod.history.first().history_change_reason
        == f"merged into 'Defence Ministry' (#{ministry.pk})"
    )
    assert mod.history.first().history_user == editor


def test_merging_into_itself_or_another_kind_is_refused_with_the_reason(editor) -> None:
    ministry, person = actors_resolve(speakers=[org("Defence Ministry"), Speaker("Ada", "person")])

    with pytest.raises(ActorChangeRefused, match="cannot be merged into itself"):
        actor_merge(actor=ministry, into=ministry, by=editor)
    with pytest.raises(ActorChangeRefused, match="only actors of the same kind"):
        actor_merge(actor=person, into=ministry, by=editor)


def test_only_editors_change_actors(reviewer) -> None:
    ministry, mod = actors_resolve(speakers=[org("Defence Ministry"), org("Russian MoD")])

    with pytest.raises(PermissionDenied):
        actor_merge(actor=mod, into=ministry, by=reviewer)
    with pytest.raises(PermissionDenied):
        actor_rename(actor=mod, name="MoD", by=reviewer)


def test_renaming_keeps_the_old_name_as_an_alias_and_refuses_another_actors_name(editor) -> None:
    ministry, _ = actors_resolve(speakers=[org("Defence Ministry"), org("The coalition")])

    actor_rename(actor=ministry, name="Russian Defence Ministry", by=editor)

    ministry.refresh_from_db()
    assert ministry.name == "Russian Defence Ministry"
    assert actors_resolve(speakers=[org("Defence Ministry")])[0].pk == ministry.pk
    assert actors_resolve(speakers=[org("Russian Defence Ministry")])[0].pk == ministry.pk
    with pytest.raises(ActorChangeRefused, match="already a name of 'The coalition'"):
        actor_rename(actor=ministry, name="the coalition", by=editor)


def test_splitting_moves_the_chosen_aliases_and_their_claims(editor) -> None:
    (ministry,) = actors_resolve(speakers=[org("Defence Ministry")])
    ActorAlias.objects.create(
        actor=ministry, name="Moscow", key=alias_key("Moscow", "organization"), kind="organization"
    )
    said_by_ministry = ClaimFactory(actor=ministry, speaker="Defence Ministry")
    said_by_moscow = ClaimFactory(actor=ministry, speaker="Moscow")

    kremlin = actor_split(
        actor=ministry,
        aliases=ministry.aliases.filter(name="Moscow"),
        name="Kremlin",
        by=editor,
    )

    assert Claim.objects.get(pk=said_by_moscow.pk).actor_id == kremlin.pk
    assert Claim.objects.get(pk=said_by_ministry.pk).actor_id == ministry.pk
    assert actors_resolve(speakers=[org("Moscow")])[0].pk == kremlin.pk
    with pytest.raises(ActorChangeRefused, match="must keep at least one"):
        actor_split(actor=ministry, aliases=ministry.aliases.all(), name="Other", by=editor)


def test_one_story_naming_the_ministry_two_ways_has_one_side() -> None:
    from claims.actors import story_sides

    full, short, person, other = actors_resolve(
        speakers=[
            org("Russia's Ministry of Defence"),
            org("the Defense Ministry"),
            Speaker("Igor Petrov", "person", affiliation="the Defence Ministry"),
            org("The coalition"),
        ]
    )

    sides = story_sides([full, short, person, other])

    assert sides[full.pk] == sides[short.pk] == sides[person.pk] == full
    assert sides[other.pk] == other


def test_the_company_and_a_ministry_spokeswoman_join_the_story_s_one_such_organisation() -> None:
    from claims.actors import story_sides

    corlan, ministry, quarrie, moravec, minister = actors_resolve(
        speakers=[
            org("Corlan Chemicals"),
            org("Ministry of Industry"),
            Speaker("Tessa Quarrie", "person", role="spokeswoman", affiliation="the company"),
            Speaker("Ilse Moravec", "person", role="ministry spokeswoman"),
            Speaker("Jonas Petrakis", "person", role="Industry Minister"),
        ]
    )

    sides = story_sides([corlan, ministry, quarrie, moravec, minister])

    assert sides[quarrie.pk] == corlan
    assert sides[moravec.pk] == ministry
    assert sides[minister.pk] == ministry


def test_a_generic_organisation_stays_itself_when_the_story_has_two_of_its_kind() -> None:
    from claims.actors import story_sides

    one, two, person = actors_resolve(
        speakers=[
            org("Ministry of Industry"),
            org("Ministry of Health"),
            Speaker("Ilse Moravec", "person", role="ministry spokeswoman"),
        ]
    )

    assert story_sides([one, two, person])[person.pk] == person


def test_in_a_story_between_countries_a_country_its_organs_and_capital_are_one_side() -> None:
    from claims.actors import story_sides

    ukraine, ministry, kyiv, officials, minsk, belarus_army, minister, surname = actors_resolve(
        speakers=[
            org("Ukraine"),
            org("Ukrainian Defence Ministry"),
            org("Kyiv"),
            org("Ukrainian officials"),
            org("Minsk"),
            org("the Belarusian army"),
            Speaker(
                "Olena Marchuk", "person", role="Ukrainian Foreign Minister", affiliation="Ukraine"
            ),
            Speaker("Marchuk", "person"),
        ]
    )
    reporter = actors_resolve(speakers=[org("Harbour Press Agency")])[0]

    sides = story_sides(
        [ukraine, ministry, kyiv, officials, minsk, belarus_army, minister, surname, reporter]
    )

    for member in (ministry, kyiv, officials, minister, surname):
        assert sides[member.pk] == ukraine, member.name
    assert sides[belarus_army.pk] == sides[minsk.pk] == minsk
    assert sides[reporter.pk] == reporter


def test_within_one_country_its_institutions_stay_separate_sides() -> None:
    from claims.actors import story_sides

    ministry, senate, capital = actors_resolve(
        speakers=[org("French Health Ministry"), org("French Senate"), org("Paris")]
    )

    sides = story_sides([ministry, senate, capital])

    assert (sides[ministry.pk], sides[senate.pk], sides[capital.pk]) == (ministry, senate, capital)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Russia", "russia"),
        ("Russian Defence Ministry", "russia"),
        ("the Kremlin", "russia"),
        ("U.S.-led coalition", "united states"),
        ("White House", "united states"),
        ("Georgia Power", ""),
        ("Harbour Press Agency", ""),
    ],
)
def test_the_country_an_organisation_speaks_for(name: str, country: str) -> None:
    from claims.extraction.actors import actor_key, country_of

    assert country_of(actor_key(name, "organization")) == country
