from collections.abc import Iterator

import pytest

from claims.tests.loopback import LoopbackSite


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    server = LoopbackSite()
    server.start()
    yield server
    server.stop()
