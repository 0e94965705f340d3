"""Every failure under /api/ is answered in JSON with the request id; sizes and depths are bounded."""

import json
import logging

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from claims import selectors
from claims.models import Document
from factdesk.parsers import MAX_JSON_DEPTH
from factdesk.settings import body_limit_for

pytestmark = pytest.mark.django_db

ARTICLE = "The port authority said 1,200 containers were handled in October, up 7 percent."


def _post_raw(client: APIClient, body: bytes, path: str = "/api/v1/documents/"):
    return client.generic("POST", path, body, content_type="application/json")


def _error_body(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) >= {"error", "detail", "request_id"}, body
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_a_body_over_the_limit_is_413_in_json(reviewer_client, settings):
    settings.FACTDESK_MAX_DOCUMENT_CHARS = 2_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = body_limit_for(2_000)

    response = _post_raw(
        reviewer_client,
        json.dumps({"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}).encode(),
    )

    assert response.status_code == 413
    assert _error_body(response)["error"] == "request_too_large"
    assert not Document.objects.exists()


def test_the_body_limit_admits_the_longest_document_in_four_byte_characters(
    reviewer_client, settings
):
    settings.FACTDESK_MAX_DOCUMENT_CHARS = 2_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = body_limit_for(2_000)
    opening = "Tide \U0001f30a rose 3 percent. "
    longest = opening + "\U0001f30a" * (2_000 - len(opening))
    assert len(longest) == 2_000

    at_limit = _post_raw(
        reviewer_client, json.dumps({"text": longest, "title": "t"}, ensure_ascii=False).encode()
    )
    over = _post_raw(
        reviewer_client, json.dumps({"text": longest + "!"}, ensure_ascii=False).encode()
    )

    assert at_limit.status_code == 201, at_limit.content
    assert over.status_code == 400 and "2,000" in json.dumps(over.json())


def test_the_default_body_limit_agrees_with_the_document_limit(settings):
    assert (
        body_limit_for(settings.FACTDESK_MAX_DOCUMENT_CHARS) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 4 * settings.FACTDESK_MAX_DOCUMENT_CHARS


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 100_000])
def test_json_nested_past_the_limit_is_400(reviewer_client, depth):
    body = b'{"text": ' + b"[" * depth + b"]" * depth + b"}"

    response = _post_raw(reviewer_client, body)

    assert response.status_code == 400
    assert "nested deeper" in _error_body(response)["detail"]


def test_json_within_the_depth_limit_is_parsed(reviewer_client):
    nested: object = ARTICLE
    for _ in range(MAX_JSON_DEPTH - 2):
        nested = [nested]
    response = _post_raw(reviewer_client, json.dumps({"text": ARTICLE, "title": nested}).encode())
    # Parsed, then refused by the serializer for what it is, not for its depth.
    assert response.status_code == 400
    assert "nested" not in json.dumps(response.json())


@pytest.mark.parametrize("body", [b"null", b"5", b"[]", b'"text"', b"true"])
def test_a_json_body_that_is_not_an_object_is_400(reviewer_client, body):
    response = _post_raw(reviewer_client, body)

    assert response.status_code == 400, response.content
    assert "request_id" in response.json()


def test_nul_characters_are_400_not_a_database_error(reviewer_client, admin_client_logged_in):
    in_json = _post_raw(reviewer_client, json.dumps({"text": ARTICLE + "\x00"}).encode())
    in_query = reviewer_client.get("/api/v1/claims/?speaker=%00")
    in_admin = admin_client_logged_in.get("/admin/claims/document/?outlet=%00")

    assert in_json.status_code == in_query.status_code == in_admin.status_code == 400
    assert "NUL" in _error_body(in_json)["detail"]
    assert "NUL" in _error_body(in_query)["detail"]


def test_an_unknown_api_path_is_a_json_404(reviewer_client):
    response = reviewer_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert _error_body(response)["error"] == "not_found"


def test_an_unexpected_error_is_a_json_500_logged_with_the_request_id(
    reviewer_client, monkeypatch, caplog
):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "document_list", broken)
    reviewer_client.raise_request_exception = False

    with caplog.at_level(logging.ERROR):
        response = reviewer_client.get("/api/v1/documents/", HTTP_X_REQUEST_ID="trace-0042-abcd")

    assert response.status_code == 500
    body = _error_body(response)
    assert body["request_id"] == "trace-0042-abcd"
    assert "boom" not in body["detail"]
    logged = [r for r in caplog.records if r.name == "factdesk.errors"]
    assert logged and logged[0].request_id == "trace-0042-abcd"
    assert "RuntimeError: boom" in caplog.text


def test_the_database_down_is_a_json_503_with_retry_after(reviewer_client, monkeypatch):
    def down():
        raise OperationalError("connection to server at 10.0.0.5, port 5432 failed")

    monkeypatch.setattr(selectors, "document_list", down)

    response = reviewer_client.get("/api/v1/documents/")

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    body = _error_body(response)
    assert body["error"] == "unavailable"
    assert "10.0.0.5" not in json.dumps(body)


def test_every_response_carries_a_request_id_and_a_bad_offered_one_is_replaced(client):
    ok = client.get("/healthz", HTTP_X_REQUEST_ID="x" * 200)

    assert len(ok["X-Request-ID"]) == 32
    assert client.get("/healthz")["X-Request-ID"] != ok["X-Request-ID"]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("reviewer", "/api/v1/queue/?page=9223372036854775807"),
        ("reviewer", "/api/v1/queue/?assignee=11996853719840010240"),
        ("anonymous", "/api/v1/claimreviews/?page=100000000000000000000"),
        ("reviewer", "/api/v1/claims/abc/evidence/"),
        ("reviewer", "/api/v1/claims/99999999999999999999999/"),
    ],
)
def test_the_500s_found_by_hand_are_4xx_now(reviewer_client, anonymous_client, who, path):
    client = reviewer_client if who == "reviewer" else anonymous_client

    response = client.get(path)

    # PostgreSQL answers an id past bigint with no rows (200); SQLite overflowed (500, now 400).
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        _error_body(response)


def test_the_admin_answers_a_non_numeric_review_id_without_a_500(admin_client_logged_in):
    response = admin_client_logged_in.get("/admin/reviews/review/abc/change/")

    assert response.status_code in (302, 404)
