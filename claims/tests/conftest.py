from collections.abc import Iterator

import pytest

from claims.extraction.entities import load_ner
from claims.tests.loopback import LoopbackSite


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    server = LoopbackSite()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ner():
    """spaCy's NER, loaded once for the whole test session."""
    return load_ner()
