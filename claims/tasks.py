from celery import shared_task

from claims import ingestion
from claims.services import document_extract


@shared_task(acks_late=True, ignore_result=True)
def extract_document(document_id: int) -> None:
    document_extract(document_id=document_id)


@shared_task(acks_late=True, ignore_result=True)
def source_poll(source_id: int) -> None:
    ingestion.source_poll(source_id=source_id)


@shared_task(acks_late=True, ignore_result=True)
def document_fetch(fetch_id: int) -> None:
    ingestion.document_fetch_run(fetch_id=fetch_id)


@shared_task(ignore_result=True)
def ingestion_sweep() -> None:
    ingestion.ingestion_sweep()
