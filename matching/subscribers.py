"""Subscribers to claims.events and reviews.events: each enqueues a task after commit, so that the
announcer's transaction stays short and the work runs in the worker."""

from django.conf import settings
from django.db import transaction

from matching import selectors, tasks


def match_queued_claims(*, claims) -> None:
    """Each new cluster with a check-worthy claim (by FACTDESK_QUEUE_THRESHOLD) is matched once,
    through its best claim; a copy joining a cluster that was matched already adds nothing."""
    best = {}
    for claim in sorted(claims, key=lambda c: (-c.score, c.pk)):
        if claim.score >= settings.FACTDESK_QUEUE_THRESHOLD:
            best.setdefault(claim.cluster_id or -claim.pk, claim)
    matched = selectors.clusters_with_matches(cluster_ids=[key for key in best if key > 0])
    claim_ids = [claim.pk for key, claim in best.items() if key not in matched]
    if claim_ids:
        transaction.on_commit(lambda: tasks.claims_match.delay(claim_ids))


def archive_published_review(*, review) -> None:
    review_id = review.pk
    transaction.on_commit(lambda: tasks.review_archive.delay(review_id))
