import factory

from claims.tests.factories import ClaimFactory
from reviews import priority
from reviews.models import Review


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    claim = factory.SubFactory(ClaimFactory)
    fingerprint = factory.LazyAttribute(lambda r: priority.claim_fingerprint(r.claim.text))
    priority_score = factory.LazyAttribute(lambda r: r.claim.score)
    priority = factory.LazyAttribute(lambda r: r.claim.score)
