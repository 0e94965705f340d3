"""Reads of documents and claims, with the joins each screen needs."""

from django.db.models import Count, Prefetch, Q, QuerySet

from claims.models import CLAIM_FIELDS, Claim, Document, DocumentFetch

# Lists never load the article bodies; detail pages load the text but never the raw HTML.
DOCUMENT_LIST_DEFERRED = ("raw_html", "text", "fingerprint")
CLAIM_LIST_FIELDS = ("id", "document_id", *CLAIM_FIELDS)


def document_list() -> QuerySet[Document]:
    return (
        Document.objects.defer(*DOCUMENT_LIST_DEFERRED)
        .select_related("source")
        .annotate(claim_count=Count("claims"))
        .order_by("-created_at", "-id")
    )


def document_detail_queryset() -> QuerySet[Document]:
    return Document.objects.defer("raw_html", "fingerprint").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.only(*CLAIM_LIST_FIELDS).order_by("start"))
    )


def claim_list() -> QuerySet[Claim]:
    return (
        Claim.objects.only(
            *CLAIM_LIST_FIELDS, "document__title", "document__outlet", "document__story_id"
        )
        .select_related("document")
        .order_by("-score", "id")
    )


def document_at_url(*, url: str, canonical_url: str) -> Document | None:
    """The stored document fetched from `url` or known by `canonical_url`."""
    at_url = Q(url=url)
    if canonical_url:
        at_url |= Q(canonical_url=canonical_url)
    return Document.objects.filter(at_url).defer(*DOCUMENT_LIST_DEFERRED).first()


def document_fetch_detail() -> QuerySet[DocumentFetch]:
    return DocumentFetch.objects.all()
