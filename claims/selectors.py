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
# The fact-check archive (matching) stores its matches on claims as `factcheck_matches`, each
# with its `factcheck`; claims reads them through that relation without importing the app.
CLAIM_MATCHES = "factcheck_matches"


def cluster_detail_queryset() -> QuerySet[ClaimCluster]:
    appearances = (
        Claim.objects.select_related("document")
        .only(*CLUSTER_APPEARANCE_FIELDS)
        .order_by("document__published_at", "document_id", "start")
    )
    return ClaimCluster.objects.prefetch_related(
        Prefetch("claims", queryset=appearances, to_attr="appearances")
    )


def cluster_matches(*, cluster_id: int | None, claim_id: int | None = None) -> list:
    """The archived fact-checks matched to any claim of the cluster (or to the one claim, when
    it has no cluster), best first, one row per fact-check, an editor's rejections left out.
    Empty when no installed app keeps a fact-check archive."""
    relation = next(
        (r for r in Claim._meta.related_objects if r.get_accessor_name() == CLAIM_MATCHES), None
    )
    if relation is None:
        return []
    rows = relation.related_model.objects.exclude(state="rejected").select_related("factcheck")
    if cluster_id is not None:
        rows = rows.filter(claim__cluster_id=cluster_id)
    else:
        rows = rows.filter(claim_id=claim_id)
    best = {}
    for match in rows.order_by("-score", "id"):
        best.setdefault(match.factcheck_id, match)
    return list(best.values())


def cluster_list() -> QuerySet[ClaimCluster]:
    return ClaimCluster.objects.order_by("-created_at", "-id")
