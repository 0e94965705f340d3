"""Claim clusters: claims that assert the same thing, built incrementally as claims are stored.

A new claim is compared with the claims already clustered by the same engine version (their
embeddings are comparable) that were stored within `FACTDESK_CLUSTER_WINDOW_DAYS`, the newest
`FACTDESK_CLUSTER_MAX_CANDIDATES` of them, by exact cosine over their stored embeddings (numpy),
then by the figure, date and name guard (claims.extraction.sameclaim). It joins the cluster of
its most similar candidate if it is the same claim as every loaded member of that cluster
(close enough to each, and no conflicting facts), or starts a cluster of its
own. The same claims in the same order always give the same clusters, and a claim that has a
cluster keeps it, so running this twice changes nothing. See docs/clusters.md.
"""

from collections.abc import Iterable, Sequence
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Count, Min
from django.db.models.functions import Lower
from django.utils import timezone

from claims.events import on_clusters_created
from claims.extraction.embeddings import EMBEDDING_DIM
from claims.extraction.folding import fold
from claims.extraction.sameclaim import SAME_CLAIM_THRESHOLD, ClaimFacts, facts_conflict
from claims.models import Claim, ClaimCluster
from factdesk.errors import InvalidTransition

# Clusters tried, most similar first, before a claim starts a cluster of its own.
_CLUSTERS_TRIED = 5
# The PostgreSQL advisory lock key of clustering (any constant unique to this use).
_CLUSTERING_LOCK = 0x0C1A_1A57


class _Candidates:
    """Clustered claims a new claim may join, as arrays: ids, clusters, unit embeddings (with room
    for the claims being clustered). Their facts and folded texts are read only when needed."""

    def __init__(self, rows: list[tuple[int, int, bytes | None, str]], room: int) -> None:
        self.ids = [row[0] for row in rows]
        self.clusters = [row[1] for row in rows]
        self.raw_texts = [row[3] for row in rows]
        self.vectors = np.zeros((len(rows) + room, EMBEDDING_DIM), dtype=np.float32)
        self.has_vector = np.zeros(len(rows) + room, dtype=bool)
        size = EMBEDDING_DIM * 4
        stored = [index for index, row in enumerate(rows) if row[2] and len(row[2]) == size]
        if stored:
            matrix = np.frombuffer(b"".join(bytes(rows[i][2]) for i in stored), dtype=np.float32)
            matrix = matrix.reshape(len(stored), EMBEDDING_DIM)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            self.vectors[stored] = np.divide(
                matrix, norms, where=norms > 0, out=np.zeros_like(matrix)
            )
            self.has_vector[stored] = norms[:, 0] > 0
        self._facts: dict[int, ClaimFacts] = {}
        self._folded: dict[int, str] = {}

    def add(self, claim: Claim, facts: ClaimFacts, vector: np.ndarray | None) -> None:
        index = len(self.ids)
        if vector is not None:
            self.vectors[index] = vector
            self.has_vector[index] = True
        self.ids.append(claim.pk)
        self.clusters.append(claim.cluster_id)
        self.raw_texts.append(claim.text)
        self._facts[claim.pk] = facts

    def similarities(self, text: str, vector: np.ndarray | None) -> np.ndarray:
        """Cosine with each candidate; 1 for the same words where a side has no embedding."""
        count = len(self.ids)
        if vector is not None:
            similarity = self.vectors[:count] @ vector
        else:
            similarity = np.zeros(count, dtype=np.float32)
        compare = range(count) if vector is None else np.flatnonzero(~self.has_vector[:count])
        folded = fold(text)
        for index in compare:
            if self._fold(index) == folded:
                similarity[index] = 1.0
        return similarity

    def members(self, cluster_id: int) -> list[int]:
        return [index for index, cluster in enumerate(self.clusters) if cluster == cluster_id]

    def facts(self, indexes: list[int]) -> list[ClaimFacts]:
        missing = [self.ids[i] for i in indexes if self.ids[i] not in self._facts]
        if missing:
            rows = Claim.objects.filter(pk__in=missing).values_list(
                "pk", "figures", "dates", "entities"
            )
            for pk, figures, dates, entities in rows:
                self._facts[pk] = ClaimFacts(
                    embedding=[], figures=figures or [], dates=dates or [], entities=entities or []
                )
        return [self._facts[self.ids[i]] for i in indexes]

    def _fold(self, index: int) -> str:
        if index not in self._folded:
            self._folded[index] = fold(self.raw_texts[index])
        return self._folded[index]


