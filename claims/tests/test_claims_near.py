import pytest

from claims.selectors import claims_near
from claims.tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Registrations rose by a third. "
    "People registered in two states, the clerk said. "
    "They voted twice. "
    "The count took four days.\n\n"
    "Turnout was the highest in a decade."
)


def claim_at(document, sentence: str, **extra):
    start = document.text.index(sentence)
    return ClaimFactory(document=document, start=start, end=start + len(sentence), **extra)


def test_a_claims_context_is_its_documents_claims_nearest_first_within_the_window():
    document = DocumentFactory(text=TEXT)
    first = claim_at(document, "Registrations rose by a third.")
    before = claim_at(document, "People registered in two states, the clerk said.")
    vague = claim_at(document, "They voted twice.")
    last = claim_at(document, "Turnout was the highest in a decade.")
    claim_at(document, "The count took four days.", extractor_version="older")
    ClaimFactory(document=DocumentFactory(text="Elsewhere they voted twice."))

    assert claims_near(claim=vague, window=1) == [before]
    assert claims_near(claim=vague, window=2) == [before, first, last]
    assert claims_near(claim=vague, window=0) == []
    assert claims_near(claim=first, window=1) == [before]
