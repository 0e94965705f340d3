import pytest

from claims.extraction.entities import load_ner


@pytest.fixture(scope="session")
def ner():
    """spaCy's NER, loaded once for the whole test session."""
    return load_ner()
