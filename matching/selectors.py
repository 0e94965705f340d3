"""Reads of the archive and matching, with their joins, and the in-process ranking archive."""

import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from django.db.models import Count, Max, Q, QuerySet

from claims.extraction.embeddings import EMBEDDING_DIM
from matching.models import FactCheck, Match
from matching.ranking.model import default_model
from matching.ranking.ranker import Archive, FactCheckRecord
from matching.ranking.text import fold


@dataclass(frozen=True)
class RankingArchive:
    """The archive as the ranker needs it; ids[i] is the FactCheck of row i."""

    signature: tuple
    ids: list[int]
    archive: Archive
    review_claims: dict[int, int]

    @cached_property
    def _row_of(self) -> dict[int, int]:
        return {factcheck_id: row for row, factcheck_id in enumerate(self.ids)}

    def rows_of(self, factcheck_ids) -> np.ndarray:
        """Archive rows of FactCheck ids (those not in this archive are left out)."""
        row_of = self._row_of
        return np.array([row_of[i] for i in map(int, factcheck_ids) if i in row_of], dtype=np.int64)


_LOCK = threading.Lock()
_CACHE: dict[str, RankingArchive] = {}


def ranking_archive() -> RankingArchive:
    """Built from the database once, then again only when fact-checks were added or removed."""
    # Rows are only added and deleted (never edited in what ranking reads), so their number,
    # the last id and the last creation time say whether the cached archive is still current.
    signature = tuple(
        FactCheck.objects.aggregate(
            size=Count("id"), last=Max("id"), newest=Max("created_at")
        ).values()
    )
    with _LOCK:
        cached = _CACHE.get("archive")
        if cached is not None and cached.signature == signature:
            return cached
        rows = list(
            FactCheck.objects.order_by("id").values_list(
                "id",
                "claim_text",
                "title",
                "speaker",
                "claim_date",
                "reviewed_on",
                "claim_embedding",
                "title_embedding",
                "review__claim_id",
            )
        )
        records = [
            FactCheckRecord(
                claim=r[1],
                title=r[2],
                speaker=r[3],
                date=r[4] or r[5],
                date_is_review=r[4] is None and r[5] is not None,
            )
            for r in rows
        ]
        archive = Archive(
            records,
            _matrix([r[6] for r in rows]),
            _matrix([r[7] for r in rows]),
            default_model().params,
        )
        built = RankingArchive(
            signature=signature,
            ids=[r[0] for r in rows],
            archive=archive,
            review_claims={r[0]: r[8] for r in rows if r[8]},
        )
        _CACHE["archive"] = built
        return built


def _matrix(blobs: list) -> np.ndarray:
    matrix = np.zeros((len(blobs), EMBEDDING_DIM), dtype=np.float32)
    for row, blob in enumerate(blobs):
        if blob:
            matrix[row] = np.frombuffer(bytes(blob), dtype=np.float32)
    return matrix


def factcheck_list(*, query: str = "") -> QuerySet[FactCheck]:
    """The archive, newest first; `query` matches words of the claim, title, speaker or publisher."""
    factchecks = FactCheck.objects.all()
    for word in fold(query).split()[:10]:
        factchecks = factchecks.filter(
            Q(claim_text__icontains=word)
            | Q(title__icontains=word)
            | Q(speaker__icontains=word)
            | Q(publisher__icontains=word)
        )
    return factchecks


def matches_for_claim(*, claim_id: int) -> QuerySet[Match]:
    return (
        Match.objects.filter(claim_id=claim_id)
        .exclude(state=Match.State.REJECTED)
        .select_related("factcheck")
        .order_by("-score", "id")
    )


def clusters_with_matches(*, cluster_ids: list[int]) -> set[int]:
    """Those of the clusters whose claims the archive has matched already."""
    if not cluster_ids:
        return set()
    return set(
        Match.objects.filter(claim__cluster_id__in=cluster_ids)
        .values_list("claim__cluster_id", flat=True)
        .distinct()
    )
