"""The queue's page and token authentication read through prepared statements on PostgreSQL
(factdesk/db.py): the same rows as the ORM, prepared by the server, and nothing else prepared.
They run on whichever database the suite runs on (CI runs PostgreSQL)."""

import pytest
from django.db import connection
from django.utils import timezone

from factdesk.db import PreparedRows, prepared_cursor
from reviews import selectors
from reviews.models import Review
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_prepared_rows_are_the_querysets_rows(reviewer, rating):
    ReviewFactory(priority=3.0)
    ReviewFactory(
        priority=2.0,
        state=Review.State.IN_REVIEW,
        assignee=reviewer,
        rating=rating,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    ReviewFactory(priority=1.0)
    for state in (None, Review.State.IN_REVIEW):
        queryset = selectors.review_queue(user=reviewer, state=state)
        assert PreparedRows(queryset)[0:2] == list(queryset[0:2])
        assert PreparedRows(queryset)[1:10] == list(queryset[1:10])


@on_postgresql
def test_the_queue_page_and_the_token_are_read_prepared(reviewer_client):
    ReviewFactory()
    before = _prepared_statements()
    assert reviewer_client.get("/api/v1/queue/").status_code == 200
    added = [s for s in _prepared_statements() if s not in before]
    assert any("reviews_review" in s and "ORDER BY" in s for s in added), added
    assert any("authtoken_token" in s for s in added), added
    # A second page of the same kind reuses both: nothing more is prepared.
    assert reviewer_client.get("/api/v1/queue/").status_code == 200
    assert len(_prepared_statements()) == len(before) + len(added)


@on_postgresql
def test_djangos_own_cursors_still_prepare_nothing(reviewer):
    with prepared_cursor() as cursor:
        cursor.execute("SELECT 1 WHERE 1 = %s", [1])
    before = len(_prepared_statements())
    for _ in range(10):
        assert Review.objects.filter(state=Review.State.QUEUED, priority__gte=0).count() == 0
    assert len(_prepared_statements()) == before
