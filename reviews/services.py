"""Every write to reviews: the queue and the transitions of a verdict."""

from django.conf import settings

from claims.models import Claim
from reviews.models import Review


def reviews_enqueue_claims(*, claims: list[Claim]) -> int:
    """Queues each claim at or above the threshold that has never been reviewed."""
    threshold = settings.FACTDESK_QUEUE_THRESHOLD
    reviewed = set(Review.objects.filter(claim__in=claims).values_list("claim_id", flat=True))
    worthy = [c for c in claims if c.score >= threshold and c.pk not in reviewed]
    created = Review.objects.bulk_create([Review(claim=c) for c in worthy], ignore_conflicts=True)
    return len(created)
