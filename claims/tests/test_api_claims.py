import pytest

from claims.models import Claim
from claims.tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def result_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_claims_filter_by_document_score_and_type(reviewer_client):
    document, other = DocumentFactory(), DocumentFactory()
    high = ClaimFactory(document=document, start=0, end=5, score=0.9)
    low_quote = ClaimFactory(
        document=document, start=6, end=12, score=0.2, claim_type=Claim.ClaimType.QUOTE
    )
    elsewhere = ClaimFactory(document=other, score=0.95)

    assert result_ids(reviewer_client.get(f"/api/v1/claims/?document={document.pk}")) == {
        high.pk,
        low_quote.pk,
    }
    assert result_ids(reviewer_client.get("/api/v1/claims/?min_score=0.5")) == {
        high.pk,
        elsewhere.pk,
    }
    assert result_ids(reviewer_client.get("/api/v1/claims/?type=quote")) == {low_quote.pk}
    assert reviewer_client.get("/api/v1/claims/?type=nonsense").status_code == 400


def test_claims_are_listed_most_check_worthy_first(reviewer_client):
    scores = [0.3, 0.9, 0.6]
    for score in scores:
        ClaimFactory(score=score)

    results = reviewer_client.get("/api/v1/claims/").json()["results"]

    assert [c["score"] for c in results] == sorted(scores, reverse=True)


def test_claim_list_uses_a_fixed_number_of_queries(reviewer_client, django_assert_max_num_queries):
    ClaimFactory.create_batch(40)
    # The token, the caller's roles, the count, the page with documents and actors, disputes,
    # their claims: whatever the number of claims.
    with django_assert_max_num_queries(6):
        response = reviewer_client.get("/api/v1/claims/")

    assert response.json()["count"] == 40
    assert response.json()["results"][0]["outlet"] == "Harbour Times"
