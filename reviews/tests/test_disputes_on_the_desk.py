import pytest
from django.utils import timezone

from claims.actors import Speaker, actors_resolve
from claims.disputes import dispute_confirm, dispute_dismiss, story_disputes_find
from claims.extraction.figures import find_figures
from claims.models import Claim, Dispute, Story
from claims.tests.factories import ClaimFactory, DocumentFactory
from reviews import priority, services
from reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed() -> tuple[Dispute, list[Review]]:
    ministry, coalition = actors_resolve(
        speakers=[Speaker("Defence Ministry", "organization"), Speaker("Coalition", "organization")]
    )
    story = Story.objects.create(title="Strike")
    claims = []
    for actor, text in (
        (ministry, "Only 12 people were confirmed dead after the strike."),
        (coalition, "At least 40 people were killed in the strike."),
    ):
        document = DocumentFactory(story=story, text=text, published_at=timezone.now())
        claims.append(
            ClaimFactory(document=document, actor=actor, figures=find_figures(text), score=0.8)
        )
    services.reviews_enqueue_claims(claims=claims)
    (dispute,) = story_disputes_find(story=story)
    return dispute, list(Review.objects.order_by("claim_id"))


def test_a_confirmed_dispute_raises_both_claims_in_the_queue_and_says_so(disputed, reviewer):
    dispute, reviews = disputed
    before = {review.pk: review.priority for review in reviews}

    dispute_confirm(dispute=dispute, by=reviewer)

    for review in Review.objects.all():
        assert review.priority == pytest.approx(before[review.pk] + priority.DISPUTE_WEIGHT)
        assert "disputed 0.30" in priority.priority_explanation(review)


def test_a_dismissed_dispute_gives_nothing_and_a_proposed_one_nothing_yet(disputed, reviewer):
    dispute, reviews = disputed
    assert all(review.priority_dispute == 0 for review in reviews)

    dispute_confirm(dispute=dispute, by=reviewer)
    dispute_dismiss(dispute=dispute, by=reviewer)

    assert all(review.priority_dispute == 0 for review in Review.objects.all())


def test_a_confirmed_dispute_shows_on_both_claims_review_pages(
    disputed, reviewer, admin_client_logged_in
):
    dispute, reviews = disputed
    dispute_confirm(dispute=dispute, by=reviewer)

    for review in reviews:
        page = admin_client_logged_in.get(f"/admin/reviews/review/{review.pk}/change/")
        html = page.content.decode()
        assert "Conflicting figures (confirmed)" in html
        assert "disputed 0.30" in html


def test_an_undated_document_gets_no_recency_bonus():
    dated = DocumentFactory(published_at=timezone.now())
    undated = DocumentFactory(published_at=None, undated=True)
    claims = [ClaimFactory(document=dated, score=0.9), ClaimFactory(document=undated, score=0.9)]

    services.reviews_enqueue_claims(claims=claims)

    by_claim = {review.claim_id: review for review in Review.objects.all()}
    assert by_claim[claims[0].pk].priority_recency > 0
    assert by_claim[claims[1].pk].priority_recency == 0
    assert "recent" not in priority.priority_explanation(by_claim[claims[1].pk])


def test_an_unresolved_speaker_is_said_so_on_the_review_page(admin_client_logged_in):
    claim = ClaimFactory(speaker="he", speaker_kind=Claim.SpeakerKind.UNRESOLVED, score=0.9)
    services.reviews_enqueue_claims(claims=[claim])
    review = Review.objects.get()

    page = admin_client_logged_in.get(f"/admin/reviews/review/{review.pk}/change/")

    assert "Not resolved: the text does not say who" in page.content.decode()
