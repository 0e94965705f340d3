"""Every write of ingestion: sources and schedules, polls and runs, URL fetches, the sweep.

Articles are stored by `services.documents_ingest`; this module gets them there from feeds,
URLs and files, and records what happened. Nothing here stops on one bad item.
"""

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from claims.ingest.feeds import FeedInvalid
from claims.ingest.fetch import (
    FetchError,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    check_url,
    fetch,
)
from claims.ingest.files import UnreadableFile, fetched_items
from claims.ingest.html import ArticleNotFound
from claims.ingest.records import ArticleRecord, IngestItem, LinkToFetch, ReadFailure
from claims.ingest.urls import canonicalize_url
from claims.models import Document, DocumentFetch, IngestionRun, Source
from claims.selectors import document_at_url
from claims.services import (
    DocumentRejected,
    IngestResult,
    document_enqueue_extraction,
    documents_ingest,
)

logger = logging.getLogger(__name__)

POLLED_KINDS = frozenset({Source.Kind.FEED, Source.Kind.URL})
POLL_TASK = "claims.tasks.source_poll"
MAX_RUN_ERRORS = 200
MAX_FETCH_ATTEMPTS = 3
BATCH_SIZE = 500
SWEEP_BATCH = 1000
READ_ERRORS = (FetchError, FeedInvalid, ArticleNotFound, UnreadableFile)


class ItemFailed(Exception):
    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


@dataclass
class IngestTally:
    """What an ingestion saw: items read, new, duplicate (and how many new were near copies)."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, result: IngestResult) -> None:
        self.read += 1
        if result.created:
            self.new += 1
            self.near_duplicate += result.near_duplicate
        else:
            self.duplicate += 1

    def add_failure(self, origin: str, reason: str) -> None:
        self.read += 1
        self.failed += 1
        if len(self.errors) < MAX_RUN_ERRORS:
            self.errors.append({"item": origin, "reason": reason})


def fetch_policy() -> FetchPolicy:
    """The fetch limits and allowed hosts from settings (`FACTDESK_FETCH_*`)."""
    return FetchPolicy.build(
        allow_hosts=settings.FACTDESK_FETCH_ALLOW_HOSTS,
        max_bytes=settings.FACTDESK_FETCH_MAX_BYTES,
        connect_timeout=settings.FACTDESK_FETCH_CONNECT_TIMEOUT,
        total_timeout=settings.FACTDESK_FETCH_TIMEOUT,
        max_redirects=settings.FACTDESK_FETCH_MAX_REDIRECTS,
    )


def url_items(url: str, *, policy: FetchPolicy) -> list[IngestItem]:
    """What a URL holds: a feed's entries, or the one article on the page."""
    try:
        return fetched_items(fetch(url, policy=policy))
    except READ_ERRORS as error:
        return [ReadFailure(url, _reason(error))]


def items_ingest(
    *,
    items: Iterable[IngestItem],
    policy: FetchPolicy,
    tally: IngestTally,
    source: Source | None = None,
    created_by: AbstractBaseUser | None = None,
    extract: bool = True,
    on_item: Callable[[], None] | None = None,
) -> IngestTally:
    """Ingests each item, counting each outcome in `tally`.

    Links are fetched first (a link already stored is not fetched again); the articles are
    then stored `BATCH_SIZE` at a time, each batch in one transaction.
    """
    batch: list[ArticleRecord] = []
    for item in items:
        try:
            found = _item_article(item, policy=policy)
        except ItemFailed as failure:
            tally.add_failure(failure.origin, failure.reason)
        else:
            if isinstance(found, IngestResult):
                tally.add(found)
            else:
                batch.append(found)
        if len(batch) >= BATCH_SIZE:
            _batch_store(batch, tally=tally, source=source, created_by=created_by, extract=extract)
            batch = []
        if on_item is not None:
            on_item()
    _batch_store(batch, tally=tally, source=source, created_by=created_by, extract=extract)
    return tally


