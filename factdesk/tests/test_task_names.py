"""Tasks are named `<entity>_<action>`; a message queued under a name from before the rename is
handed on to the task's new name."""

import pytest

from claims.models import Document
from factdesk.celery import app as celery_app

RENAMED = {
    "claims.tasks.extract_document": "claims.tasks.document_extract",
    "claims.tasks.document_fetch": "claims.tasks.document_fetch_run",
    "reviews.tasks.deliver_webhook": "reviews.tasks.webhook_deliver",
}


def test_old_and_new_names_are_registered():
    celery_app.loader.import_default_modules()
    for old, new in RENAMED.items():
        assert old in celery_app.tasks and new in celery_app.tasks


@pytest.mark.django_db
def test_a_message_under_the_old_name_still_extracts(sample_article):
    from claims import services

    document = services.document_ingest(text=sample_article, extract=False).document
    assert document.extraction_status == Document.ExtractionStatus.PENDING

    celery_app.loader.import_default_modules()
    celery_app.tasks["claims.tasks.extract_document"].delay(document.pk)

    document.refresh_from_db()
    assert document.extraction_status == Document.ExtractionStatus.EXTRACTED
