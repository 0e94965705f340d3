"""Reads of documents and claims, with the joins each screen needs."""

from django.db.models import Count, Prefetch, Q, QuerySet

from claims.models import CLAIM_FIELDS, Claim, ClaimCluster, Document, DocumentFetch

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


def claim_embeddings(*, version: str) -> QuerySet[Claim]:
    """(id, embedding) of the claims whose vectors are of `version`, the only ones comparable.

    Pass `claims.extraction.embeddings.embedding_version()` for vectors comparable with new ones.
    """
    return Claim.objects.filter(embedding_version=version, embedding__isnull=False).values_list(
        "id", "embedding"
    )


def document_at_url(*, url: str, canonical_url: str) -> Document | None:
    """The stored document fetched from `url` or known by `canonical_url`."""
    at_url = Q(url=url)
    if canonical_url:
        at_url |= Q(canonical_url=canonical_url)
    return Document.objects.filter(at_url).defer(*DOCUMENT_LIST_DEFERRED).first()


def document_fetch_detail() -> QuerySet[DocumentFetch]:
    return DocumentFetch.objects.all()


CLUSTER_APPEARANCE_FIELDS = (
    "id",
    "cluster_id",
    "text",
    "speaker",
    "start",
    "document_id",
    "document__id",
    "document__title",
    "document__url",
    "document__outlet",
    "document__published_at",
    "document__created_at",
)
# The fact-check archive (matching) relates its matches to a cluster as `factcheck_matches`,
# each with its `factcheck` (/work/coord/matching-interface.md); the cluster's page lists them
# without claims importing that app.
CLUSTER_MATCHES = "factcheck_matches"


def cluster_detail_queryset() -> QuerySet[ClaimCluster]:
    appearances = (
        Claim.objects.select_related("document")
        .only(*CLUSTER_APPEARANCE_FIELDS)
        .order_by("document__published_at", "document_id", "start")
    )
    prefetches: list = [Prefetch("claims", queryset=appearances, to_attr="appearances")]
    relation = cluster_matches_relation()
    if relation is not None:
        matches = relation.related_model.objects.select_related("factcheck").order_by("-score")
        prefetches.append(Prefetch(CLUSTER_MATCHES, queryset=matches))
    return ClaimCluster.objects.prefetch_related(*prefetches)


def cluster_matches_relation():
    """The archive's relation to clusters, when an installed app provides it."""
    return next(
        (
            relation
            for relation in ClaimCluster._meta.related_objects
            if relation.get_accessor_name() == CLUSTER_MATCHES
        ),
        None,
    )


def cluster_list() -> QuerySet[ClaimCluster]:
    return ClaimCluster.objects.order_by("-created_at", "-id")
