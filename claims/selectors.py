"""Reads of documents and claims, with the joins each screen needs."""

from django.db.models import Count, Prefetch, QuerySet

from claims.models import Claim, Document

# Lists never load the article bodies; detail pages load the text but never the raw HTML.
DOCUMENT_LIST_DEFERRED = ("raw_html", "text")
CLAIM_LIST_FIELDS = (
    "id",
    "document_id",
    "text",
    "start",
    "end",
    "speaker",
    "speaker_role",
    "speaker_kind",
    "claim_type",
    "score",
    "entities",
    "figures",
    "extractor_version",
    "created_at",
)


def document_list() -> QuerySet[Document]:
    return (
        Document.objects.defer(*DOCUMENT_LIST_DEFERRED)
        .select_related("source")
        .annotate(claim_count=Count("claims"))
        .order_by("-created_at", "-id")
    )


def document_detail_queryset() -> QuerySet[Document]:
    return Document.objects.defer("raw_html").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.only(*CLAIM_LIST_FIELDS).order_by("start"))
    )


def claim_list() -> QuerySet[Claim]:
    return (
        Claim.objects.only(*CLAIM_LIST_FIELDS, "document__title", "document__outlet")
        .select_related("document")
        .order_by("-score", "id")
    )
