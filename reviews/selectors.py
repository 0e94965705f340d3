"""Reads of the review desk: roles, the queue, a review with what its screens show."""

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from claims.models import Document
from reviews.models import Review

REVIEWER_GROUP = "reviewer"
EDITOR_GROUP = "editor"

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


def user_is_editor(user: AbstractBaseUser) -> bool:
    """Superusers count as editors."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or EDITOR_GROUP in _desk_groups(user)


def user_is_reviewer(user: AbstractBaseUser) -> bool:
    """Editors can do all a reviewer can."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_desk_groups(user))


def _desk_groups(user: AbstractBaseUser) -> frozenset[str]:
    """The user's desk groups, looked up once per user object (that is, once per request)."""
    groups = getattr(user, "_factdesk_desk_groups", None)
    if groups is None:
        groups = frozenset(
            user.groups.filter(name__in=[REVIEWER_GROUP, EDITOR_GROUP]).values_list(
                "name", flat=True
            )
        )
        user._factdesk_desk_groups = groups
    return groups


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


def review_appearances(*, review: Review) -> QuerySet[Document]:
    """Every document carrying the review's claim (the same normalised text)."""
    return (
        Document.objects.filter(claims__reviews__fingerprint=review.fingerprint)
        .distinct()
        .only("id", "url", "canonical_url", "title", "outlet", "published_at", "created_at")
        .order_by("published_at", "id")
    )


def appearances_by_fingerprint(*, fingerprints: set[str]) -> dict[str, list[Document]]:
    pairs = list(
        Review.objects.filter(fingerprint__in=fingerprints)
        .values_list("fingerprint", "claim__document_id")
        .order_by()
        .distinct()
    )
    documents = Document.objects.only(
        "id", "url", "canonical_url", "title", "outlet", "published_at", "created_at"
    ).in_bulk({document_id for _, document_id in pairs})
    grouped: dict[str, list[Document]] = {}
    for fingerprint, document_id in pairs:
        grouped.setdefault(fingerprint, []).append(documents[document_id])
    for group in grouped.values():
        group.sort(key=lambda d: (d.published_at or d.created_at, d.pk))
    return grouped


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
