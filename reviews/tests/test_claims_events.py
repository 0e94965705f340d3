"""What the desk does when `claims` announces (claims.events), through the real services."""

import pytest

from claims import extraction, services
from claims.models import Claim, Document
from claims.tests.factories import ClaimFactory, claim_rows, ingest
from reviews.models import Review
from reviews.tests.factories import EvidenceLinkFactory

pytestmark = pytest.mark.django_db


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
