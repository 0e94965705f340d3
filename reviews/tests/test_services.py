import pytest
from django.utils import timezone

from claims.models import Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from conftest import make_user
from reviews import services
from reviews.errors import (
    InvalidTransition,
    LockExpired,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from reviews.models import Review
from reviews.tests.factories import EvidenceLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db
State = Review.State


def test_the_full_path_records_who_did_what(reviewer, editor, rating):
    review = ReviewFactory()
    EvidenceLinkFactory(claim=review.claim)

    taken = services.review_claim_next(actor=reviewer)
    assert taken.pk == review.pk and taken.state == State.IN_REVIEW
    assert taken.locked_until > timezone.now()
    submitted = services.review_submit(
        review_id=review.pk, actor=reviewer, version=taken.version, rating_id=rating.pk, summary="x"
    )
    approved = services.review_approve(review_id=review.pk, actor=editor, version=submitted.version)
    published = services.review_publish(review_id=review.pk, actor=editor, version=approved.version)

    assert published.state == State.PUBLISHED and published.version == review.version + 4
    history = list(published.history.order_by("history_date"))
    assert [(h.history_user, h.history_change_reason) for h in history[-4:]] == [
        (reviewer, "taken from the queue"),
        (reviewer, f"submitted with rating {rating.name}"),
        (editor, "approved"),
        (editor, "published"),
    ]


def test_claim_next_takes_the_highest_priority_and_none_when_empty(reviewer):
    low = ReviewFactory(priority=0.6)
    high = ReviewFactory(priority=0.9)

    assert services.review_claim_next(actor=reviewer).pk == high.pk
    assert services.review_claim_next(actor=reviewer).pk == low.pk
    assert services.review_claim_next(actor=reviewer) is None


def test_a_reviewer_cannot_approve_their_own_verdict_even_as_editor(editor, rating):
    review = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=editor,
        locked_until=timezone.now() + timezone.timedelta(minutes=5),
    )
    EvidenceLinkFactory(claim=review.claim)
    submitted = services.review_submit(
        review_id=review.pk, actor=editor, version=1, rating_id=rating.pk, summary="Wrong."
    )

    with pytest.raises(PermissionDenied, match="Four eyes"):
        services.review_approve(review_id=review.pk, actor=editor, version=submitted.version)
    assert Review.objects.get(pk=review.pk).state == State.SUBMITTED


def test_a_reviewer_can_neither_approve_nor_publish(submitted_review, reviewer, editor):
    with pytest.raises(PermissionDenied):
        services.review_approve(
            review_id=submitted_review.pk, actor=reviewer, version=submitted_review.version
        )
    approved = services.review_approve(
        review_id=submitted_review.pk, actor=editor, version=submitted_review.version
    )
    with pytest.raises(PermissionDenied, match="Only an editor can publish"):
        services.review_publish(review_id=approved.pk, actor=reviewer, version=approved.version)
    assert Review.objects.get(pk=approved.pk).state == State.APPROVED


def test_someone_who_does_not_hold_the_review_cannot_submit_or_release(
    held_review, second_reviewer, rating
):
    with pytest.raises(PermissionDenied, match="rita does"):
        services.review_submit(
            review_id=held_review.pk,
            actor=second_reviewer,
            version=held_review.version,
            rating_id=rating.pk,
            summary="Mine now.",
        )
    with pytest.raises(PermissionDenied):
        services.review_release(
            review_id=held_review.pk, actor=second_reviewer, version=held_review.version
        )
    assert Review.objects.get(pk=held_review.pk).assignee.username == "rita"


def test_a_lock_that_ran_out_mid_edit_refuses_the_submit_and_frees_the_review(
    held_review, reviewer, rating
):
    Review.objects.filter(pk=held_review.pk).update(
        locked_until=timezone.now() - timezone.timedelta(seconds=1)
    )

    with pytest.raises(LockExpired, match="went back to the queue"):
        services.review_submit(
            review_id=held_review.pk,
            actor=reviewer,
            version=held_review.version,
            rating_id=rating.pk,
            summary="Too late.",
        )
    review = Review.objects.get(pk=held_review.pk)
    assert (review.state, review.assignee, review.summary) == (State.QUEUED, None, "")


def test_expired_locks_return_to_the_queue_lazily_and_by_the_sweep(reviewer, second_reviewer):
    expired = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=reviewer,
        locked_until=timezone.now() - timezone.timedelta(minutes=1),
        priority=0.9,
    )
    still_held = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=reviewer,
        locked_until=timezone.now() + timezone.timedelta(minutes=10),
    )

    assert services.review_claim_next(actor=second_reviewer).pk == expired.pk
    assert Review.objects.get(pk=still_held.pk).assignee == reviewer

    Review.objects.filter(pk=still_held.pk).update(locked_until=timezone.now())
    assert services.reviews_release_expired_locks() == 1
    assert Review.objects.get(pk=still_held.pk).state == State.QUEUED


def test_a_stale_version_changes_nothing(submitted_review, editor, second_editor):
    services.review_approve(
        review_id=submitted_review.pk, actor=editor, version=submitted_review.version
    )

    with pytest.raises(StaleVersion, match="Reload"):
        services.review_approve(
            review_id=submitted_review.pk, actor=second_editor, version=submitted_review.version
        )
    assert Review.objects.get(pk=submitted_review.pk).approved_by == editor


