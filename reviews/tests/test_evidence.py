import pytest

from claims.tests.factories import ClaimFactory
from conftest import client_for, make_user
from reviews.models import EvidenceLink

pytestmark = pytest.mark.django_db


def test_evidence_needs_an_http_url_or_a_document(reviewer_client):
    claim = ClaimFactory()
    url = f"/api/v1/claims/{claim.pk}/evidence/"

    assert (
        reviewer_client.post(url, {"url": "javascript:alert(1)"}, format="json").status_code == 400
    )
    assert (
        reviewer_client.post(url, {"url": "ftp://files.example/x"}, format="json").status_code
        == 400
    )
    assert reviewer_client.post(url, {"stance": "refutes"}, format="json").status_code == 400
    response = reviewer_client.post(
        url,
        {"url": "https://stats.example/t7", "excerpt": "Table 7", "stance": "refutes"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["added_by"] == "rita"
    assert claim.evidence.count() == 1


def test_only_reviewers_and_editors_add_evidence_and_the_history_says_who(
    reviewer_client, editor_client, editor
):
    claim = ClaimFactory()
    url = f"/api/v1/claims/{claim.pk}/evidence/"
    evidence = {"url": "https://stats.example/t7", "stance": "refutes"}
    outsider = client_for(make_user("otto"))

    refused = outsider.post(url, evidence, format="json")

    assert refused.status_code == 403
    assert refused.json() == {
        "error": "permission_denied",
        "detail": "Only reviewers and editors can add evidence to a claim.",
    }
    assert not claim.evidence.exists()
    assert outsider.get(url).status_code == 200
    assert reviewer_client.post(url, evidence, format="json").status_code == 201
    assert (
        editor_client.post(url, {**evidence, "stance": "supports"}, format="json").status_code
        == 201
    )
    records = EvidenceLink.history.filter(claim_id=claim.pk).order_by("history_date")
    assert [(r.history_user.username, r.history_change_reason) for r in records] == [
        ("rita", "evidence added (refutes)"),
        (editor.username, "evidence added (supports)"),
    ]
