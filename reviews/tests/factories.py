import factory

from claims.clusters import claims_cluster
from claims.models import Claim, ClaimCluster
from claims.tests.factories import ClaimFactory
from reviews import priority
from reviews.models import EvidenceLink, Review


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    claim = factory.SubFactory(ClaimFactory)
    cluster = factory.LazyAttribute(lambda r: cluster_of(r.claim))
    story = factory.LazyAttribute(lambda r: r.claim.document.story)
    claim_type = factory.LazyAttribute(lambda r: r.claim.claim_type)
    outlet_key = factory.LazyAttribute(lambda r: r.claim.document.outlet.casefold())
    fingerprint = factory.LazyAttribute(lambda r: priority.claim_fingerprint(r.claim.text))
    priority_score = factory.LazyAttribute(lambda r: r.claim.score)
    priority = factory.LazyAttribute(lambda r: r.claim.score)


def cluster_of(claim: Claim) -> ClaimCluster:
    """The claim's cluster, clustering it first as the worker would have."""
    if claim.cluster_id is None:
        claims_cluster(claims=[claim])
    return claim.cluster


class EvidenceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceLink

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://stats.example/table-{n}")
    stance = EvidenceLink.Stance.REFUTES
