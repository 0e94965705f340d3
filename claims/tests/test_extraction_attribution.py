import pytest

from claims.extraction.attribution import (
    ORGANIZATION,
    OUTLET,
    PERSON,
    UNRESOLVED,
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


def by_sentence(ner, text: str, outlet: str = "Coast Herald") -> dict[str, Attribution]:
    return {sentence[:30]: attribution for sentence, attribution in attribute(ner, text, outlet)}


def test_a_rank_goes_into_the_role_after_the_title_and_the_name_stays_bare(ner) -> None:
    text = "The crossing will reopen on Monday, mission spokesman Col. Ana Ferreira told reporters."
    ((_, attribution),) = attribute(ner, text)
    assert attribution.speaker == "Ana Ferreira"
    assert attribution.role == "mission spokesman, Col."
    assert attribution.key == "ana ferreira"


def test_the_affiliation_comes_from_the_apposition(ner) -> None:
    text = (
        "Maj. Gen. Ivo Brandt, a general of the Northern Army Staff, said the convoy had left "
        "the valley before dawn."
    )
    ((_, attribution),) = attribute(ner, text)
    assert attribution.speaker == "Ivo Brandt"
    assert "Maj. Gen." in attribution.role
    assert attribution.affiliation == "Northern Army Staff"


def test_a_possessive_title_is_affiliated_to_the_organisation_named_before(ner) -> None:
    text = (
        "The Coastal Water Board said the pipes were sound.\n"
        "The board's spokesman Aled Price said repairs would take a week."
    )
    (_, _), (_, spokesman) = attribute(ner, text)
    assert spokesman.speaker == "Aled Price"
    assert spokesman.affiliation == "Coastal Water Board"


def test_showing_photographs_and_it_said_belong_to_the_organisation(ner) -> None:
    text = (
        "The Interior Ministry of Loravia said the border post had been shelled.\n"
        "The ministry showed satellite images which show craters near the gate.\n"
        "The Loravian Interior Ministry later published photographs that it said proved the "
        "shells came from the east."
    )
    (_, said), (_, showed), (_, published) = attribute(ner, text)
    assert (showed.speaker, showed.kind, showed.resolution) == (
        said.speaker,
        ORGANIZATION,
        "nominal",
    )
    assert published.kind == ORGANIZATION
    assert "Interior Ministry" in published.speaker


def test_she_skips_a_man_named_later_and_he_takes_him(ner) -> None:
    text = (
        "Ms. Leena Varga, the council's treasurer, said the budget was balanced. Mr. Tomas "
        "Riedl, the opposition leader, said it was not.\n"
        "She added that reserves had grown. He said they had shrunk."
    )
    attributions = [a for _, a in attribute(ner, text)]
    assert [a.speaker for a in attributions] == [
        "Leena Varga",
        "Tomas Riedl",
        "Leena Varga",
        "Tomas Riedl",
    ]
    assert attributions[2].resolution == "pronoun"


def test_he_said_after_an_unrelated_paragraph_and_another_speaker_is_unresolved(ner) -> None:
    text = (
        "Chief engineer Pavel Ostrik said the dam had held.\n\n"
        "Farmers downstream lost about 200 sheep in the flood.\n\n"
        "The Water Authority of Kesh said the warning had gone out in time.\n\n"
        '"We will rebuild every wall by spring," he said.'
    )
    *_, (_, last) = attribute(ner, text)
    assert last.kind == UNRESOLVED
    assert last.speaker == ""
    assert last.mention == "he"


def test_he_said_in_the_next_paragraph_resolves(ner) -> None:
    text = (
        "Chief engineer Pavel Ostrik said the dam had held.\n\n"
        '"We will rebuild every wall by spring," he said.'
    )
    (_, _), (_, second) = attribute(ner, text)
    assert (second.speaker, second.resolution) == ("Pavel Ostrik", "pronoun")


@pytest.mark.parametrize(
    "text",
    [
        '"The road will be closed for a month and nobody told us," a resident said.',
        "The mayor will resign next week, sources said.",
        '"We expect the bridge to reopen before the winter storms arrive."',
    ],
)
def test_reported_speech_with_nobody_named_is_unresolved_not_the_outlet(ner, text) -> None:
    ((_, attribution),) = attribute(ner, text, outlet="Coast Herald")
    assert attribution.kind == UNRESOLVED
    assert attribution.speaker == ""


def test_a_description_resolves_to_the_actor_with_that_head_noun(ner) -> None:
    text = (
        "Harbour spokeswoman Ines Dal said the ferry had been delayed.\n"
        "Velmar Shipping Ltd said the delay was caused by the weather.\n"
        "The spokeswoman added that passengers would be refunded.\n"
        "The company said it disagreed."
    )
    attributions = [a for _, a in attribute(ner, text)]
    assert (attributions[2].speaker, attributions[2].mention) == ("Ines Dal", "The spokeswoman")
    assert attributions[3].speaker == "Velmar Shipping Ltd"


def test_every_attribution_has_the_actor_key_of_its_speaker(ner) -> None:
    text = "Russia's Ministry of Defence said the convoy had been stopped."
    ((_, attribution),) = attribute(ner, text)
    assert attribution.key == "russia ministry of defence"
