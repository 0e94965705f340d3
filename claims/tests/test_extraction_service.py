from datetime import UTC, datetime

import pytest

from claims import extraction, services
from claims.extraction import embeddings
from claims.models import Claim, Document
from claims.selectors import claim_embeddings
from claims.tests.factories import ClaimFactory, EvidenceLinkFactory
from reviews.models import Review

pytestmark = pytest.mark.django_db


def ingest(text: str) -> Document:
    return services.document_ingest(text=text, title="Port", outlet="Harbour Times").document


def claim_rows(document: Document) -> list[tuple]:
    return list(
        Claim.objects.filter(document=document)
        .order_by("start")
        .values_list("id", "start", "end", "text", "speaker", "score", "extractor_version")
    )


def test_extracting_twice_changes_nothing(sample_article):
    document = ingest(sample_article)
    services.document_extract(document_id=document.pk)
    first = claim_rows(document)
    reviews_first = list(Review.objects.values_list("id", "claim_id", "state"))

    services.document_extract(document_id=document.pk)
    document.extraction_status = Document.ExtractionStatus.PENDING
    document.save()
    services.document_extract(document_id=document.pk)

    assert first, "the sample article should yield claims"
    assert claim_rows(document) == first
    assert list(Review.objects.values_list("id", "claim_id", "state")) == reviews_first


def test_claims_at_or_above_the_threshold_enter_the_queue(sample_article, settings):
    settings.FACTDESK_QUEUE_THRESHOLD = 0.0
    document = ingest(sample_article)
    services.document_extract(document_id=document.pk)

    queued = Review.objects.filter(claim__document=document, state=Review.State.QUEUED)
    assert queued.count() == Claim.objects.filter(document=document).count()


def test_a_new_engine_replaces_untouched_claims_and_keeps_reviewed_ones(sample_article):
    document = ingest(sample_article)
    untouched = ClaimFactory(document=document, start=0, end=7, extractor_version="old")
    with_evidence = ClaimFactory(document=document, start=8, end=15, extractor_version="old")
    EvidenceLinkFactory(claim=with_evidence)
    in_review = ClaimFactory(document=document, start=16, end=20, extractor_version="old")
    Review.objects.create(claim=in_review, state=Review.State.IN_REVIEW)

    services.document_extract(document_id=document.pk)

    remaining_old = set(
        Claim.objects.filter(document=document, extractor_version="old").values_list(
            "pk", flat=True
        )
    )
    assert remaining_old == {with_evidence.pk, in_review.pk}
    assert not Claim.objects.filter(pk=untouched.pk).exists()
    assert Claim.objects.filter(document=document, extractor_version=extraction.EXTRACTOR_VERSION)


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