def test_submit_needs_evidence_a_real_rating_and_a_summary(reviewer, rating):
    review = ReviewFactory(
        state=State.IN_REVIEW,
        assignee=reviewer,
        locked_until=timezone.now() + timezone.timedelta(minutes=30),
    )
    submit = {"review_id": review.pk, "actor": reviewer, "version": review.version}

    with pytest.raises(ValidationFailed, match="evidence"):
        services.review_submit(**submit, rating_id=rating.pk, summary="No sources.")
    EvidenceLinkFactory(claim=review.claim)
    with pytest.raises(ValidationFailed, match="no rating with id 999"):
        services.review_submit(**submit, rating_id=999, summary="Sourced.")
    with pytest.raises(ValidationFailed, match="summary"):
        services.review_submit(**submit, rating_id=rating.pk, summary="   ")
    assert Review.objects.get(pk=review.pk).state == State.IN_REVIEW


def test_return_needs_a_comment_and_gives_the_review_back_to_its_writer(
    approved_review, reviewer, editor
):
    with pytest.raises(ValidationFailed, match="comment"):
        services.review_return(
            review_id=approved_review.pk, actor=editor, version=approved_review.version, comment=""
        )
    returned = services.review_return(
        review_id=approved_review.pk,
        actor=editor,
        version=approved_review.version,
        comment="Cite the port's own table.",
    )
    assert (returned.state, returned.assignee, returned.approved_by) == (
        State.IN_REVIEW,
        reviewer,
        None,
    )
    assert returned.locked_until > timezone.now()
    assert returned.editor_comment == "Cite the port's own table."


def test_publish_only_from_approved(submitted_review, editor):
    with pytest.raises(InvalidTransition, match="must be approved"):
        services.review_publish(
            review_id=submitted_review.pk, actor=editor, version=submitted_review.version
        )


def test_dismiss_needs_a_reason_and_an_editor(reviewer, editor):
    review = ReviewFactory()
    with pytest.raises(PermissionDenied):
        services.review_dismiss(review_id=review.pk, actor=reviewer, version=1, reason="Opinion.")
    with pytest.raises(ValidationFailed, match="reason"):
        services.review_dismiss(review_id=review.pk, actor=editor, version=1, reason=" ")
    dismissed = services.review_dismiss(
        review_id=review.pk, actor=editor, version=1, reason="Opinion, not a checkable claim."
    )
    assert dismissed.state == State.DISMISSED


def test_reviewers_assign_only_themselves_and_editors_anyone(reviewer, second_reviewer, editor):
    review = ReviewFactory()
    with pytest.raises(PermissionDenied, match="editor"):
        services.review_assign(
            review_id=review.pk, actor=reviewer, version=1, assignee=second_reviewer
        )
    outsider = make_user("otto")
    with pytest.raises(ValidationFailed, match="not a reviewer"):
        services.review_assign(review_id=review.pk, actor=editor, version=1, assignee=outsider)
    with pytest.raises(PermissionDenied):
        services.review_claim_next(actor=outsider)

    held = services.review_assign(
        review_id=review.pk, actor=editor, version=1, assignee=second_reviewer
    )
    with pytest.raises(InvalidTransition, match="ravi holds"):
        services.review_assign(review_id=review.pk, actor=reviewer, version=held.version)
    released = services.review_release(review_id=review.pk, actor=editor, version=held.version)
    assert (released.state, released.assignee) == (State.QUEUED, None)


def test_priority_counts_outlets_recency_and_boost(settings, editor):
    settings.FACTDESK_QUEUE_THRESHOLD = 0.5
    now = timezone.now()
    story = Story.objects.create(title="Port figures")
    text = "The port handled 12,400 containers in October."
    claims = [
        ClaimFactory(
            document=DocumentFactory(
                outlet=outlet, text=f"{text} ({outlet})", published_at=now, story=story
            ),
            start=0,
            end=len(text),
            text=text if i else text.upper() + "!",
            score=0.8,
        )
        for i, outlet in enumerate(["Harbour Times", "Coast Post", "Bay Daily"])
    ]
    lonely = ClaimFactory(
        document=DocumentFactory(published_at=now - timezone.timedelta(days=30)), score=0.9
    )
    ignored = ClaimFactory(score=0.2)

    # The three copies are one cluster and so one queue item; the lonely claim is another.
    assert services.reviews_enqueue_claims(claims=[*claims, lonely, ignored]) == 2

    spread = Review.objects.get(claim=claims[0])
    assert {claim.cluster_id for claim in claims} == {spread.cluster_id}
    assert (spread.appearance_outlets, spread.priority_spread) == (3, pytest.approx(0.2))
    assert spread.priority_recency == pytest.approx(0.3, abs=0.01)
    assert spread.priority == pytest.approx(0.8 + 0.2 + 0.3, abs=0.01)
    old = Review.objects.get(claim=lonely)
    assert old.priority == pytest.approx(0.9)
    assert not Review.objects.filter(claim=ignored).exists()

    boosted = services.review_boost(review_id=old.pk, actor=editor, version=1, boost=0.5)
    assert boosted.priority == pytest.approx(1.4)

    promoted = services.review_promote(claim_id=ignored.pk, actor=editor)
    assert (promoted.state, promoted.priority) == (State.QUEUED, pytest.approx(0.5, abs=0.01))
    with pytest.raises(InvalidTransition, match="already on the desk"):
        services.review_promote(claim_id=ignored.pk, actor=editor)


def test_recency_fades_when_refreshed(reviewer):
    review = ReviewFactory(priority_recency=0.3, priority=1.1)
    review.claim.document.published_at = timezone.now() - timezone.timedelta(days=10)
    review.claim.document.save()

    assert services.reviews_refresh_recency() == 1
    review.refresh_from_db()
    assert (review.priority_recency, review.priority) == (0.0, pytest.approx(0.8))
