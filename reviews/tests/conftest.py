import pytest
from django.utils import timezone

from conftest import make_user
from reviews import services
from reviews.models import Rating, Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory


@pytest.fixture
def committed_desk(django_db_serialized_rollback, transactional_db) -> None:
    """Committed tests start from the migrated data (groups, permissions, the rating scale),
    restored before each of them: a committed test's flush empties every table."""


@pytest.fixture
def second_editor(db):
    return make_user("emil", "editor")


@pytest.fixture
def rating(db) -> Rating:
    return Rating.objects.order_by("value").first()


@pytest.fixture
def held_review(reviewer) -> Review:
    """A review the reviewer holds, with evidence on its claim, ready to submit."""
    review = ReviewFactory(
        state=Review.State.IN_REVIEW,
        assignee=reviewer,
        locked_until=timezone.now() + timezone.timedelta(minutes=30),
    )
    EvidenceLinkFactory(claim=review.claim)
    return review


@pytest.fixture
def submitted_review(held_review, reviewer, rating) -> Review:
    return services.review_submit(
        review_id=held_review.pk,
        actor=reviewer,
        version=held_review.version,
        rating_id=rating.pk,
        summary="The port handled 11,000 containers, not 12,400.",
    )


@pytest.fixture
def approved_review(submitted_review, editor) -> Review:
    return services.review_approve(
        review_id=submitted_review.pk, actor=editor, version=submitted_review.version
    )
