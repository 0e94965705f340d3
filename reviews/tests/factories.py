import factory

from claims.tests.factories import ClaimFactory
from reviews import priority
from reviews.models import Review


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    claim = factory.SubFactory(ClaimFactory)
    claim_type = factory.LazyAttribute(lambda r: r.claim.claim_type)
    outlet_key = factory.LazyAttribute(lambda r: r.claim.document.outlet.casefold())
    fingerprint = factory.LazyAttribute(lambda r: priority.claim_fingerprint(r.claim.text))
    priority_score = factory.LazyAttribute(lambda r: r.claim.score)
    priority = factory.LazyAttribute(lambda r: r.claim.score)
