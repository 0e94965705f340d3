"""Documents posted over REST are extracted, and URLs fetched, by a real Celery worker via Redis."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from claims.models import Claim, Document, DocumentFetch
from claims.tests.loopback import LoopbackSite
from factdesk.celery import app as celery_app

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL and a worker"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("sqlite")
        or not os.environ.get("DATABASE_URL"),
        reason="the worker shares the test database, which needs a server database",
    ),
]


@pytest.fixture
def celery_worker_process(transactional_db):
    """Starts `celery worker` against the test database; stops it afterwards."""
    database = settings.DATABASES["default"]
    test_database_url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{connection.settings_dict['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": test_database_url}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factdesk",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _wait_for_worker()
    yield worker
    worker.terminate()
    worker.wait(timeout=30)


def _wait_for_worker(timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if celery_app.control.ping(timeout=1):
            return
    raise AssertionError("the Celery worker did not answer a ping")


def test_a_posted_document_is_extracted_by_the_worker(
    celery_worker_process, reviewer_client, sample_article
):
    response = reviewer_client.post(
        "/api/v1/documents/", {"title": "Port", "text": sample_article}, format="json"
    )
    assert response.status_code == 201
    document_id = response.json()["id"]
    assert response.json()["extraction_status"] == Document.ExtractionStatus.PENDING

    deadline = time.monotonic() + 120
    document = Document.objects.get(pk=document_id)
    while document.extraction_status in ("pending", "extracting") and time.monotonic() < deadline:
        time.sleep(0.2)
        document.refresh_from_db()

    assert document.extraction_status == Document.ExtractionStatus.EXTRACTED
    assert Claim.objects.filter(document=document).exists()
    assert celery_worker_process.poll() is None, "the worker died"


@pytest.fixture
def loopback_site_allowed(monkeypatch):
    """A page server on 127.0.0.1 that the worker, started after this, is allowed to fetch."""
    monkeypatch.setenv("FACTDESK_FETCH_ALLOW_HOSTS", "127.0.0.1")
    site = LoopbackSite()
    site.start()
    yield site
    site.stop()


def test_a_posted_url_is_fetched_in_the_background_by_the_worker(
    loopback_site_allowed, celery_worker_process, reviewer_client, sample_article, settings
):
    settings.FACTDESK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    paragraphs = "".join(f"<p>{p}</p>" for p in sample_article.split("\n\n"))
    url = loopback_site_allowed.page(
        "/port", f"<html><body><article>{paragraphs}</article></body></html>"
    )

    response = reviewer_client.post("/api/v1/documents/", {"url": url}, format="json")

    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    deadline = time.monotonic() + 120
    fetch = DocumentFetch.objects.get(pk=response.json()["id"])
    while fetch.status in ("pending", "fetching") and time.monotonic() < deadline:
        time.sleep(0.2)
        fetch.refresh_from_db()

    assert fetch.status == DocumentFetch.Status.DONE, fetch.error
    assert fetch.document.text.startswith("Harbour officials said on Tuesday")
    assert loopback_site_allowed.requests == ["/port"]
