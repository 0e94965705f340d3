"""Claim-next answers the review as its page does, writes its history row, and costs a pinned
number of queries: on PostgreSQL one statement picks, takes and reads the review back
(`reviews.services._claim_next_statement`); SQLite keeps the ORM's path. These run on whichever
database the suite runs on (CI runs both)."""

import pytest
from django.db import connection
from django.utils import timezone

from claims.tests.factories import ClaimFactory
from reviews import services
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db
State = Review.State


def test_claim_next_answers_what_the_review_page_shows(reviewer, reviewer_client, editor, rating):
    # A verdict that was returned and then released comes back with its rating and its writer.
    ReviewFactory(
        priority=2.0,
        rating=rating,
        submitted_by=editor,
        summary="Kept from before.",
        claim=ClaimFactory(figures=[{"value": 12400, "unit": "containers"}]),
    )
    ReviewFactory(priority=1.0)

    taken = reviewer_client.post("/api/v1/queue/claim-next/")
    assert taken.status_code == 200
    body = taken.json()
    page = reviewer_client.get(f"/api/v1/reviews/{body['id']}/").json()
    assert body == page
    assert (body["state"], body["assignee"], body["version"]) == ("in_review", "rita", 2)
    assert (body["rating_name"], body["submitted_by"], body["approved_by"]) == (
        rating.name,
        "edna",
        None,
    )
    assert body["figures"] == [{"value": 12400, "unit": "containers"}]
    assert body["document"]["title"] and body["locked_until"].endswith("Z")


def test_claim_next_writes_the_history_row_of_the_take(reviewer):
    review = ReviewFactory()
    before = timezone.now()

    taken = services.review_claim_next(actor=reviewer)

    stored = Review.objects.get(pk=review.pk)
    assert (stored.state, stored.assignee_id, stored.version) == (State.IN_REVIEW, reviewer.pk, 2)
    assert stored.locked_until == taken.locked_until and stored.updated_at >= before
    last = stored.history.order_by("-history_date", "-history_id").first()
    assert (last.history_type, last.history_user, last.history_change_reason) == (
        "~",
        reviewer,
        "taken from the queue",
    )
    assert (last.state, last.assignee_id, last.version, last.locked_until) == (
        State.IN_REVIEW,
        reviewer.pk,
        2,
        stored.locked_until,
    )


def test_claim_next_costs_a_pinned_number_of_queries(reviewer_client, django_assert_num_queries):
    for _ in range(3):
        ReviewFactory()
    # It was 9 on both databases outside a transaction (token, groups, expired locks, the
    # holder's row, the count of what they hold, pick and lock, update, history, reading the
    # review back), 11 here, where the test's transaction adds a savepoint and its release.
    # The token now brings the groups (factdesk.authentication); PostgreSQL picks, updates and
    # reads back in one statement (6, bench_queue's count); SQLite's ORM path keeps the rest.
    expected = 8 if connection.vendor == "postgresql" else 10
    with django_assert_num_queries(expected):
        assert reviewer_client.post("/api/v1/queue/claim-next/").status_code == 200


def test_claim_next_skips_what_is_not_queued_and_answers_none_when_empty(reviewer, editor):
    ReviewFactory(state=State.DISMISSED, priority=5.0)
    ReviewFactory(
        state=State.IN_REVIEW,
        assignee=editor,
        priority=4.0,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    queued = ReviewFactory(priority=0.1)
    assert services.review_claim_next(actor=reviewer).pk == queued.pk
    assert services.review_claim_next(actor=reviewer) is None
