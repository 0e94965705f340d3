"""Reads of the review desk: the queue, a review with what its screens show."""

from collections.abc import Collection, Iterator
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from claims.models import Claim, Document
from factdesk.db import prepared_cursor
from factdesk.roles import DESK_GROUPS
from reviews.models import (
    ChecklistMark,
    ChecklistStep,
    EvidenceLink,
    Rating,
    Review,
    ReviewNote,
    Tag,
)

APPEARANCE_FIELDS = ("id", "url", "canonical_url", "title", "outlet", "published_at", "created_at")

# One queue item, as the selector hands it out: plain values named as the API names them (the
# review's own columns, then the claim's and its document's; the holder's and the rating's names
# are added per page by `queue_page_named`). No model instances are built for a page of the queue.
QUEUE_COLUMNS = (
    "id",
    "state",
    "version",
    "claim",
    "locked_until",
    "assignee_id",
    "rating",
    "priority",
    "priority_score",
    "priority_spread",
    "priority_recency",
    "priority_dispute",
    "priority_boost",
    "appearance_documents",
    "appearance_outlets",
    "created_at",
)
QUEUE_JOINED = {
    "claim_text": F("claim__text"),
    "claim_kind": F("claim__claim_type"),
    "score": F("claim__score"),
    "speaker": F("claim__speaker"),
    "document": F("claim__document_id"),
    "document_title": F("claim__document__title"),
    "outlet": F("claim__document__outlet"),
}


def review_queue(
    *,
    user: AbstractBaseUser,
    state: str | None = None,
    assignee_id: int | None = None,
    mine: bool = False,
    outlet: str | None = None,
    claim_type: str | None = None,
    min_score: float | None = None,
) -> QuerySet[dict]:
    """The desk's queue, highest priority first; without filters, the queued (unassigned) items.

    Rows are dicts with the keys of QUEUE_COLUMNS and QUEUE_JOINED, one query for a page; pass
    the page through `queue_page_named` for the holder's and the rating's names."""
    return _queue_rows(
        user_id=user.pk,
        state=state,
        assignee_id=assignee_id,
        mine=mine,
        outlet=outlet,
        claim_type=claim_type,
        min_score=min_score,
    )


def review_queue_page(*, user: AbstractBaseUser, start: int, stop: int, **filters) -> list[dict]:
    """Rows `start:stop` of `review_queue(user=user, **filters)`, as dicts.

    On PostgreSQL the page's statement is compiled once per distinct filters and window (not per
    request: compiling cost a quarter of a millisecond, a tenth of the request) and its rows are
    read from the cursor as psycopg gives them (aware datetimes, numbers, text: nothing to
    convert). Elsewhere, through the ORM."""
    if connection.vendor != "postgresql":
        return list(review_queue(user=user, **filters)[start:stop])
    # The user counts only for "mine": other pages share one statement whoever asks.
    user_id = user.pk if filters.get("mine") else None
    sql, params = _queue_statement(user_id, start, stop, tuple(sorted(filters.items())))
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@lru_cache(maxsize=512)
def _queue_statement(
    user_id: int | None, start: int, stop: int, filters: tuple
) -> tuple[str, tuple]:
    page = _queue_rows(user_id=user_id, **dict(filters))[start:stop]
    sql, params = page.query.sql_with_params()
    return sql, tuple(params)


def _queue_rows(
    *,
    user_id: int | None,
    state: str | None = None,
    assignee_id: int | None = None,
    mine: bool = False,
    outlet: str | None = None,
    claim_type: str | None = None,
    min_score: float | None = None,
) -> QuerySet[dict]:
    reviews = _QUEUE_ROWS
    if mine:
        reviews = reviews.filter(assignee_id=user_id)
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
    return reviews


def queue_page_named(rows: list[dict]) -> list[dict]:
    """The page's rows with `assignee_name` and `rating_name`, read only when a row has a holder
    or a rating (queued items have neither). Joining the user and rating tables in the page's
    query doubled the time PostgreSQL spends planning it, for columns that are usually empty."""
    assignee_ids = {row["assignee_id"] for row in rows if row["assignee_id"] is not None}
    rating_ids = {row["rating"] for row in rows if row["rating"] is not None}
    usernames = (
        dict(get_user_model().objects.filter(pk__in=assignee_ids).values_list("pk", "username"))
        if assignee_ids
        else {}
    )
    rating_names = (
        dict(Rating.objects.filter(pk__in=rating_ids).values_list("pk", "name"))
        if rating_ids
        else {}
    )
    for row in rows:
        row["assignee_name"] = usernames.get(row["assignee_id"])
        row["rating_name"] = rating_names.get(row["rating"])
    return rows


