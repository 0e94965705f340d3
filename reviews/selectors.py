"""Reads of the review desk: the queue, a review with what its screens show."""

from collections.abc import Iterator
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from claims.models import Document
from reviews.models import Review

APPEARANCE_FIELDS = ("id", "url", "canonical_url", "title", "outlet", "published_at", "created_at")

QUEUE_FIELDS = (
    "id",
    "state",
    "version",
    "claim_id",
    "assignee_id",
    "locked_until",
    "rating_id",
    "priority",
    "priority_score",
    "priority_spread",
    "priority_recency",
    "priority_dispute",
    "priority_boost",
    "appearance_documents",
    "appearance_outlets",
    "created_at",
    "claim__id",
    "claim__text",
    "claim__claim_type",
    "claim__score",
    "claim__speaker",
    "claim__document_id",
    "claim__document__id",
    "claim__document__title",
    "claim__document__outlet",
    "claim__document__published_at",
    "assignee__id",
    "assignee__username",
    "rating__id",
    "rating__name",
)


def review_queue(
    *,
    user: AbstractBaseUser,
    state: str | None = None,
    assignee_id: int | None = None,
    mine: bool = False,
    outlet: str | None = None,
    claim_type: str | None = None,
    min_score: float | None = None,
) -> QuerySet[Review]:
    """The desk's queue, highest priority first; without filters, the queued (unassigned) items."""
    reviews = Review.objects.all()
    if mine:
        reviews = reviews.filter(assignee=user)
    if assignee_id is not None:
        reviews = reviews.filter(assignee_id=assignee_id)
    if state:
        reviews = reviews.filter(state=state)
    elif mine or assignee_id is not None:
        reviews = reviews.filter(state__in=Review.OPEN_STATES)
    else:
        reviews = reviews.filter(state=Review.State.QUEUED)
    if outlet:
        reviews = reviews.filter(outlet_key=outlet.casefold())
    if claim_type:
        reviews = reviews.filter(claim_type=claim_type)
    if min_score is not None:
        reviews = reviews.filter(priority_score__gte=min_score)
    return (
        reviews.select_related("claim__document", "assignee", "rating")
        .only(*QUEUE_FIELDS)
        .order_by("-priority", "id")
    )


def review_detail_queryset() -> QuerySet[Review]:
    return Review.objects.select_related(
        "claim__document", "assignee", "rating", "submitted_by", "approved_by"
    ).defer("claim__embedding", "claim__document__raw_html", "claim__document__text")


def review_get(*, review_id: int) -> Review:
    return review_detail_queryset().get(pk=review_id)


class ClaimCopies(NamedTuple):
    """One claim as the outlets of its story carry it: the same normalised text (fingerprint)
    in the same story; a document in no story is a story of its own."""

    fingerprint: str
    story_id: int | None
    document_id: int | None

    @classmethod
    def of(cls, *, fingerprint: str, story_id: int | None, document_id: int) -> "ClaimCopies":
        return cls(fingerprint, story_id, document_id if story_id is None else None)


def claim_copies(*, copies: ClaimCopies) -> QuerySet[Review]:
    """The reviews of the copies of one claim."""
    reviews = Review.objects.filter(fingerprint=copies.fingerprint, story_id=copies.story_id)
    if copies.story_id is None:
        reviews = reviews.filter(claim__document_id=copies.document_id)
    return reviews


def review_copies_key(review: Review) -> ClaimCopies:
    return ClaimCopies.of(
        fingerprint=review.fingerprint,
        story_id=review.story_id,
        document_id=review.claim.document_id,
    )


def review_appearances(*, review: Review) -> QuerySet[Document]:
    """Every document of the claim's story that carries the claim, first published first."""
    return (
        Document.objects.filter(
            pk__in=claim_copies(copies=review_copies_key(review)).values("claim__document_id")
        )
        .only(*APPEARANCE_FIELDS)
        .order_by(Coalesce("published_at", "created_at"), "id")
    )


def appearances_by_review(*, reviews: list[Review]) -> dict[int, list[Document]]:
    """`review_appearances` of many reviews in two queries; the reviews' claims must be loaded."""
    keys = {review.pk: review_copies_key(review) for review in reviews}
    if not keys:
        return {}
    rows = (
        Review.objects.filter(fingerprint__in={fingerprint for fingerprint, _, _ in keys.values()})
        .filter(
            Q(story_id__in={story for _, story, _ in keys.values() if story is not None})
            | Q(
                story__isnull=True,
                claim__document_id__in={doc for _, _, doc in keys.values() if doc is not None},
            )
        )
        .values_list("fingerprint", "story_id", "claim__document_id")
        .order_by()
        .distinct()
    )
    carriers: dict[ClaimCopies, set[int]] = {}
    for fingerprint, story_id, document_id in rows:
        key = ClaimCopies.of(fingerprint=fingerprint, story_id=story_id, document_id=document_id)
        carriers.setdefault(key, set()).add(document_id)
    documents = Document.objects.only(*APPEARANCE_FIELDS).in_bulk(
        {pk for key in set(keys.values()) for pk in carriers.get(key, ())}
    )
    return {
        review_id: sorted(
            (documents[pk] for pk in carriers.get(key, ())),
            key=lambda d: (d.published_at or d.created_at, d.pk),
        )
        for review_id, key in keys.items()
    }


def published_reviews() -> QuerySet[Review]:
    return (
        review_detail_queryset()
        .filter(state=Review.State.PUBLISHED)
        .order_by("-published_at", "-id")
    )


def verdict_export_rows() -> Iterator[list]:
    """One row per verdict (submitted, approved or published), oldest first, streamed."""
    rows = (
        Review.objects.filter(
            state__in=[Review.State.SUBMITTED, Review.State.APPROVED, Review.State.PUBLISHED]
        )
        .order_by("submitted_at", "id")
        .values_list(
            "id",
            "state",
            "claim__text",
            "claim__speaker",
            "claim__document__outlet",
            "claim__document__url",
            "rating__name",
            "summary",
            "submitted_by__username",
            "approved_by__username",
            "published_at",
        )
    )
    template = settings.FACTDESK_PUBLIC_URL_TEMPLATE
    for row in rows.iterator(chunk_size=2000):
        published = row[0] if row[1] == Review.State.PUBLISHED else None
        yield [*row, template.format(id=published) if published else ""]
