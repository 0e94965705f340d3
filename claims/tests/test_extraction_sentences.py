from claims.extraction.cleaning import find_debris
from claims.extraction.sentences import MAX_SENTENCES_PER_DOCUMENT, split_sentences


def sentences_of(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, find_debris(text))]


def test_ranks_and_dotted_acronyms_do_not_end_a_sentence() -> None:
    text = (
        "The briefing was short. U.S. Army Col. Ana Ruiz said. "
        "Maj. Gen. Lee Park disagreed with her on Friday."
    )
    assert sentences_of(text) == [
        "The briefing was short.",
        "U.S. Army Col. Ana Ruiz said.",
        "Maj. Gen. Lee Park disagreed with her on Friday.",
    ]


def test_decimal_money_keeps_its_sentence_and_a_scale_word_can_end_one() -> None:
    text = "The bridge cost $1.5 bn. The tunnel cost more than twice that."
    assert sentences_of(text) == [
        "The bridge cost $1.5 bn.",
        "The tunnel cost more than twice that.",
    ]


def test_a_dotted_acronym_ends_a_sentence_when_a_new_one_clearly_starts() -> None:
    assert sentences_of("The firm moved to the U.S. The move cost jobs.") == [
        "The firm moved to the U.S.",
        "The move cost jobs.",
    ]


def test_a_quote_of_two_sentences_is_split_inside_the_quote() -> None:
    text = '"We are ready. We have been for months," the mayor said.'
    assert sentences_of(text) == ['"We are ready.', 'We have been for months," the mayor said.']


def test_spans_are_exact_offsets_into_the_text() -> None:
    text = "  First line here.\n\nSecond   line, with  spaces!  And a third?\n"
    spans = split_sentences(text, find_debris(text))
    assert [text[s.start : s.end] for s in spans] == [
        "First line here.",
        "Second   line, with  spaces!",
        "And a third?",
    ]


def test_sentences_per_document_are_capped() -> None:
    text = "This is one short sentence. " * (MAX_SENTENCES_PER_DOCUMENT + 500)
    assert len(split_sentences(text, [])) == MAX_SENTENCES_PER_DOCUMENT