# The page's select list, joins and order, set up once: each request clones it and adds its
# filters (setting up the joins of QUEUE_JOINED again per request cost as much as its SQL).
_QUEUE_ROWS = Review.objects.order_by("-priority", "id").values(*QUEUE_COLUMNS, **QUEUE_JOINED)


def review_detail_queryset() -> QuerySet[Review]:
    return Review.objects.select_related(
        "claim__document", "assignee", "rating", "submitted_by", "approved_by"
    ).defer("claim__embedding", "claim__document__raw_html", "claim__document__text")


def review_get(*, review_id: int) -> Review:
    return review_detail_queryset().get(pk=review_id)


APPEARANCE_CLAIM_FIELDS = (
    "id",
    "text",
    "start",
    "end",
    "speaker",
    "speaker_role",
    "cluster_id",
    "document_id",
    *(f"document__{field}" for field in (*APPEARANCE_FIELDS, "text")),
)


def cluster_appearances(*, cluster_ids: Collection[int]) -> QuerySet[Claim]:
    """The claims of clusters with their documents (and the documents' text, to highlight the
    claim), first published first."""
    return (
        Claim.objects.filter(cluster_id__in=cluster_ids)
        .select_related("document")
        .only(*APPEARANCE_CLAIM_FIELDS)
        .order_by(
            Coalesce("document__published_at", "document__created_at"), "document_id", "start"
        )
    )


def review_appearances(*, review: Review) -> list[Document]:
    """Every document that carries the review's claim (its cluster's), first published first."""
    return appearances_by_review(reviews=[review])[review.pk]


def appearances_by_review(*, reviews: list[Review]) -> dict[int, list[Document]]:
    """`review_appearances` of many reviews in one query; the reviews' claims must be loaded."""
    if not reviews:
        return {}
    documents: dict[int, dict[int, Document]] = {}
    rows = (
        Claim.objects.filter(cluster_id__in={r.cluster_id for r in reviews if r.cluster_id})
        .select_related("document")
        .only("id", "cluster_id", "document_id", *(f"document__{f}" for f in APPEARANCE_FIELDS))
    )
    for claim in rows:
        documents.setdefault(claim.cluster_id, {})[claim.document_id] = claim.document
    result = {}
    for review in reviews:
        carriers = documents.get(review.cluster_id) or {
            review.claim.document_id: review.claim.document
        }
        result[review.pk] = sorted(
            carriers.values(), key=lambda d: (d.published_at or d.created_at, d.pk)
        )
    return result


def published_reviews() -> QuerySet[Review]:
    return (
        review_detail_queryset()
        .filter(state=Review.State.PUBLISHED)
        .order_by("-published_at", "-id")
    )


def published_review_get(*, review_id: int) -> Review:
    """A published review with what its public page shows; DoesNotExist for any other state."""
    return published_reviews().get(pk=review_id)


def review_evidence(*, review: Review) -> QuerySet[EvidenceLink]:
    """The evidence of a review's claim, oldest first, with who added it."""
    return (
        EvidenceLink.objects.filter(claim_id=review.claim_id)
        .select_related("added_by", "document")
        .defer("document__text", "document__raw_html", "document__fingerprint")
        .order_by("created_at", "id")
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


def review_checklist(*, review: Review) -> list[tuple[ChecklistStep, ChecklistMark | None]]:
    """The desk's active steps with this review's mark of each (None: not done); two queries."""
    marks = {
        mark.step_id: mark
        for mark in ChecklistMark.objects.filter(review=review).select_related("done_by")
    }
    return [(step, marks.get(step.pk)) for step in ChecklistStep.objects.filter(active=True)]


def review_missing_required_steps(*, review: Review) -> list[ChecklistStep]:
    return list(
        ChecklistStep.objects.filter(active=True, required=True).exclude(
            pk__in=ChecklistMark.objects.filter(review=review).values("step_id")
        )
    )


def review_notes(*, review: Review) -> QuerySet[ReviewNote]:
    return (
        ReviewNote.objects.filter(review=review)
        .select_related("author")
        .prefetch_related(
            Prefetch("mentions", queryset=get_user_model().objects.order_by("username"))
        )
        .order_by("created_at", "id")
    )


def review_tags(*, review: Review) -> QuerySet[Tag]:
    return Tag.objects.filter(review_tags__review=review).order_by("name")


def desk_members() -> QuerySet:
    """Everyone in the reviewer or editor group, by name."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=DESK_GROUPS, is_active=True)
        .distinct()
        .order_by("username")
    )
