"""Thin Celery tasks of ingestion and extraction, named `<entity>_<action>` like the services."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from claims import ingestion, services

# A database that went away mid-task: try again shortly rather than leave the row stranded
# (the sweep is the net under this).
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": DATABASE_DOWN,
    "retry_backoff": 5,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 6,
}
DOCUMENT_TASK_LIMITS = {
    "time_limit": settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT,
    "soft_time_limit": max(1, settings.FACTDESK_DOCUMENT_TASK_TIME_LIMIT - 10),
}


@shared_task(acks_late=True, ignore_result=True, **RETRY, **DOCUMENT_TASK_LIMITS)
def document_extract(document_id: int) -> None:
    services.document_extract(document_id=document_id)


@shared_task(acks_late=True, ignore_result=True)
def source_poll(source_id: int) -> None:
    ingestion.source_poll(source_id=source_id)


@shared_task(acks_late=True, ignore_result=True, **RETRY, **DOCUMENT_TASK_LIMITS)
def document_fetch_run(fetch_id: int) -> None:
    ingestion.document_fetch_run(fetch_id=fetch_id)


@shared_task(ignore_result=True)
def ingestion_sweep() -> None:
    ingestion.ingestion_sweep()


# Names before the <entity>_<action> rename: a message queued under one of them (or a periodic
# task naming it) is handed on to the task's new name.


@shared_task(name="claims.tasks.extract_document", ignore_result=True)
def _extract_document_old_name(document_id: int) -> None:
    document_extract.delay(document_id)


@shared_task(name="claims.tasks.document_fetch", ignore_result=True)
def _document_fetch_old_name(fetch_id: int) -> None:
    document_fetch_run.delay(fetch_id)
