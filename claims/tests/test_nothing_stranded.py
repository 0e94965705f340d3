"""Nothing is stranded: the sweep brings back documents and fetches whose worker or broker failed,
and a broker that is down never turns a stored document into an error."""

import logging
import socket
import time
from datetime import timedelta

import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from claims import ingestion
from claims.models import Claim, Document, DocumentFetch
from claims.services import document_extract, document_ingest
from factdesk.celery import FactDeskTask

pytestmark = pytest.mark.django_db

TEXT = (
    "The regional water board said on Monday that 3,400 households lost supply for six hours.\n\n"
    "Board chair Imre Kasza said the main pipe would be replaced by 2027 at a cost of 12 million."
)


def _age(model, pk: int, **delta: float) -> None:
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - timedelta(**delta))


def test_the_default_periods_bring_a_stranded_document_back_within_minutes():
    assert settings.FACTDESK_SWEEP_SECONDS <= 60
    assert settings.FACTDESK_PENDING_SWEEP_SECONDS + settings.FACTDESK_SWEEP_SECONDS <= 120
    assert settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT + settings.FACTDESK_SWEEP_SECONDS <= 5 * 60
    beat = settings.CELERY_BEAT_SCHEDULE["ingestion-sweep"]
    assert beat["schedule"] == settings.FACTDESK_SWEEP_SECONDS


def test_a_document_left_extracting_by_a_dead_worker_is_extracted_once_by_the_sweep(
    django_capture_on_commit_callbacks,
):
    document = document_ingest(text=TEXT, extract=False).document
    Document.objects.filter(pk=document.pk).update(extraction_status="extracting")
    limit = settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT
    _age(Document, document.pk, seconds=limit - 30)

    with django_capture_on_commit_callbacks(execute=True):
        early = ingestion.ingestion_sweep()
    assert early.extractions == 0, "a task still inside its time limit may be running"

    _age(Document, document.pk, seconds=limit + 5)
    with django_capture_on_commit_callbacks(execute=True):
        swept = ingestion.ingestion_sweep()

    document.refresh_from_db()
    assert swept.extractions == 1
    assert document.extraction_status == Document.ExtractionStatus.EXTRACTED
    claims = list(Claim.objects.filter(document=document).values_list("start", "end"))
    assert claims and len(claims) == len(set(claims))

    # Running the extraction again, as a late redelivery of the lost message would, adds nothing.
    document_extract(document_id=document.pk)
    Document.objects.filter(pk=document.pk).update(extraction_status="extracting")
    document_extract(document_id=document.pk)
    assert sorted(Claim.objects.filter(document=document).values_list("start", "end")) == sorted(
        claims
    )


def test_a_pending_document_is_enqueued_again_after_a_minute_not_before(
    django_capture_on_commit_callbacks,
):
    document = document_ingest(text=TEXT, extract=False).document
    _age(Document, document.pk, seconds=20)
    with django_capture_on_commit_callbacks(execute=False) as none:
        assert ingestion.ingestion_sweep().extractions == 0
    assert none == []
    _age(Document, document.pk, seconds=61)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert ingestion.ingestion_sweep().extractions == 1
    assert len(callbacks) == 1


def test_a_fetch_left_fetching_by_a_dead_worker_is_retried_after_the_time_limit(
    django_capture_on_commit_callbacks,
):
    fetch = DocumentFetch.objects.create(
        url="https://news.example/a", canonical_url="https://news.example/a", status="fetching"
    )
    fetch.attempts = 1
    fetch.save()
    _age(DocumentFetch, fetch.pk, seconds=90)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert ingestion.ingestion_sweep().fetches == 0
    _age(DocumentFetch, fetch.pk, seconds=settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT + 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert ingestion.ingestion_sweep().fetches == 1
    assert len(callbacks) == 1


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_enqueueing_with_the_broker_down_is_logged_not_raised(caplog):
    """A real Redis client against a closed port, with the project's broker settings."""
    app = Celery("broker-down", task_cls=FactDeskTask, set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = f"redis://127.0.0.1:{_dead_port()}/0"
    app.conf.task_always_eager = False

    @app.task(name="broker_down.ping")
    def ping(number: int) -> int:
        return number

    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="factdesk.tasks"):
        result = ping.delay(7)

    assert result is None
    assert time.monotonic() - started < 10
    assert "Could not enqueue broker_down.ping(7,): the broker is unreachable" in caplog.text


def test_a_duplicate_message_while_another_worker_extracts_is_dropped(
    django_capture_on_commit_callbacks,
):
    document = document_ingest(text=TEXT, extract=False).document
    Document.objects.filter(pk=document.pk).update(extraction_status="extracting")

    document_extract(document_id=document.pk)

    assert not Claim.objects.filter(document=document).exists()
    _age(Document, document.pk, seconds=settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT + 1)
    with django_capture_on_commit_callbacks(execute=True):
        ingestion.ingestion_sweep()  # the other worker died: pending again, and extracted
    document.refresh_from_db()
    assert document.extraction_status == Document.ExtractionStatus.EXTRACTED
    assert Claim.objects.filter(document=document).exists()
