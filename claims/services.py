"""Every write to documents, claims and evidence."""

import hashlib
import logging
import re
from array import array
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from claims import extraction
from claims.models import Claim, Document, EvidenceLink, Source
from reviews.services import reviews_enqueue_claims

logger = logging.getLogger(__name__)

_WHITESPACE = re.compile(r"\s+")


class DocumentRejected(ValueError):
    """The input cannot become a document; the message says why."""


class DocumentTooLarge(DocumentRejected):
    pass


@dataclass(frozen=True)
class IngestResult:
    document: Document
    created: bool


def content_hash_of(text: str) -> str:
    """Hash of the text with white space folded, so re-wrapped copies count as the same content."""
    folded = _WHITESPACE.sub(" ", text).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def document_ingest(
    *,
    text: str,
    title: str = "",
    url: str = "",
    canonical_url: str = "",
    outlet: str = "",
    author: str = "",
    published_at: datetime | None = None,
    language: str = "",
    raw_html: str = "",
    source: Source | None = None,
    created_by: AbstractBaseUser | None = None,
) -> IngestResult:
    """Stores an article once; the same content again returns the stored document."""
    if not text or not text.strip():
        raise DocumentRejected("The document has no text.")
    limit = settings.FACTDESK_MAX_DOCUMENT_CHARS
    if len(text) > limit:
        raise DocumentTooLarge(
            f"The document has {len(text):,} characters; the limit is {limit:,} "
            "(FACTDESK_MAX_DOCUMENT_CHARS)."
        )
    content_hash = content_hash_of(text)
    existing = Document.objects.filter(content_hash=content_hash).first()
    if existing is not None:
        return IngestResult(document=existing, created=False)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                text=text,
                title=title[:500],
                url=url,
                canonical_url=canonical_url or url,
                outlet=outlet[:200],
                author=author[:300],
                published_at=published_at,
                language=language,
                raw_html=raw_html,
                source=source,
                created_by=created_by,
                content_hash=content_hash,
            )
    except IntegrityError:
        # Another request stored the same content between our look-up and our insert.
        return IngestResult(document=Document.objects.get(content_hash=content_hash), created=False)
    document_enqueue_extraction(document=document)
    return IngestResult(document=document, created=True)


def document_enqueue_extraction(*, document: Document) -> None:
    from claims.tasks import extract_document

    transaction.on_commit(lambda: extract_document.delay(document.pk))


def document_request_extraction(*, document: Document) -> None:
    """Extracts the document again, e.g. after the engine changed or a run failed."""
    Document.objects.filter(pk=document.pk).update(
        extraction_status=Document.ExtractionStatus.PENDING, updated_at=timezone.now()
    )
    document_enqueue_extraction(document=document)


def document_extract(*, document_id: int) -> Document:
    """Runs the claim pipeline on one document; running it again with the same engine changes nothing."""
    version = extraction.EXTRACTOR_VERSION
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if (
            document.extraction_status == Document.ExtractionStatus.EXTRACTED
            and document.extractor_version == version
        ):
            return document
        document.extraction_status = Document.ExtractionStatus.EXTRACTING
        document.save(update_fields=["extraction_status", "updated_at"])

    try:
        records = extraction.extract_claims(
            document.text,
            published=document.published_at.date() if document.published_at else None,
            outlet=document.outlet,
        )
    except Exception as error:
        logger.exception("Extraction of document %s failed", document_id)
        return _document_mark_failed(document_id=document_id, error=error)

    with transaction.atomic():
        claims = _claims_store(document=document, records=records, version=version)
        _claims_remove_untouched_of_other_versions(document=document, version=version)
        Document.objects.filter(pk=document_id).update(
            extraction_status=Document.ExtractionStatus.EXTRACTED,
            extraction_error="",
            extractor_version=version,
            extracted_at=timezone.now(),
            updated_at=timezone.now(),
        )
        reviews_enqueue_claims(claims=claims)
    document.refresh_from_db()
    return document


def _document_mark_failed(*, document_id: int, error: Exception) -> Document:
    Document.objects.filter(pk=document_id).update(
        extraction_status=Document.ExtractionStatus.FAILED,
        extraction_error=f"{type(error).__name__}: {error}"[:2000],
        updated_at=timezone.now(),
    )
    return Document.objects.get(pk=document_id)


def _claims_store(
    *, document: Document, records: list[extraction.ClaimRecord], version: str
) -> list[Claim]:
    existing = {
        (claim.start, claim.end): claim
        for claim in Claim.objects.filter(document=document, extractor_version=version)
    }
    new_claims = [
        Claim(
            document=document,
            text=record.text,
            start=record.start,
            end=record.end,
            speaker=record.speaker[:300],
            speaker_role=record.speaker_role[:300],
            speaker_kind=record.speaker_kind,
            claim_type=record.claim_type,
            score=min(1.0, max(0.0, record.score)),
            entities=record.entities,
            figures=record.figures,
            embedding=pack_embedding(record.embedding),
            extractor_version=version,
        )
        for record in records
        if (record.start, record.end) not in existing
    ]
    Claim.objects.bulk_create(new_claims, ignore_conflicts=True)
    return list(Claim.objects.filter(document=document, extractor_version=version))


def _claims_remove_untouched_of_other_versions(*, document: Document, version: str) -> None:
    """Claims of an older engine go, unless a reviewer has worked on them."""
    stale = Claim.objects.filter(document=document).exclude(extractor_version=version)
    touched = stale.filter(
        Q(evidence__isnull=False)
        | Q(reviews__assignee__isnull=False)
        | (Q(reviews__isnull=False) & ~Q(reviews__state="queued"))
    )
    stale.exclude(pk__in=touched.values("pk")).delete()


def pack_embedding(values: list[float] | None) -> bytes | None:
    return None if values is None else array("f", values).tobytes()


def unpack_embedding(blob: bytes | None) -> list[float] | None:
    if blob is None:
        return None
    values = array("f")
    values.frombytes(bytes(blob))
    return values.tolist()


def evidence_add(
    *,
    claim: Claim,
    added_by: AbstractBaseUser,
    url: str = "",
    document: Document | None = None,
    excerpt: str = "",
    stance: str = EvidenceLink.Stance.CONTEXT,
    note: str = "",
) -> EvidenceLink:
    if not url and document is None:
        raise DocumentRejected("Evidence needs a URL or a document.")
    return EvidenceLink.objects.create(
        claim=claim,
        url=url,
        document=document,
        excerpt=excerpt,
        stance=stance,
        note=note,
        added_by=added_by,
    )
