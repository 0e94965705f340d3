from datetime import UTC, datetime

import pytest

from claims import extraction, services
from claims.extraction import embeddings
from claims.models import Claim, Document
from claims.selectors import claim_embeddings
from claims.tests.factories import ClaimFactory, ingest

pytestmark = pytest.mark.django_db


def test_a_failing_engine_marks_the_document_failed_with_the_reason(monkeypatch, sample_article):
    document = ingest(sample_article)

    def broken(*args, **kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(extraction, "extract_claims", broken)
    result = services.document_extract(document_id=document.pk)

    assert result.extraction_status == Document.ExtractionStatus.FAILED
    assert "model file missing" in result.extraction_error
    assert not Claim.objects.filter(document=document).exists()


def test_each_stored_vector_keeps_the_version_of_the_model_that_made_it(sample_article):
    document = ingest(sample_article)
    services.document_extract(document_id=document.pk)
    versions = set(Claim.objects.filter(document=document).values_list("embedding_version"))
    assert versions == {(embeddings.embedding_version(),)}
    other = ClaimFactory(embedding_version="all-MiniLM-L6-v2/torch-fp32/1")
    comparable = claim_embeddings(version=embeddings.embedding_version())
    assert other.pk not in {pk for pk, _ in comparable}
    assert {pk for pk, _ in comparable} == set(
        Claim.objects.filter(document=document).values_list("pk", flat=True)
    )


def test_embeddings_round_trip_through_storage():
    values = [0.25, -1.5, 3.0]
    assert services.unpack_embedding(services.pack_embedding(values)) == values
    assert services.pack_embedding(None) is None


def test_dates_in_a_claim_are_stored_resolved_against_the_article_date():
    document = services.document_ingest(
        text=(
            "The harbour authority said last week that 12,400 containers passed through "
            "the port in October, up 8 percent on a year earlier."
        ),
        outlet="Harbour Times",
        published_at=datetime(2026, 11, 10, 9, 0, tzinfo=UTC),
    ).document

    services.document_extract(document_id=document.pk)

    claim = Claim.objects.get(document=document)
    resolved = {date["text"]: date["resolved"] for date in claim.dates}
    assert resolved["last week"] == "2026-11-03"
    assert resolved["October"] == "2026-10"
