from datetime import timedelta

import pytest
from django.utils import timezone

from claims import ingestion
from claims.ingest.records import ArticleRecord
from claims.models import Document, DocumentFetch, IngestionRun, Source, Story
from claims.services import DocumentRejected, document_ingest, documents_ingest
from claims.tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

STORY = (
    "The regional water board said on Thursday that reservoir levels had fallen to 41 percent "
    "of capacity, the lowest October reading since records began in 1976. A spokesperson for "
    "the board, Mara Lind, said households would be asked to cut use by a tenth from next month "
    "and that a hosepipe ban could follow in spring if rainfall stayed below average. Farmers' "
    "groups said irrigation limits had already cost growers an estimated 12 million euros."
)
OTHER_STORY = (
    "A city council vote on the new tram line was postponed for a second time after engineers "
    "raised doubts about the cost of moving underground cables. The mayor said the project "
    "remained on schedule for 2029 and that the budget of 380 million had not changed."
)


def syndicated(text: str) -> str:
    edited = text.replace("said on Thursday", "announced on Thursday")
    return f"Reservoirs at record low\n\n{edited}\n\nREAD MORE: Weekend weather"


def test_a_syndicated_copy_is_stored_and_joins_the_story_with_its_claims() -> None:
    original = document_ingest(text=STORY, title="Reservoirs low", outlet="Valley Gazette")
    copy = document_ingest(text=syndicated(STORY), title="Record low", outlet="Coast Wire")
    other = document_ingest(text=OTHER_STORY, title="Tram vote", outlet="Coast Wire")

    assert copy.created and copy.near_duplicate
    assert not other.near_duplicate
    assert copy.document.story_id == original.document.story_id
    assert other.document.story_id != original.document.story_id
    story = Story.objects.get(pk=original.document.story_id)
    assert sorted(story.documents.values_list("outlet", flat=True)) == [
        "Coast Wire",
        "Valley Gazette",
    ]
    claim = ClaimFactory(document=copy.document)
    assert claim.document.story == story


def test_the_same_page_under_a_tracking_url_is_a_duplicate() -> None:
    first = document_ingest(text=STORY, url="https://gazette.example/water?id=4")

    again = document_ingest(
        text=STORY + " Updated.",
        url="HTTPS://Gazette.example:443/water?utm_source=tw&id=4#comments",
    )

    assert not again.created
    assert again.document.pk == first.document.pk
    assert first.document.canonical_url == "https://gazette.example/water?id=4"


def test_the_same_text_re_wrapped_is_a_duplicate() -> None:
    first = document_ingest(text=STORY)

    again = document_ingest(text=STORY.replace(". ", ".\n\n"))

    assert (again.created, again.document.pk) == (False, first.document.pk)


def test_posting_a_url_answers_202_and_the_document_appears(
    reviewer_client, site, settings, django_capture_on_commit_callbacks
) -> None:
    settings.FACTDESK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    url = site.page("/water", f"<html><body><article><p>{STORY}</p></article></body></html>")

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post("/api/v1/documents/", {"url": url}, format="json")

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert response["Location"] == body["status_url"]
    followed = reviewer_client.get(body["status_url"]).json()
    assert followed["status"] == "done"
    document = Document.objects.get(pk=followed["document"])
    assert followed["document_url"].endswith(f"/api/v1/documents/{document.pk}/")
    assert document.text.startswith("The regional water board")
    assert document.created_by.username == "rita"

    again = reviewer_client.post("/api/v1/documents/", {"url": url}, format="json")
    assert (again.status_code, again.json()["id"]) == (200, document.pk)


def test_a_url_that_cannot_be_fetched_is_recorded_on_its_fetch(
    reviewer_client, site, settings, django_capture_on_commit_callbacks
) -> None:
    settings.FACTDESK_FETCH_ALLOW_HOSTS = ["127.0.0.1"]

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            "/api/v1/documents/", {"url": site.url("/gone")}, format="json"
        )

    fetch = DocumentFetch.objects.get(pk=response.json()["id"])
    assert (fetch.status, fetch.error) == (DocumentFetch.Status.FAILED, "HTTP 404 Not Found")


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/admin",
        "http://169.254.169.254/latest/",
        "http://[::1]/",
        "ftp://a.example/",
    ],
)
def test_posting_an_internal_or_non_http_url_is_refused(reviewer_client, url) -> None:
    response = reviewer_client.post("/api/v1/documents/", {"url": url}, format="json")

    assert response.status_code == 400
    assert response.json()["url"]
    assert not DocumentFetch.objects.exists()


