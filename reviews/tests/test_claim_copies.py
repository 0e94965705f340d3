"""The same claim carried by several outlets of one story: its spread, its appearances."""

from itertools import count

import pytest
from django.test import Client

from claims.models import Document, Story
from claims.services import document_ingest
from claims.tests.factories import ClaimFactory, DocumentFactory
from reviews import services
from reviews.models import Review

pytestmark = pytest.mark.django_db

CLAIM = "The port handled 12,400 containers in October."
STORY = (
    "The harbour authority said on Monday that the port handled 12,400 containers in October, "
    "its busiest month since the new quay opened in 2019. The authority's director, Ines Vo, "
    "said two more cranes would arrive in spring and that night shifts would be added if the "
    "growth held. Dock workers' unions said staffing had not kept up with the extra traffic."
)


_printed = count()


def carried_by(story: Story | None, outlet: str, text: str = CLAIM) -> Review:
    document = DocumentFactory(outlet=outlet, story=story, text=f"{text} ({next(_printed)})")
    claim = ClaimFactory(document=document, start=0, end=len(text), text=text)
    services.reviews_enqueue_claims(claims=[claim])
    return Review.objects.get(claim=claim)


def test_the_spread_counts_the_outlets_of_the_story_that_carry_the_claim(reviewer_client):
    story = Story.objects.create(title="Port figures")
    harbour = carried_by(story, "Harbour Times")
    carried_by(story, "Coast Post", text=CLAIM.upper() + "!")
    carried_by(story, "Bay Daily")
    carried_by(story, "Bay Daily")
    carried_by(story, "Coast Post", text="Two more cranes will arrive in spring.")
    elsewhere = carried_by(Story.objects.create(title="Another port story"), "Metro")

    harbour.refresh_from_db()
    assert (harbour.appearance_documents, harbour.appearance_outlets) == (4, 3)
    assert harbour.priority_spread == pytest.approx(0.2)
    elsewhere.refresh_from_db()
    assert (elsewhere.appearance_documents, elsewhere.appearance_outlets) == (1, 1)
    assert elsewhere.priority_spread == 0

    queue = reviewer_client.get("/api/v1/queue/").json()["results"]
    top = next(item for item in queue if item["id"] == harbour.pk)
    assert (top["appearance_documents"], top["appearance_outlets"]) == (4, 3)
    assert "3 outlets 0.20" in top["priority_explanation"]


def test_a_document_without_a_story_counts_only_itself():
    lonely = carried_by(None, "Harbour Times")
    carried_by(None, "Coast Post")

    lonely.refresh_from_db()
    assert (lonely.appearance_documents, lonely.appearance_outlets) == (1, 1)


def test_a_document_that_joins_a_story_brings_its_reviews_along():
    original = document_ingest(text=STORY, outlet="Harbour Times", extract=False).document
    # As if stored before stories existed: the next copy adopts it into a new story.
    Document.objects.filter(pk=original.pk).update(story=None)
    original.refresh_from_db()
    first = ClaimFactory(document=original, start=33, end=33 + len(CLAIM) - 4, text=CLAIM)
    services.reviews_enqueue_claims(claims=[first])

    copy = document_ingest(
        text=STORY.replace("on Monday", "on Monday evening"), outlet="Coast Post", extract=False
    )
    second = ClaimFactory(document=copy.document, start=33, end=33 + len(CLAIM) - 4, text=CLAIM)
    services.reviews_enqueue_claims(claims=[second])

    assert copy.near_duplicate
    story_id = Document.objects.get(pk=original.pk).story_id
    assert story_id is not None and story_id == copy.document.story_id
    reviews = Review.objects.filter(claim__in=[first, second])
    assert {(r.story_id, r.appearance_outlets) for r in reviews} == {(story_id, 2)}


def test_the_review_page_and_claimreview_list_every_document_of_the_story(editor, rating):
    story = Story.objects.create(title="Port figures")
    review = carried_by(story, "Harbour Times")
    carried_by(story, "Coast Post")
    carried_by(Story.objects.create(title="Another story"), "Metro")
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)

    page = client.get(f"/admin/reviews/review/{review.pk}/change/").content.decode()

    assert "Harbour Times (this article)" in page
    assert "Coast Post" in page
    assert "Metro" not in page


def test_publishing_dismisses_the_queued_copies_in_the_same_story(editor, second_editor, reviewer):
    story = Story.objects.create(title="Port figures")
    review = carried_by(story, "Harbour Times")
    queued = carried_by(story, "Coast Post")
    held = carried_by(story, "Bay Daily")
    held = services.review_assign(review_id=held.pk, actor=reviewer, version=held.version)
    elsewhere = carried_by(Story.objects.create(title="Another story"), "Metro")
    unrelated = carried_by(story, "Coast Post", text="Two more cranes will arrive in spring.")
    review = Review.objects.get(pk=review.pk)
    Review.objects.filter(pk=review.pk).update(
        state=Review.State.APPROVED, submitted_by=second_editor
    )

    published = services.review_publish(review_id=review.pk, actor=editor, version=review.version)

    queued.refresh_from_db()
    assert queued.state == Review.State.DISMISSED
    assert queued.dismiss_reason == f"duplicate of review {review.pk}"
    latest = queued.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (
        editor,
        f"dismissed: duplicate of review {review.pk}, already published",
    )
    assert published.history.latest("history_date").history_change_reason == (
        "published; queued duplicates in the story dismissed: 1"
    )
    states = dict(
        Review.objects.filter(pk__in=[held.pk, elsewhere.pk, unrelated.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {
        held.pk: Review.State.IN_REVIEW,
        elsewhere.pk: Review.State.QUEUED,
        unrelated.pk: Review.State.QUEUED,
    }
    assert services.review_claim_next(actor=reviewer).pk in {elsewhere.pk, unrelated.pk}

    late = carried_by(story, "Evening Star")
    late.refresh_from_db()
    assert (late.state, late.dismiss_reason) == (
        Review.State.DISMISSED,
        f"duplicate of review {review.pk}",
    )
    assert late.appearance_outlets == 4
