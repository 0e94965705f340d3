"""Every write to documents and claims."""

import hashlib
import logging
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from claims import extraction
from claims.actors import Speaker, actors_resolve
from claims.clusters import claims_cluster
from claims.disputes import story_disputes_find
from claims.events import on_claims_retiring, on_claims_stored
from claims.ingest.records import ArticleRecord
from claims.ingest.urls import canonicalize_url
from claims.models import Claim, Document, Source
from claims.stories import (
    document_bands_store,
    document_topic_store,
    stories_match,
    story_join_same_event,
)

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
    near_duplicate: bool = False


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
    extract: bool = True,
) -> IngestResult:
    """Stores an article once; the same content or canonical URL again returns the stored one.

    A near duplicate (a syndicated or lightly edited copy) is stored and joins the story of
    the document it copies. `extract=False` leaves extraction to a later request or the sweep.
    """
    article = ArticleRecord(
        origin=url,
        text=text,
        title=title,
        url=url,
        canonical_url=canonical_url,
        outlet=outlet,
        author=author,
        published_at=published_at,
        language=language,
        raw_html=raw_html,
    )
    (outcome,) = documents_ingest(
        articles=[article], source=source, created_by=created_by, extract=extract
    )
    if isinstance(outcome, DocumentRejected):
        raise outcome
    return outcome


def documents_ingest(
    *,
    articles: Sequence[ArticleRecord],
    source: Source | None = None,
    created_by: AbstractBaseUser | None = None,
    extract: bool = True,
) -> list[IngestResult | DocumentRejected]:
    """Stores a batch of articles as `document_ingest` does, in one transaction, in order.

    Each article's outcome is its result, or the `DocumentRejected` error saying why not.
    """
    outcomes: list[IngestResult | DocumentRejected | None] = []
    pending: list[tuple[int, Document]] = []
    for article in articles:
        try:
            document = _document_unsaved(article, source=source, created_by=created_by)
        except DocumentRejected as rejected:
            outcomes.append(rejected)
            continue
        pending.append((len(outcomes), document))
        outcomes.append(None)
    if not pending:
        return outcomes
    try:
        with transaction.atomic():
            _documents_store(pending=pending, outcomes=outcomes, extract=extract)
    except IntegrityError:
        # Another writer stored some of the same content or URLs between look-up and insert.
        if len(articles) > 1:
            return [
                documents_ingest(
                    articles=[article], source=source, created_by=created_by, extract=extract
                )[0]
                for article in articles
            ]
        same = _documents_same([pending[0][1]])
        if not same:
            raise
        return [IngestResult(document=same[0], created=False)]
    return outcomes


def _document_unsaved(
    article: ArticleRecord, *, source: Source | None, created_by: AbstractBaseUser | None
) -> Document:
    text = article.text
    if not text or not text.strip():
        raise DocumentRejected("The document has no text.")
    limit = settings.FACTDESK_MAX_DOCUMENT_CHARS
    if len(text) > limit:
        raise DocumentTooLarge(
            f"The document has {len(text):,} characters; the limit is {limit:,} "
            "(FACTDESK_MAX_DOCUMENT_CHARS)."
        )
    return Document(
        text=text,
        title=article.title[:500],
        url=article.url,
        canonical_url=canonicalize_url(article.canonical_url or article.url),
        outlet=article.outlet[:200],
        author=article.author[:300],
        published_at=article.published_at,
        undated=article.published_at is None,
        language=article.language[:16],
        raw_html=article.raw_html,
        source=source,
        created_by=created_by,
        content_hash=content_hash_of(text),
    )


def _documents_store(
    *,
    pending: list[tuple[int, Document]],
    outcomes: list[IngestResult | DocumentRejected | None],
    extract: bool,
) -> None:
    stored = _documents_same([document for _, document in pending])
    by_hash = {document.content_hash: document for document in stored}
    by_url = {document.canonical_url: document for document in stored if document.canonical_url}
    fresh: list[tuple[int, Document]] = []
    for position, document in pending:
        same = by_hash.get(document.content_hash) or by_url.get(document.canonical_url or None)
        if same is not None:
            outcomes[position] = IngestResult(document=same, created=False)
            continue
        by_hash[document.content_hash] = document
        if document.canonical_url:
            by_url[document.canonical_url] = document
        fresh.append((position, document))
    if not fresh:
        return
    matches = stories_match(
        texts=[document.text for _, document in fresh],
        titles=[document.title for _, document in fresh],
    )
    for (position, document), match in zip(fresh, matches, strict=True):
        document.story = match.story
        document.fingerprint = match.fingerprint.to_bytes() if match.fingerprint else None
        outcomes[position] = IngestResult(
            document=document, created=True, near_duplicate=match.near_duplicate
        )
    created = Document.objects.bulk_create([document for _, document in fresh])
    document_bands_store(documents=created, matches=matches)
    if extract:
        for document in created:
            document_enqueue_extraction(document_id=document.pk)


