"""Every endpoint against every kind of caller: anonymous, no role, reviewer, editor, API client,
superuser. "denied" is 401 (anonymous) or 403; "allowed" is anything else (a 400 or 409 for the
state of the object still means the caller got past the permission checks)."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import DocumentFetch
from claims.tests.factories import ClaimFactory
from reviews.models import Rating
from reviews.services import reviews_enqueue_claims

pytestmark = pytest.mark.django_db

CALLERS = ("anonymous", "no_role", "reviewer", "editor", "api_client", "superuser")
ANYONE = set(CALLERS)
ROLE = {"reviewer", "editor", "api_client", "superuser"}
DESK = {"reviewer", "editor", "superuser"}
EDITORS = {"editor", "superuser"}

# (method, path template, body, who is allowed)
MATRIX = [
    ("get", "/api/v1/documents/", None, ROLE),
    ("post", "/api/v1/documents/", {"text": "The mayor said 40 buses ran on Sunday."}, ROLE),
    ("get", "/api/v1/documents/{document}/", None, ROLE),
    ("get", "/api/v1/claims/", None, ROLE),
    ("get", "/api/v1/claims/{claim}/", None, ROLE),
    ("get", "/api/v1/claims/{claim}/evidence/", None, ROLE),
    ("post", "/api/v1/claims/{claim}/evidence/", {"url": "https://stats.example/t1"}, DESK),
    ("get", "/api/v1/document-fetches/", None, ROLE),
    ("get", "/api/v1/document-fetches/{fetch}/", None, ROLE),
    ("get", "/api/v1/ratings/", None, ROLE),
    ("get", "/api/v1/queue/", None, DESK),
    ("post", "/api/v1/queue/claim-next/", None, DESK),
    ("post", "/api/v1/queue/promote/", {"claim": "{claim}"}, EDITORS),
    ("get", "/api/v1/reviews/{review}/", None, DESK),
    ("post", "/api/v1/reviews/{review}/assign/", {"version": 1}, DESK),
    ("post", "/api/v1/reviews/{review}/release/", {"version": 1}, DESK),
    ("post", "/api/v1/reviews/{review}/submit/", {"version": 1, "rating": "{rating}"}, DESK),
    ("post", "/api/v1/reviews/{review}/approve/", {"version": 1}, EDITORS),
    ("post", "/api/v1/reviews/{review}/return/", {"version": 1, "comment": "why"}, EDITORS),
    ("post", "/api/v1/reviews/{review}/publish/", {"version": 1}, EDITORS),
    ("post", "/api/v1/reviews/{review}/dismiss/", {"version": 1, "reason": "dup"}, EDITORS),
    ("post", "/api/v1/reviews/{review}/boost/", {"version": 1, "boost": 0.2}, EDITORS),
    ("get", "/api/v1/reviews/{review}/claimreview/", None, ANYONE),
    ("get", "/api/v1/reviews/export.csv", None, EDITORS),
    ("get", "/api/v1/claimreviews/", None, ANYONE),
    ("get", "/api/schema/", None, ANYONE),
]


def _client(caller: str) -> APIClient:
    client = APIClient()
    if caller == "anonymous":
        return client
    user = User.objects.create(username=caller, is_superuser=caller == "superuser")
    group = {"reviewer": "reviewer", "editor": "editor", "api_client": "api-client"}.get(caller)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _fill(value, ids: dict):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_permission_matrix(caller, method, path, body, allowed):
    claim = ClaimFactory(score=0.9)
    low = ClaimFactory(score=0.1)
    reviews_enqueue_claims(claims=[claim])
    review = claim.reviews.get()
    fetch = DocumentFetch.objects.create(
        url="https://n.example/a", canonical_url="https://n.example/a"
    )
    ids = {
        "document": claim.document_id,
        "claim": low.pk if "promote" in path else claim.pk,
        "fetch": fetch.pk,
        "review": review.pk,
        "rating": Rating.objects.first().pk,
    }
    response = getattr(_client(caller), method)(_fill(path, ids), _fill(body, ids), format="json")

    denied = response.status_code in (401, 403)
    assert response.status_code < 500, response.content[:300]
    if caller in allowed:
        assert not denied, (response.status_code, response.content[:300])
    else:
        assert denied, (response.status_code, response.content[:300])
        expected = 401 if caller == "anonymous" else 403
        assert response.status_code == expected
