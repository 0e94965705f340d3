from celery import shared_task

from claims.services import document_extract


@shared_task(acks_late=True, ignore_result=True)
def extract_document(document_id: int) -> None:
    document_extract(document_id=document_id)
