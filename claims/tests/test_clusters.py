"""Incremental clustering over stored claims: joins, guards, complete link, versions, window."""

import numpy as np
import pytest
from django.utils import timezone

from claims.clusters import claims_cluster
from claims.events import on_clusters_created
from claims.models import Claim, ClaimCluster
from claims.services import pack_embedding
from claims.tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def unit(*weights: float) -> list[float]:
    vector = np.zeros(384, dtype=np.float32)
    vector[: len(weights)] = weights
    return (vector / np.linalg.norm(vector)).tolist()


def stored(text: str, vector: list[float], outlet: str = "Harbour Times", **fields) -> Claim:
    document = DocumentFactory(outlet=outlet)
    return ClaimFactory(
        document=document, text=text, embedding=pack_embedding(vector), figures=[], **fields
    )


@pytest.fixture
def announced():
    seen: list[list[ClaimCluster]] = []

    def listener(*, clusters):
        seen.append(list(clusters))

    on_clusters_created.subscribe(listener)
    yield seen
    on_clusters_created.unsubscribe(listener)


def test_close_claims_join_and_new_clusters_are_announced(announced):
    first = stored("The port handled a record year.", unit(1, 0))
    (created,) = claims_cluster(claims=[first])
    close = stored("A record year at the port.", unit(1, 0.3), outlet="Coast Post")
    far = stored("The mayor resigned.", unit(0, 1))

    assert [c.pk for c in claims_cluster(claims=[close, far])] == [far.cluster_id]
    assert close.cluster_id == first.cluster_id == created.pk
    created.refresh_from_db()
    assert (created.claim_count, created.outlet_count) == (2, 2)
    assert [[c.pk for c in batch] for batch in announced] == [[created.pk], [far.cluster_id]]
    assert created.embedding_version == "test"


def test_a_chain_of_neighbours_does_not_carry_a_cluster_away():
    # b is close to a and c is close to b, but c is far from a: c starts its own cluster.
    a = stored("Claim a.", unit(1, 0))
    b = stored("Claim b.", unit(1, 0.9))
    c = stored("Claim c.", unit(0.25, 1))
    claims_cluster(claims=[a, b, c])
    assert a.cluster_id == b.cluster_id != c.cluster_id


def test_figures_that_differ_keep_close_claims_apart():
    twelve = stored("12 people were killed.", unit(1, 0))
    twelve.figures = [{"text": "12", "kind": "count", "value": 12, "comparator": "="}]
    forty = stored("At least 40 people were killed.", unit(1, 0.1))
    forty.figures = [{"text": "at least 40", "kind": "count", "value": 40, "comparator": ">="}]
    Claim.objects.filter(pk=twelve.pk).update(figures=twelve.figures)
    Claim.objects.filter(pk=forty.pk).update(figures=forty.figures)
    claims_cluster(claims=[twelve, forty])
    assert twelve.cluster_id != forty.cluster_id


def test_only_claims_of_the_same_engine_and_window_are_compared(settings):
    settings.FACTDESK_CLUSTER_WINDOW_DAYS = 30
    old_engine = stored("Same words.", unit(1, 0), extractor_version="engine-0")
    claims_cluster(claims=[old_engine])
    stale = stored("Older words.", unit(1, 0))
    claims_cluster(claims=[stale])
    Claim.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=40)
    )

    new = stored("Same words.", unit(1, 0))
    claims_cluster(claims=[new])

    assert new.cluster_id not in (old_engine.cluster_id, stale.cluster_id)
    assert ClaimCluster.objects.get(pk=old_engine.cluster_id).embedding_version == "engine-0"


def test_claims_without_embeddings_join_their_exact_copies():
    first = ClaimFactory(text="The port handled 12,400 containers.")
    copy = ClaimFactory(text="THE PORT HANDLED 12,400 CONTAINERS!")
    other = ClaimFactory(text="The port handled 9,000 containers.")
    claims_cluster(claims=[first, copy, other])
    assert first.cluster_id == copy.cluster_id != other.cluster_id
    assert claims_cluster(claims=[first, copy, other]) == []
