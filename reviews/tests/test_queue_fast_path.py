"""The queue's fast path: its page read from a once-compiled statement gives the ORM's rows and
DRF's bytes; with DATABASE_PREPARED_STATEMENTS on PostgreSQL, the page and token authentication
are prepared by the server (factdesk/db.py) and nothing else is. They run on whichever database
the suite runs on (CI runs PostgreSQL)."""

import pytest
from django.db import connection
from django.utils import timezone

from factdesk.db import prepared_cursor
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


@pytest.mark.parametrize("prepared", [False, True])
def test_a_queue_page_is_the_querysets_rows(settings, reviewer, rating, prepared):
    settings.DATABASE_PREPARED_STATEMENTS = prepared
    ReviewFactory(priority=3.0)
    ReviewFactory(
        priority=2.0,
        state=Review.State.IN_REVIEW,
        assignee=reviewer,
        rating=rating,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    ReviewFactory(priority=1.0)
    for filters in ({}, {"state": Review.State.IN_REVIEW}, {"mine": True}, {"outlet": "x"}):
        queryset = selectors.review_queue(user=reviewer, **filters)
        for start, stop in ((0, 2), (1, 10)):
            page = selectors.review_queue_page(user=reviewer, start=start, stop=stop, **filters)
            assert page == list(queryset[start:stop]), filters


@on_postgresql
def test_with_the_setting_the_queue_page_and_the_token_are_read_prepared(settings, reviewer_client):
    settings.DATABASE_PREPARED_STATEMENTS = True
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
def test_without_the_setting_nothing_is_prepared(settings, reviewer_client):
    settings.DATABASE_PREPARED_STATEMENTS = False
    ReviewFactory()
    before = len(_prepared_statements())
    for _ in range(3):
        assert reviewer_client.get("/api/v1/queue/").status_code == 200
    assert len(_prepared_statements()) == before


@on_postgresql
def test_djangos_own_cursors_still_prepare_nothing(settings):
    settings.DATABASE_PREPARED_STATEMENTS = True
    with prepared_cursor() as cursor:
        cursor.execute("SELECT 1 WHERE 1 = %s", [1])
    before = len(_prepared_statements())
    for _ in range(10):
        assert Review.objects.filter(state=Review.State.QUEUED, priority__gte=0).count() == 0
    assert len(_prepared_statements()) == before


def test_the_queue_answer_is_the_bytes_drfs_renderer_writes(reviewer_client, reviewer, rating):
    from rest_framework.renderers import JSONRenderer

    ReviewFactory(claim__text="Line\u2028break, «quotes» and <b>tags</b> & ünïcode", priority=2.5)
    ReviewFactory(state=Review.State.IN_REVIEW, assignee=reviewer, rating=rating, priority=0.125)
    for path in ("/api/v1/queue/", "/api/v1/queue/?mine=true"):
        answer = reviewer_client.get(path)
        assert answer.json()["results"]
        assert answer.content == JSONRenderer().render(answer.json())
    assert b"\\u2028" in reviewer_client.get("/api/v1/queue/").content
