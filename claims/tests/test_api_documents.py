import pytest
from django.test import override_settings

from claims.models import Document
from claims.tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def post_document(client, payload, capture):
    with capture(execute=True) as callbacks:
        response = client.post("/api/v1/documents/", payload, format="json")
    return response, callbacks


def test_posting_an_article_stores_it_and_extracts_its_claims(
    reviewer_client, sample_article, django_capture_on_commit_callbacks
):
    response, _ = post_document(
        reviewer_client,
        {
            "title": "Port traffic",
            "text": sample_article,
            "outlet": "Harbour Times",
            "url": "https://harbour-times.example/port",
            "published_at": "2026-11-03T09:00:00Z",
        },
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["id"])
    assert document.extraction_status == Document.ExtractionStatus.EXTRACTED
    assert document.outlet == "Harbour Times"
    claims = reviewer_client.get(f"/api/v1/claims/?document={document.pk}").json()["results"]
    assert claims, "the article's figures and quotes should give claims"
    for claim in claims:
        assert sample_article[claim["start"] : claim["end"]] == claim["text"]
    detail = reviewer_client.get(f"/api/v1/documents/{document.pk}/").json()
    assert {c["id"] for c in detail["claims"]} == {c["id"] for c in claims}


def test_the_same_content_posted_twice_is_one_document_and_one_job(
    reviewer_client, sample_article, django_capture_on_commit_callbacks
):
    first, first_jobs = post_document(
        reviewer_client, {"title": "A", "text": sample_article}, django_capture_on_commit_callbacks
    )
    rewrapped = sample_article.replace("\n\n", "\n")
    second, second_jobs = post_document(
        reviewer_client, {"title": "A again", "text": rewrapped}, django_capture_on_commit_callbacks
    )

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    # Matching (downstream) also enqueues its work on the extracted claims after commit.
    extractions = [
        [job for job in jobs if not getattr(job, "__module__", "").startswith("matching")]
        for jobs in (first_jobs, second_jobs)
    ]
    assert [len(jobs) for jobs in extractions] == [1, 0]
    assert Document.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_refused_with_a_message(reviewer_client, text):
    response = reviewer_client.post("/api/v1/documents/", {"text": text}, format="json")

    assert response.status_code == 400
    assert "text" in response.json()
    assert Document.objects.count() == 0


@override_settings(FACTDESK_MAX_DOCUMENT_CHARS=1000)
def test_an_oversized_document_is_refused_and_nothing_is_stored(reviewer_client):
    response = reviewer_client.post("/api/v1/documents/", {"text": "a" * 1001}, format="json")

    assert response.status_code == 400
    assert "limit is 1,000" in response.json()["text"][0]
    assert Document.objects.count() == 0


def test_the_default_limit_refuses_a_million_and_one_characters(reviewer_client):
    response = reviewer_client.post("/api/v1/documents/", {"text": "a" * 1_000_001}, format="json")

    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_writes_and_reads_need_authentication(anonymous_client):
    assert (
        anonymous_client.post("/api/v1/documents/", {"text": "x"}, format="json").status_code == 401
    )
    assert anonymous_client.get("/api/v1/documents/").status_code == 401
    assert anonymous_client.get("/api/v1/claims/").status_code == 401
    assert Document.objects.count() == 0


def test_a_session_login_can_use_the_api(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/api/v1/documents/").status_code == 200


def test_document_list_uses_a_fixed_number_of_queries(
    reviewer_client, django_assert_max_num_queries
):
    for document in DocumentFactory.create_batch(30):
        ClaimFactory(document=document)
    with django_assert_max_num_queries(4):
        response = reviewer_client.get("/api/v1/documents/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 30
    assert all(item["claim_count"] == 1 for item in body["results"])
    assert "text" not in body["results"][0] and "raw_html" not in body["results"][0]


def test_document_detail_includes_claims_in_a_fixed_number_of_queries(
    reviewer_client, django_assert_max_num_queries
):
    document = DocumentFactory()
    for start in range(5):
        ClaimFactory(document=document, start=start, end=start + 10)
    with django_assert_max_num_queries(4):
        response = reviewer_client.get(f"/api/v1/documents/{document.pk}/")

    assert response.status_code == 200
    assert response.json()["text"] == document.text
    assert len(response.json()["claims"]) == 5
