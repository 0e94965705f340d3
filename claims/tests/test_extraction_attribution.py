import pytest

from claims.extraction.attribution import (
    ORGANIZATION,
    OUTLET,
    PERSON,
    Attribution,
    SentenceForAttribution,
    attribute_sentences,
)
from claims.extraction.entities import entities_of
from claims.extraction.sentences import split_sentences


def attribute(ner, text: str, outlet: str = "Coast Herald") -> list[tuple[str, Attribution]]:
    spans = split_sentences(text, [])
    sentences = [
        SentenceForAttribution(
            text[s.start : s.end], s.paragraph, entities_of(ner(text[s.start : s.end]))
        )
        for s in spans
    ]
    return [
        (s.text, a) for s, a in zip(sentences, attribute_sentences(sentences, outlet), strict=True)
    ]


def test_quote_then_name_and_a_following_quote_with_no_verb(ner) -> None:
    text = (
        '"We have no plans to close the ward", Helen Marsh said. '
        '"Staffing is our first concern and it will stay that way".'
    )
    (_, first), (_, second) = attribute(ner, text)
    assert (first.speaker, first.role, first.kind) == ("Helen Marsh", "", PERSON)
    assert (second.speaker, second.kind, second.resolution) == ("Helen Marsh", PERSON, "carried")


def test_apposition_gives_the_role_and_a_rank_is_not_part_of_the_name(ner) -> None:
    text = "Lt. Col. Omar Haddad, spokesman for the border mission, said the crossing had reopened."
    ((_, attribution),) = attribute(ner, text)
    assert attribution.speaker == "Omar Haddad"
    assert "spokesman for the border mission" in attribution.role
    assert attribution.kind == PERSON


def test_told_and_according_to(ner) -> None:
    text = (
        "Water bills will rise by a fifth, Karen Doyle told the BBC.\n"
        "According to the Environment Agency, river levels fell all summer."
    )
    (_, told), (_, according) = attribute(ner, text)
    assert told.speaker == "Karen Doyle"
    assert according.speaker == "Environment Agency"
    assert according.kind == ORGANIZATION


def test_an_organisation_is_a_speaker_and_a_later_the_ministry_resolves_to_it(ner) -> None:
    text = (
        "The Danish Health Ministry said waiting lists had grown.\n"
        "The ministry also said that 300 posts were unfilled."
    )
    (_, first), (_, second) = attribute(ner, text)
    assert first.speaker == "Danish Health Ministry"
    assert first.kind == ORGANIZATION
    assert (second.speaker, second.kind) == (first.speaker, first.kind)
    assert (second.mention, second.resolution) == ("The ministry", "nominal")


def test_a_surname_and_a_pronoun_resolve_to_the_person_named_before(ner) -> None:
    text = (
        "Finance minister Ruth Okonjo said the deficit had narrowed.\n"
        '"Borrowing is falling," Okonjo said.\n'
        "She added that taxes would not rise."
    )
    attributions = [a for _, a in attribute(ner, text)]
    assert {a.speaker for a in attributions} == {"Ruth Okonjo"}
    assert "minister" in attributions[1].role.lower()


@pytest.mark.parametrize(
    "text", ["The storm closed three schools on Monday.", "Prices have risen sharply since spring."]
)
def test_nobody_named_means_the_outlet(ner, text: str) -> None:
    ((_, attribution),) = attribute(ner, text, outlet="Coast Herald")
    assert (attribution.speaker, attribution.kind) == ("Coast Herald", OUTLET)


def test_a_quote_over_two_sentences_belongs_to_the_speaker_named_at_its_end(ner) -> None:
    text = '"The figures are wrong. They double count every visit," Dr. Amy Tran said.'
    attributions = [a.speaker for _, a in attribute(ner, text)]
    assert attributions == ["Amy Tran", "Amy Tran"]


def test_a_name_after_the_verb_takes_its_trailing_apposition_as_role(ner) -> None:
    text = '"Nobody tells us anything," said Jonas Weber, a baker on Mill Lane.'
    ((_, attribution),) = attribute(ner, text)
    assert (attribution.speaker, attribution.role) == ("Jonas Weber", "a baker on Mill Lane")


def test_the_audience_of_told_is_not_the_speaker(ner) -> None:
    text = "Shop owners on the quay told the Gazette they had lost a week of trade."
    ((_, attribution),) = attribute(ner, text, outlet="Quay Gazette")
    assert attribution.speaker != "Gazette"


def test_a_title_before_a_comma_and_a_title_after_said_are_roles(ner) -> None:
    text = (
        "The county fire chief, Mara Quist, said the blaze was contained.\n"
        '"We were lucky with the wind," said Deputy Mayor Olu Bassey.'
    )
    (_, chief), (_, deputy) = attribute(ner, text)
    assert (chief.speaker, chief.role) == ("Mara Quist", "county fire chief")
    assert deputy.speaker == "Olu Bassey"