def _documents_same(documents: Sequence[Document]) -> list[Document]:
    """Stored documents with the content or the canonical URL of any of `documents`."""
    same = Q(content_hash__in={document.content_hash for document in documents})
    urls = {document.canonical_url for document in documents if document.canonical_url}
    if urls:
        same |= Q(canonical_url__in=urls)
    return list(Document.objects.filter(same).defer("raw_html", "fingerprint"))


def document_enqueue_extraction(*, document_id: int) -> None:
    """Extraction runs in the background once the transaction that stored the document commits."""
    from claims.tasks import document_extract as document_extract_task

    document_extract_task.delay_on_commit(document_id)


def document_request_extraction(*, document: Document) -> None:
    """Extracts the document again, e.g. after the engine changed or a run failed."""
    Document.objects.filter(pk=document.pk).update(
        extraction_status=Document.ExtractionStatus.PENDING, updated_at=timezone.now()
    )
    document_enqueue_extraction(document_id=document.pk)


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
        if document.extraction_status == Document.ExtractionStatus.EXTRACTING and (
            document.updated_at
            > timezone.now() - timedelta(seconds=settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT)
        ):
            # A duplicate message while another worker extracts it; if that worker died, the
            # sweep sets the document pending again once the time limit has passed.
            return document
        document.extraction_status = Document.ExtractionStatus.EXTRACTING
        document.save(update_fields=["extraction_status", "updated_at"])

    try:
        records = extraction.extract_claims(
            document.text,
            published=document.published_at.date() if document.published_at else None,
            outlet=document.outlet,
            threshold=settings.FACTDESK_QUEUE_THRESHOLD,
        )
    except Exception as error:
        logger.exception("Extraction of document %s failed", document_id)
        return _document_mark_failed(document_id=document_id, error=error)

    with transaction.atomic():
        claims = _claims_store(document=document, records=records, version=version)
        _claims_remove_untouched_of_other_versions(document=document, version=version)
        claims_cluster(claims=claims)
        document_topic_store(document=document, claims=claims)
        story = story_join_same_event(document=document)
        if story is not None:
            story_disputes_find(story=story)
        Document.objects.filter(pk=document_id).update(
            extraction_status=Document.ExtractionStatus.EXTRACTED,
            extraction_error="",
            extractor_version=version,
            extracted_at=timezone.now(),
            updated_at=timezone.now(),
        )
        on_claims_stored.announce(claims=claims)
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
    fresh = [record for record in records if (record.start, record.end) not in existing]
    actors = actors_resolve(speakers=[_speaker_of(record, document) for record in fresh])
    new_claims = [
        Claim(
            document=document,
            actor=actor,
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
            dates=record.dates,
            embedding=pack_embedding(record.embedding),
            embedding_version=record.embedding_version if record.embedding is not None else "",
            extractor_version=version,
        )
        for record, actor in zip(fresh, actors, strict=True)
    ]
    Claim.objects.bulk_create(new_claims, ignore_conflicts=True)
    return list(Claim.objects.filter(document=document, extractor_version=version))


def _speaker_of(record: extraction.ClaimRecord, document: Document) -> Speaker | None:
    """Who the claim is by: the person or organisation named, the outlet for its own words,
    nobody when the text does not say."""
    kind = record.speaker_kind
    if kind in (Claim.SpeakerKind.PERSON, Claim.SpeakerKind.ORGANIZATION) and record.speaker:
        return Speaker(
            name=record.speaker,
            kind=kind,
            role=record.speaker_role,
            affiliation=getattr(record, "speaker_affiliation", ""),
        )
    if kind == Claim.SpeakerKind.OUTLET and document.outlet:
        return Speaker(name=document.outlet, kind=Claim.SpeakerKind.ORGANIZATION)
    return None


def _claims_remove_untouched_of_other_versions(*, document: Document, version: str) -> None:
    """Claims of an older engine go, unless a downstream app (the desk) needs them kept."""
    stale = Claim.objects.filter(document=document).exclude(extractor_version=version)
    kept = Q(pk__in=[])
    for claim_ids in on_claims_retiring.announce(claims=stale):
        kept |= Q(pk__in=claim_ids)
    stale.exclude(kept).delete()


def pack_embedding(values: list[float] | None) -> bytes | None:
    return None if values is None else array("f", values).tobytes()


def unpack_embedding(blob: bytes | None) -> list[float] | None:
    if blob is None:
        return None
    values = array("f")
    values.frombytes(bytes(blob))
    return values.tolist()