def item_ingest(
    *,
    item: IngestItem,
    policy: FetchPolicy,
    source: Source | None = None,
    created_by: AbstractBaseUser | None = None,
    extract: bool = True,
) -> IngestResult:
    """Stores one item; a link already stored is not fetched again. Raises `ItemFailed`."""
    found = _item_article(item, policy=policy)
    if isinstance(found, IngestResult):
        return found
    (outcome,) = documents_ingest(
        articles=[found], source=source, created_by=created_by, extract=extract
    )
    if isinstance(outcome, DocumentRejected):
        raise ItemFailed(found.origin, str(outcome))
    return outcome


def _item_article(item: IngestItem, *, policy: FetchPolicy) -> ArticleRecord | IngestResult:
    """The article an item holds, fetched if need be, or the stored document of a known link."""
    if isinstance(item, ReadFailure):
        raise ItemFailed(item.origin, item.reason)
    if isinstance(item, LinkToFetch):
        known = document_at_url(url=item.url, canonical_url=canonicalize_url(item.url))
        if known is not None:
            return IngestResult(document=known, created=False)
        return _article_at(item, policy=policy)
    return item


def _batch_store(
    batch: list[ArticleRecord],
    *,
    tally: IngestTally,
    source: Source | None,
    created_by: AbstractBaseUser | None,
    extract: bool,
) -> None:
    if not batch:
        return
    outcomes = documents_ingest(
        articles=batch, source=source, created_by=created_by, extract=extract
    )
    for article, outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, DocumentRejected):
            tally.add_failure(article.origin, str(outcome))
        else:
            tally.add(outcome)


def _article_at(link: LinkToFetch, *, policy: FetchPolicy) -> ArticleRecord:
    try:
        found = fetched_items(fetch(link.url, policy=policy))
    except READ_ERRORS as error:
        raise ItemFailed(link.url, _reason(error)) from None
    articles = [item for item in found if isinstance(item, ArticleRecord)]
    if len(articles) != 1:
        raise ItemFailed(link.url, "the link does not lead to one article")
    article = articles[0]
    return replace(
        article,
        url=link.url,
        title=article.title or link.title,
        outlet=link.outlet or article.outlet,
        author=article.author or link.author,
        published_at=article.published_at or link.published_at,
    )


def _reason(error: Exception) -> str:
    return getattr(error, "reason", "") or str(error)


# Sources and their schedules


def source_create(
    *,
    name: str,
    url: str,
    kind: str = Source.Kind.FEED,
    poll_interval_minutes: int = 30,
    active: bool = True,
) -> Source:
    source = Source(
        name=name, url=url, kind=kind, poll_interval_minutes=poll_interval_minutes, active=active
    )
    return source_save(source=source)


def source_save(*, source: Source) -> Source:
    """Saves a source and keeps its beat schedule in step (interval, enabled, arguments)."""
    with transaction.atomic():
        source.save()
        source_schedule_sync(source=source)
    return source


def source_delete(*, source: Source) -> None:
    with transaction.atomic():
        task_id = source.poll_task_id
        source.delete()
        if task_id is not None:
            PeriodicTask.objects.filter(pk=task_id).delete()


def source_schedule_sync(*, source: Source) -> None:
    """A periodic task polls each feed or URL source every `poll_interval_minutes` while active."""
    polled = source.kind in POLLED_KINDS and bool(source.url)
    if not polled and source.poll_task_id is None:
        return
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=max(1, source.poll_interval_minutes), period=IntervalSchedule.MINUTES
    )
    task = source.poll_task or PeriodicTask(task=POLL_TASK)
    task.name = f"Poll source #{source.pk}: {source.name}"[:200]
    task.interval = interval
    task.args = json.dumps([source.pk])
    task.enabled = polled and source.active
    task.description = f"Polls {source.url} for new articles (FactDesk source #{source.pk})."
    task.save()
    if source.poll_task_id != task.pk:
        source.poll_task = task
        Source.objects.filter(pk=source.pk).update(poll_task=task)


def source_poll_enqueue(*, source: Source) -> None:
    from claims.tasks import source_poll as source_poll_task

    source_poll_task.delay_on_commit(source.pk)


