"""Real row locks: many reviewers and editors at once, each thread on its own connection."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.utils import timezone

from conftest import make_user
from reviews import services
from reviews.errors import ReviewError, StaleVersion
from reviews.models import Rating, Review
from reviews.tests.factories import ReviewFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks (set DATABASE_URL); SQLite serialises all writers",
    ),
]


def run_together(calls: list[Callable[[], object]]) -> list[object]:
    """Starts every call at the same moment, each in a thread with its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except (ReviewError, Review.DoesNotExist) as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_claim_next_never_hands_one_review_twice(committed_desk):
    reviewers = [make_user(f"reviewer{i}", "reviewer") for i in range(12)]
    ReviewFactory.create_batch(8)

    results = run_together(
        [lambda user=user: services.review_claim_next(actor=user) for user in reviewers]
    )

    taken = [result.pk for result in results if isinstance(result, Review)]
    assert len(taken) == 8 and len(set(taken)) == 8
    assert results.count(None) == 4
    assert Review.objects.filter(state=Review.State.IN_REVIEW).count() == 8


def test_two_editors_approving_at_once_one_wins(committed_desk):
    rating = Rating.objects.get(name="False")
    reviewer = make_user("rita", "reviewer")
    editors = [make_user("edna", "editor"), make_user("emil", "editor")]
    review = ReviewFactory(
        state=Review.State.SUBMITTED,
        submitted_by=reviewer,
        rating=rating,
        summary="Wrong.",
        submitted_at=timezone.now(),
    )

    results = run_together(
        [
            lambda editor=editor: services.review_approve(
                review_id=review.pk, actor=editor, version=review.version
            )
            for editor in editors
        ]
    )

    winners = [result for result in results if isinstance(result, Review)]
    losers = [result for result in results if isinstance(result, StaleVersion)]
    assert len(winners) == 1 and len(losers) == 1
    review.refresh_from_db()
    assert review.version == 2
    assert review.approved_by.username == winners[0].approved_by.username