def claims_cluster(*, claims: Sequence[Claim]) -> list[ClaimCluster]:
    """Puts each claim that has no cluster into one; returns the clusters it started (and
    announces them as `clusters_created`)."""
    pending = sorted((claim for claim in claims if claim.cluster_id is None), key=lambda c: c.pk)
    if not pending:
        return []
    with transaction.atomic():
        _serialise_with_other_workers()
        created = _clusters_assign(pending)
        if created:
            on_clusters_created.announce(clusters=created)
    return created


def _clusters_assign(pending: list[Claim]) -> list[ClaimCluster]:
    created: list[ClaimCluster] = []
    touched: set[int] = set()
    for version in sorted({claim.extractor_version for claim in pending}):
        of_version = [claim for claim in pending if claim.extractor_version == version]
        candidates = _candidates(version=version, pending=of_version)
        for claim in of_version:
            facts, vector = _facts(claim)
            cluster_id = _best_cluster(claim, facts, vector, candidates)
            if cluster_id is None:
                cluster = ClaimCluster.objects.create(
                    canonical_text=claim.text, embedding_version=version
                )
                created.append(cluster)
                cluster_id = cluster.pk
            claim.cluster_id = cluster_id
            Claim.objects.filter(pk=claim.pk).update(cluster_id=cluster_id)
            candidates.add(claim, facts, vector)
            touched.add(cluster_id)
    clusters_refresh_counts(cluster_ids=touched)
    return created


def clusters_refresh_counts(*, cluster_ids: Iterable[int]) -> None:
    """Counts each cluster's claims, documents and outlets; its canonical text is its first claim's."""
    cluster_ids = set(cluster_ids)
    if not cluster_ids:
        return
    counts = (
        Claim.objects.filter(cluster_id__in=cluster_ids)
        .values("cluster_id")
        .annotate(
            claims=Count("id"),
            documents=Count("document", distinct=True),
            outlets=Count(Lower("document__outlet"), distinct=True),
            first=Min("id"),
        )
        .order_by()
    )
    by_cluster = {row["cluster_id"]: row for row in counts}
    texts = dict(
        Claim.objects.filter(pk__in=[row["first"] for row in by_cluster.values()]).values_list(
            "pk", "text"
        )
    )
    clusters = list(ClaimCluster.objects.filter(pk__in=cluster_ids))
    for cluster in clusters:
        row = by_cluster.get(cluster.pk)
        cluster.claim_count = row["claims"] if row else 0
        cluster.document_count = row["documents"] if row else 0
        cluster.outlet_count = row["outlets"] if row else 0
        if row:
            cluster.canonical_text = texts[row["first"]]
    ClaimCluster.objects.bulk_update(
        clusters, ["claim_count", "document_count", "outlet_count", "canonical_text", "updated_at"]
    )


def cluster_absorb(
    *, cluster: ClaimCluster, into: ClaimCluster, actor: AbstractBaseUser | None
) -> ClaimCluster:
    """Moves every claim of `cluster` into `into` and deletes `cluster`; both histories say so.

    The desk's merge (reviews.clusters.cluster_merge) decides first what becomes of reviews.
    """
    if cluster.pk == into.pk:
        raise InvalidTransition("A cluster cannot be merged into itself.")
    if cluster.embedding_version != into.embedding_version:
        raise InvalidTransition(
            f"Cluster {cluster.pk} was built by engine {cluster.embedding_version} and cluster "
            f"{into.pk} by {into.embedding_version}; only clusters of one engine can be merged."
        )
    Claim.objects.filter(cluster=cluster).update(cluster=into)
    clusters_refresh_counts(cluster_ids=[into.pk])
    into.refresh_from_db()
    _record(into, actor=actor, reason=f"cluster {cluster.pk} merged into this one")
    into.save()
    _record(cluster, actor=actor, reason=f"merged into cluster {into.pk}")
    cluster.delete()
    return into


