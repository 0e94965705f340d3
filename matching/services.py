"""Writes of the archive and matching: imports, the desk's own verdicts, matches and decisions."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.extraction.embeddings import EMBEDDING_DIM, MODEL_SHA256, embed
from claims.models import Claim
from claims.selectors import claims_near
from factdesk.roles import require_editor
from matching import selectors
from matching.ann import nearest_keys
from matching.archive.parsers import ParsedFactCheck
from matching.models import FactCheck, Match
from matching.ranking.gate import default_gate
from matching.ranking.model import default_model, rank
from matching.ranking.ranker import FEATURES, Probe
from matching.vectors import factcheck_index, factcheck_index_add
from reviews.models import Review

EMBEDDING_VERSION = f"minilm-{MODEL_SHA256[:12]}"
_BATCH = 500


@dataclass(frozen=True)
class ImportCounts:
    created: int
    existing: int


def factchecks_import(*, records: Sequence[ParsedFactCheck], imported_from: str) -> ImportCounts:
    """Stores the fact-checks not stored yet (by key): importing a file twice adds nothing."""
    by_key = {record.key: record for record in records}
    stored = set(
        FactCheck.objects.filter(key__in=list(by_key)).values_list("key", flat=True).iterator()
    )
    new = [record for key, record in by_key.items() if key not in stored]
    for start in range(0, len(new), _BATCH):
        batch = new[start : start + _BATCH]
        claim_vectors = embed([r.claim_text for r in batch])
        title_vectors = embed([r.title or r.claim_text for r in batch])
        FactCheck.objects.bulk_create(
            [
                FactCheck(
                    key=record.key,
                    claim_text=record.claim_text,
                    title=record.title[:500],
                    rating=record.rating[:100],
                    publisher=record.publisher[:200],
                    url=record.url[:1000],
                    speaker=record.speaker[:300],
                    reviewed_on=record.reviewed_on,
                    claim_date=record.claim_date,
                    source=FactCheck.Source.IMPORT,
                    imported_from=imported_from[:500],
                    claim_embedding=claim_vector.astype(np.float32).tobytes(),
                    title_embedding=title_vector.astype(np.float32).tobytes(),
                    embedding_version=EMBEDDING_VERSION,
                )
                for record, claim_vector, title_vector in zip(
                    batch, claim_vectors, title_vectors, strict=True
                )
            ],
            ignore_conflicts=True,
        )
        stored_ids = dict(
            FactCheck.objects.filter(key__in=[r.key for r in batch]).values_list("key", "id")
        )
        factcheck_index_add(
            ids=[stored_ids[r.key] for r in batch], vectors=np.asarray(claim_vectors)
        )
    return ImportCounts(created=len(new), existing=len(by_key) - len(new))


def factcheck_archive_review(*, review_id: int) -> FactCheck | None:
    """A published verdict of the desk joins the archive (once, however often this runs)."""
    review = Review.objects.select_related("claim__document", "rating").filter(pk=review_id).first()
    if review is None or review.state != Review.State.PUBLISHED or review.rating is None:
        return None
    claim = review.claim
    url = settings.FACTDESK_PUBLIC_URL_TEMPLATE.format(id=review.pk)
    published = review.published_at.date() if review.published_at else None
    document = claim.document
    vector = _claim_vector(claim)
    factcheck, created = FactCheck.objects.get_or_create(
        review=review,
        defaults={
            "key": hashlib.sha256(f"desk-review\x00{review.pk}".encode()).hexdigest(),
            "claim_text": claim.text,
            "title": (review.summary or claim.text)[:500],
            "rating": review.rating.name,
            "publisher": settings.FACTDESK_ORGANIZATION_NAME[:200],
            "url": url,
            "speaker": claim.speaker,
            "reviewed_on": published,
            "claim_date": document.published_at.date() if document.published_at else None,
            "source": FactCheck.Source.DESK,
            "claim_embedding": vector.tobytes(),
            "title_embedding": vector.tobytes(),
            "embedding_version": EMBEDDING_VERSION,
        },
    )
    if created:
        factcheck_index_add(ids=[factcheck.pk], vectors=vector[None, :])
    return factcheck


COSINE_BEST = FEATURES.index("cosine_best")


def claim_match(*, claim_id: int) -> list[Match]:
    """Ranks the archive for a claim and keeps the fact-checks above FACTDESK_MATCH_SUGGEST that
    the figure and entity guard lets through; above FACTDESK_MATCH_AUTO the match says "checked
    before" for an editor to confirm or reject. An editor's decision is never overwritten."""
    claim = Claim.objects.select_related("document").filter(pk=claim_id).first()
    if claim is None:
        return []
    archive = selectors.ranking_archive()
    if not len(archive.archive):
        return []
    document = claim.document
    model = default_model()
    near = claims_near(claim=claim, window=model.params.context_window)
    probe = Probe(
        text=claim.text,
        speaker=claim.speaker,
        date=document.published_at.date() if document.published_at else None,
        entities=tuple(
            (e.get("text", ""), e.get("label", "")) for e in claim.entities if isinstance(e, dict)
        ),
        context=tuple(other.text for other in near),
    )
    vector = _claim_vector(claim)
    context_vectors = np.array([_claim_vector(other) for other in near]) if near else None
    nearest = context_nearest = None
    if len(archive.archive) >= settings.FACTDESK_MATCH_INDEX_MIN:
        nearest = _index_rows(archive, [vector], archive.archive.params.depth)
        if near:
            context_nearest = _index_rows(archive, context_vectors, model.params.context_depth)
    found = rank(model, archive.archive, probe, vector, nearest, context_vectors, context_nearest)
    suggest, auto = settings.FACTDESK_MATCH_SUGGEST, settings.FACTDESK_MATCH_AUTO
    gate = default_gate()
    kept = []
    with transaction.atomic():
        for candidate in found:
            if candidate.score < suggest:
                break
            factcheck_id = archive.ids[candidate.index]
            if candidate.comparison.conflict or archive.review_claims.get(factcheck_id) == claim.pk:
                continue
            if candidate.features[COSINE_BEST] < settings.FACTDESK_MATCH_MIN_COSINE:
                # The re-ranker's rank features are relative to the other candidates: in a
                # small archive the best of several unrelated fact-checks still ranks first.
                continue
            if not gate.lets_through(candidate.features):
                continue
            state = Match.State.CHECKED_BEFORE if candidate.score >= auto else Match.State.SUGGESTED
            match, created = Match.objects.get_or_create(
                claim=claim,
                factcheck_id=factcheck_id,
                defaults={"score": candidate.score, "state": state},
            )
            if not created and match.state in (Match.State.SUGGESTED, Match.State.CHECKED_BEFORE):
                match.score, match.state = candidate.score, state
                match.save(update_fields=["score", "state"])
            kept.append(match)
    return kept


def match_decide(*, match_id: int, actor: AbstractBaseUser, confirm: bool) -> Match:
    """An editor confirms that the earlier fact-check covers the claim, or rejects it."""
    require_editor(actor, "confirm or reject a match")
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match_id)
        match.state = Match.State.CONFIRMED if confirm else Match.State.REJECTED
        match.decided_by = actor
        match.decided_at = timezone.now()
        match.save(update_fields=["state", "decided_by", "decided_at"])
    return match


def _index_rows(archive: selectors.RankingArchive, vectors, k: int) -> np.ndarray:
    """The archive rows nearest to any of `vectors` by the index, best cosine first."""
    return archive.rows_of(nearest_keys(factcheck_index(), vectors, k))


def _claim_vector(claim: Claim) -> np.ndarray:
    if claim.embedding:
        vector = np.frombuffer(bytes(claim.embedding), dtype=np.float32)
        if vector.shape == (EMBEDDING_DIM,):
            return vector
    return embed([claim.text])[0].astype(np.float32)
