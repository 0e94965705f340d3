"""`claims` announces what it stored (claims.events) inside the transaction that stored it,
without knowing who listens."""

import pytest
from django.db import connection

from claims import services
from claims.events import on_claims_retiring, on_claims_stored, on_document_joined_story
from claims.models import Claim, Document
from claims.tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listen():
    added = []

    def subscribe(event, subscriber):
        event.subscribe(subscriber)
        added.append((event, subscriber))

    yield subscribe
    for event, subscriber in added:
        event.unsubscribe(subscriber)


def test_stored_claims_are_announced_inside_the_extraction_transaction(listen, sample_article):
    heard = []
    listen(
        on_claims_stored,
        lambda *, claims: heard.append(
            (
                {c.pk for c in claims},
                connection.in_atomic_block,
                claims[0].document.extraction_status,
            )
        ),
    )
    document = services.document_ingest(text=sample_article, extract=False).document
    depth = connection.in_atomic_block

    services.document_extract(document_id=document.pk)

    stored = set(Claim.objects.filter(document=document).values_list("pk", flat=True))
    assert len(heard) == 1
    assert heard[0][0] == stored and stored
    assert heard[0][1] is True and depth is True  # pytest's transaction, plus the extraction's


def test_a_document_joining_a_story_is_announced_inside_the_ingest(listen, sample_article):
    heard = []
    listen(
        on_document_joined_story,
        lambda *, document_ids: heard.append(
            (list(document_ids), Document.objects.get(pk=document_ids[0]).story_id)
        ),
    )
    original = services.document_ingest(text=sample_article, extract=False).document
    # As if stored before stories existed: the next copy adopts it into a new story.
    Document.objects.filter(pk=original.pk).update(story=None)

    copy = services.document_ingest(
        text=sample_article.replace("on Tuesday", "on Tuesday morning"), extract=False
    )

    assert copy.near_duplicate
    assert heard == [([original.pk], copy.document.story_id)]


def test_subscribers_decide_which_retiring_claims_stay(listen, sample_article):
    document = services.document_ingest(text=sample_article, extract=False).document
    kept = ClaimFactory(document=document, start=0, end=7, extractor_version="old")
    gone = ClaimFactory(document=document, start=8, end=15, extractor_version="old")
    listen(on_claims_retiring, lambda *, claims: claims.filter(pk=kept.pk).values("pk"))

    services.document_extract(document_id=document.pk)

    assert Claim.objects.filter(pk=kept.pk).exists()
    assert not Claim.objects.filter(pk=gone.pk).exists()