def cluster_detach(*, claim: Claim, actor: AbstractBaseUser | None) -> ClaimCluster:
    """Takes a claim out of its cluster into a new cluster of its own; returns the new cluster."""
    old = ClaimCluster.objects.get(pk=claim.cluster_id)
    if old.claims.count() < 2:
        raise InvalidTransition(
            f"Claim {claim.pk} is the only claim of cluster {old.pk}; there is nothing to split."
        )
    new = ClaimCluster(canonical_text=claim.text, embedding_version=old.embedding_version)
    _record(new, actor=actor, reason=f"claim {claim.pk} split out of cluster {old.pk}")
    new.save()
    Claim.objects.filter(pk=claim.pk).update(cluster=new)
    claim.cluster = new
    clusters_refresh_counts(cluster_ids=[old.pk, new.pk])
    old.refresh_from_db()
    _record(old, actor=actor, reason=f"claim {claim.pk} split out into cluster {new.pk}")
    old.save()
    new.refresh_from_db()
    on_clusters_created.announce(clusters=[new])
    return new


def _serialise_with_other_workers() -> None:
    """Two workers clustering at once would not see each other's new claims and could start two
    clusters for one claim: on PostgreSQL they take turns (a lock held until the transaction
    ends; clustering is milliseconds beside extraction). SQLite already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLUSTERING_LOCK])


def _candidates(*, version: str, pending: list[Claim]) -> _Candidates:
    since = timezone.now() - timedelta(days=settings.FACTDESK_CLUSTER_WINDOW_DAYS)
    rows = list(
        Claim.objects.filter(
            cluster__isnull=False, extractor_version=version, created_at__gte=since
        )
        .exclude(pk__in=[claim.pk for claim in pending])
        .order_by("-id")
        .values_list("id", "cluster_id", "embedding", "text")[
            : settings.FACTDESK_CLUSTER_MAX_CANDIDATES
        ]
    )
    rows.reverse()
    return _Candidates(rows, room=len(pending))


def _vector(blob: bytes | None) -> np.ndarray | None:
    """A stored embedding at unit length; None when there is none (or not of MiniLM's size)."""
    if not blob:
        return None
    vector = np.frombuffer(bytes(blob), dtype=np.float32)
    norm = float(np.linalg.norm(vector))
    if vector.shape[0] != EMBEDDING_DIM or not norm:
        return None
    return vector / norm


def _facts(claim: Claim) -> tuple[ClaimFacts, np.ndarray | None]:
    vector = _vector(claim.embedding)
    facts = ClaimFacts(
        embedding=vector if vector is not None else [],
        figures=claim.figures or [],
        dates=claim.dates or [],
        entities=claim.entities or [],
    )
    return facts, vector


def _best_cluster(
    claim: Claim, facts: ClaimFacts, vector: np.ndarray | None, candidates: _Candidates
) -> int | None:
    if not candidates.ids:
        return None
    similarity = candidates.similarities(claim.text, vector)
    order = sorted(
        (index for index in np.flatnonzero(similarity >= SAME_CLAIM_THRESHOLD)),
        key=lambda i: (-round(float(similarity[i]), 6), candidates.clusters[i], candidates.ids[i]),
    )
    tried: list[int] = []
    for index in order:
        cluster_id = candidates.clusters[index]
        if cluster_id in tried:
            continue
        tried.append(cluster_id)
        members = candidates.members(cluster_id)
        if all(similarity[i] >= SAME_CLAIM_THRESHOLD for i in members) and not any(
            facts_conflict(facts, other) for other in candidates.facts(members)
        ):
            return cluster_id
        if len(tried) >= _CLUSTERS_TRIED:
            break
    return None


def _record(cluster: ClaimCluster, *, actor: AbstractBaseUser | None, reason: str) -> None:
    cluster._history_user = actor
    cluster._change_reason = reason