def source_poll(*, source_id: int) -> IngestionRun | None:
    """Polls one source once and records the run; a failure is recorded, never raised."""
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return None
    run = IngestionRun.objects.create(source=source)
    tally = IngestTally()
    try:
        _source_ingest(source=source, tally=tally)
    except Exception as error:
        logger.exception("Polling source %s failed", source_id)
        tally.add_failure(source.url, f"internal error: {type(error).__name__}: {error}")
    run.status = _run_status(tally)
    run.finished_at = timezone.now()
    run.fetched = tally.read
    run.new = tally.new
    run.duplicate = tally.duplicate
    run.near_duplicate = tally.near_duplicate
    run.failed = tally.failed
    run.errors = tally.errors
    run.save()
    Source.objects.filter(pk=source.pk).update(last_polled_at=run.finished_at)
    return run


def _source_ingest(*, source: Source, tally: IngestTally) -> None:
    policy = fetch_policy()
    if source.kind == Source.Kind.URL:
        items: list[IngestItem] = [LinkToFetch(origin=source.url, url=source.url)]
    else:
        items = url_items(source.url, policy=policy)
    limit = settings.FACTDESK_FEED_MAX_ITEMS
    if len(items) > limit:
        tally.errors.append(
            {
                "item": source.url,
                "reason": f"the feed has {len(items):,} items; the first {limit:,} were read "
                "(FACTDESK_FEED_MAX_ITEMS)",
            }
        )
        items = items[:limit]
    items_ingest(items=items, policy=policy, tally=tally, source=source)


def _run_status(tally: IngestTally) -> str:
    if not tally.failed:
        return IngestionRun.Status.SUCCEEDED
    if tally.new or tally.duplicate:
        return IngestionRun.Status.PARTIAL
    return IngestionRun.Status.FAILED


# Articles by URL, fetched in the background


@dataclass(frozen=True)
class FetchRequested:
    """Either the document is already stored, or a background fetch will store it."""

    document: Document | None = None
    fetch: DocumentFetch | None = None


def document_fetch_request(
    *, url: str, requested_by: AbstractBaseUser | None = None
) -> FetchRequested:
    """Asks for the article at `url`: the stored one, a fetch in progress, or a new fetch.

    Raises `DocumentRejected` for a URL that would never be fetched (scheme, internal address).
    """
    canonical_url = canonicalize_url(url)
    known = document_at_url(url=url, canonical_url=canonical_url)
    if known is not None:
        return FetchRequested(document=known)
    try:
        check_url(url, policy=fetch_policy())
    except FetchRefused as error:
        raise DocumentRejected(f"The URL is refused: {error.reason}.") from None
    except FetchFailed:
        pass  # e.g. the name does not resolve right now; the fetch will retry and say why
    in_progress = _fetch_in_progress(canonical_url=canonical_url)
    if in_progress is not None:
        return FetchRequested(fetch=in_progress)
    try:
        # The constraint `documentfetch_one_in_progress_per_url` keeps concurrent posts of one
        # URL to one fetch: whoever loses the race answers with the winner's fetch.
        with transaction.atomic():
            pending = DocumentFetch.objects.create(
                url=url, canonical_url=canonical_url, requested_by=requested_by
            )
    except IntegrityError:
        in_progress = _fetch_in_progress(canonical_url=canonical_url)
        if in_progress is None:
            raise
        return FetchRequested(fetch=in_progress)
    _fetch_enqueue(fetch_id=pending.pk)
    return FetchRequested(fetch=pending)


def _fetch_in_progress(*, canonical_url: str) -> DocumentFetch | None:
    return DocumentFetch.objects.filter(
        canonical_url=canonical_url,
        status__in=[DocumentFetch.Status.PENDING, DocumentFetch.Status.FETCHING],
    ).first()


def document_fetch_run(*, fetch_id: int) -> DocumentFetch:
    """Fetches and stores the article of one fetch request; safe to run twice."""
    with transaction.atomic():
        pending = DocumentFetch.objects.select_for_update().get(pk=fetch_id)
        if pending.status in {DocumentFetch.Status.DONE, DocumentFetch.Status.FAILED}:
            return pending
        pending.status = DocumentFetch.Status.FETCHING
        pending.attempts = F("attempts") + 1
        pending.save(update_fields=["status", "attempts", "updated_at"])
    pending.refresh_from_db()
    link = LinkToFetch(origin=pending.url, url=pending.url)
    try:
        result = item_ingest(item=link, policy=fetch_policy(), created_by=pending.requested_by)
    except ItemFailed as failure:
        pending.status = DocumentFetch.Status.FAILED
        pending.error = failure.reason[:2000]
    else:
        pending.status = DocumentFetch.Status.DONE
        pending.document = result.document
        pending.error = ""
    pending.save(update_fields=["status", "error", "document", "updated_at"])
    return pending


