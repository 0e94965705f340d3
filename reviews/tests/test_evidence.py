from datetime import timedelta

import pytest
from django.utils import timezone

from claims.tests.factories import ClaimFactory
from conftest import client_for, make_user
from reviews.models import EvidenceLink, Review
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def held_claim(reviewer):
    """A claim whose review the reviewer holds: evidence goes on the work someone holds."""
    return ReviewFactory(
        state=Review.State.IN_REVIEW,
        assignee=reviewer,
        locked_until=timezone.now() + timedelta(minutes=30),
    ).claim


def test_evidence_needs_an_http_url_or_a_document(reviewer_client, reviewer):
    claim = held_claim(reviewer)
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
    reviewer_client, editor_client, editor, reviewer
):
    claim = held_claim(reviewer)
    url = f"/api/v1/claims/{claim.pk}/evidence/"
    evidence = {"url": "https://stats.example/t7", "stance": "refutes"}
    outsider = client_for(make_user("otto", "api-client"))  # a role, but not a desk role

    refused = outsider.post(url, evidence, format="json")

    assert refused.status_code == 403
    assert refused.json().pop("request_id") == refused["X-Request-ID"]
    assert {k: v for k, v in refused.json().items() if k != "request_id"} == {
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


def test_over_rest_evidence_needs_the_holder_and_the_current_version(
    reviewer_client, second_reviewer, editor_client, reviewer
):
    claim = held_claim(second_reviewer)
    url = f"/api/v1/claims/{claim.pk}/evidence/"
    evidence = {"url": "https://stats.example/t7", "stance": "refutes"}

    not_held = reviewer_client.post(url, evidence, format="json")
    stale = editor_client.post(url, {**evidence, "version": 0}, format="json")
    off_the_desk = reviewer_client.post(
        f"/api/v1/claims/{ClaimFactory().pk}/evidence/", evidence, format="json"
    )

    assert (not_held.status_code, not_held.json()["error"]) == (409, "not_holder")
    assert (stale.status_code, stale.json()["error"]) == (409, "stale_version")
    assert (off_the_desk.status_code, off_the_desk.json()["error"]) == (409, "not_holder")
    assert not EvidenceLink.objects.exists()
    assert editor_client.post(url, {**evidence, "version": 1}, format="json").status_code == 201
