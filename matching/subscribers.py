"""Subscribers to claims.events and reviews.events: each enqueues a task after commit, so that the
announcer's transaction stays short and the work runs in the worker."""

from django.conf import settings
from django.db import transaction

from matching import tasks


def match_queued_claims(*, claims) -> None:
    """The claims the desk queues (check-worthy by FACTDESK_QUEUE_THRESHOLD) are matched; once
    claim clusters exist, a new cluster is matched instead."""
    claim_ids = [c.pk for c in claims if c.score >= settings.FACTDESK_QUEUE_THRESHOLD]
    if claim_ids:
        transaction.on_commit(lambda: tasks.claims_match.delay(claim_ids))


def archive_published_review(*, review) -> None:
    review_id = review.pk
    transaction.on_commit(lambda: tasks.review_archive.delay(review_id))