def _fetch_enqueue(*, fetch_id: int) -> None:
    from claims.tasks import document_fetch_run

    document_fetch_run.delay_on_commit(fetch_id)


# The sweep


@dataclass(frozen=True)
class SweepResult:
    extractions: int
    fetches: int
    abandoned: int
    unfinished_runs: int


def ingestion_sweep(
    *, pending_after_seconds: int | None = None, stuck_after_seconds: int | None = None
) -> SweepResult:
    """Re-enqueues documents and fetches left behind, so that nothing is stranded.

    Left pending past `pending_after_seconds` (default `FACTDESK_PENDING_SWEEP_SECONDS`): the
    broker was down when they were stored, or the message was lost. Left extracting or fetching
    past `stuck_after_seconds` (default `FACTDESK_DOCUMENT_TASK_TIME_LIMIT`, the time limit
    that would have killed the task): the worker died under them. A poll still running past the
    task time limit lost its worker too: its run is closed as failed. Extraction and fetching
    are idempotent, so a document enqueued twice is still extracted once.
    """
    now = timezone.now()
    pending_cutoff = now - timedelta(
        seconds=pending_after_seconds or settings.FACTDESK_PENDING_SWEEP_SECONDS
    )
    stuck_cutoff = now - timedelta(
        seconds=stuck_after_seconds or settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT
    )
    with transaction.atomic():
        stuck_documents = list(
            Document.objects.select_for_update(skip_locked=True)
            .filter(
                Q(
                    extraction_status=Document.ExtractionStatus.PENDING,
                    updated_at__lt=pending_cutoff,
                )
                | Q(
                    extraction_status=Document.ExtractionStatus.EXTRACTING,
                    updated_at__lt=stuck_cutoff,
                )
            )
            .order_by("updated_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        # Pending again, so that the task enqueued now runs although the dead worker's
        # document still said extracting.
        Document.objects.filter(pk__in=stuck_documents).update(
            extraction_status=Document.ExtractionStatus.PENDING, updated_at=now
        )
        stuck_fetches = DocumentFetch.objects.select_for_update(skip_locked=True).filter(
            Q(status=DocumentFetch.Status.PENDING, updated_at__lt=pending_cutoff)
            | Q(status=DocumentFetch.Status.FETCHING, updated_at__lt=stuck_cutoff)
        )
        abandoned = stuck_fetches.filter(attempts__gte=MAX_FETCH_ATTEMPTS).update(
            status=DocumentFetch.Status.FAILED,
            error=f"gave up after {MAX_FETCH_ATTEMPTS} attempts",
            updated_at=now,
        )
        retried = list(
            stuck_fetches.order_by("updated_at").values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        DocumentFetch.objects.filter(pk__in=retried).update(updated_at=now)
        unfinished_runs = IngestionRun.objects.filter(
            status=IngestionRun.Status.RUNNING,
            started_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
        ).update(
            status=IngestionRun.Status.FAILED,
            finished_at=now,
            errors=[{"item": "", "reason": "the poll did not finish: its worker stopped"}],
        )
        for document_id in stuck_documents:
            document_enqueue_extraction(document_id=document_id)
        for fetch_id in retried:
            _fetch_enqueue(fetch_id=fetch_id)
    if stuck_documents or retried or abandoned or unfinished_runs:
        logger.info(
            "Sweep: %s extractions and %s fetches enqueued again, %s fetches abandoned, "
            "%s polls closed",
            len(stuck_documents),
            len(retried),
            abandoned,
            unfinished_runs,
        )
    return SweepResult(
        extractions=len(stuck_documents),
        fetches=len(retried),
        abandoned=abandoned,
        unfinished_runs=unfinished_runs,
    )