def test_the_sweep_re_enqueues_what_was_left_pending(django_capture_on_commit_callbacks) -> None:
    stuck = document_ingest(text=STORY, extract=False).document
    fresh = document_ingest(text=OTHER_STORY, extract=False).document
    long_ago = timezone.now() - timedelta(hours=1)
    Document.objects.filter(pk=stuck.pk).update(updated_at=long_ago)
    lost_fetch = DocumentFetch.objects.create(
        url="http://127.0.0.1:9/lost", canonical_url="http://127.0.0.1:9/lost"
    )
    abandoned = DocumentFetch.objects.create(
        url="https://x.example/", canonical_url="https://x.example/", attempts=3
    )
    DocumentFetch.objects.update(updated_at=long_ago)
    source = Source.objects.create(name="Feed", url="https://feed.example/rss")
    lost_run = IngestionRun.objects.create(source=source)
    IngestionRun.objects.filter(pk=lost_run.pk).update(started_at=long_ago)
    live_run = IngestionRun.objects.create(source=source)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        swept = ingestion.ingestion_sweep(pending_after_seconds=15 * 60)

    assert (swept.extractions, swept.fetches, swept.abandoned, swept.unfinished_runs) == (
        1,
        1,
        1,
        1,
    )
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    lost_fetch.refresh_from_db()
    abandoned.refresh_from_db()
    assert stuck.extraction_status == Document.ExtractionStatus.EXTRACTED
    assert fresh.extraction_status == Document.ExtractionStatus.PENDING
    assert (lost_fetch.status, lost_fetch.attempts) == (DocumentFetch.Status.FAILED, 1)
    assert "loopback address" in lost_fetch.error
    assert abandoned.error == "gave up after 3 attempts"
    lost_run.refresh_from_db()
    live_run.refresh_from_db()
    assert (lost_run.status, live_run.status) == ("failed", "running")


def test_a_batch_catches_copies_within_itself_and_rejects_alone() -> None:
    articles = [
        ArticleRecord(origin="a", text=STORY, title="Original", url="https://a.example/1"),
        ArticleRecord(origin="b", text=STORY.replace(". ", ".\n"), title="Same text"),
        ArticleRecord(origin="c", text=OTHER_STORY, url="https://a.example/1?utm_source=x"),
        ArticleRecord(origin="d", text="   "),
        ArticleRecord(origin="e", text=syndicated(STORY), title="Copy"),
    ]

    original, same_text, same_url, empty, copy = documents_ingest(articles=articles)

    assert original.created and not original.near_duplicate
    assert (same_text.created, same_text.document) == (False, original.document)
    assert (same_url.created, same_url.document) == (False, original.document)
    assert isinstance(empty, DocumentRejected)
    assert copy.created and copy.near_duplicate
    assert copy.document.story_id == original.document.story_id
    assert Document.objects.count() == 2


def test_the_api_shows_a_story_and_lists_its_claims_across_outlets(reviewer_client) -> None:
    original = document_ingest(text=STORY, outlet="Valley Gazette", extract=False).document
    copy = document_ingest(text=syndicated(STORY), outlet="Coast Wire", extract=False).document
    other = document_ingest(text=OTHER_STORY, extract=False).document
    for document in (original, copy, other):
        ClaimFactory(document=document)

    detail = reviewer_client.get(f"/api/v1/documents/{copy.pk}/").json()
    claims = reviewer_client.get(f"/api/v1/claims/?story={original.story_id}").json()["results"]

    assert detail["story"] == original.story_id
    assert sorted(c["outlet"] for c in claims) == ["Coast Wire", "Valley Gazette"]
    assert {c["story"] for c in claims} == {original.story_id}


def test_fetch_list_queries_stay_constant(reviewer_client, django_assert_max_num_queries) -> None:
    for number in range(25):
        document = document_ingest(text=f"Fetched article {number} on tonnage.", extract=False)
        DocumentFetch.objects.create(
            url=f"https://n.example/{number}",
            canonical_url=f"https://n.example/{number}",
            status=DocumentFetch.Status.DONE,
            document=document.document,
        )

    with django_assert_max_num_queries(4):
        response = reviewer_client.get("/api/v1/document-fetches/")

    results = response.json()["results"]
    assert len(results) == 25
    assert all(r["document_url"].endswith(f"/documents/{r['document']}/") for r in results)
