"""Token authentication reads the token, its user and the user's role groups in one query, and
nothing of it outlives the request: a role taken away, a deactivated user or a deleted token
counts from the next request."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from rest_framework.authtoken.models import Token

from conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_a_desk_request_costs_one_query_for_the_token_and_the_roles(django_assert_num_queries):
    client = client_for(make_user("rosa", "reviewer", "api-client"))
    # The token with its user and role groups (one row per role), then the page.
    with django_assert_num_queries(2) as queries:
        assert client.get("/api/v1/queue/").status_code == 200
    first = queries.captured_queries[0]["sql"]
    assert "authtoken_token" in first and "auth_group" in first


def test_a_role_taken_away_counts_from_the_next_request():
    user = make_user("rolf", "reviewer")
    client = client_for(user)
    assert client.get("/api/v1/queue/").status_code == 200
    user.groups.remove(Group.objects.get(name="reviewer"))
    assert client.get("/api/v1/queue/").status_code == 403
    user.groups.add(Group.objects.get(name="editor"))
    assert client.get("/api/v1/reviews/export.csv").status_code == 200


def test_an_api_client_is_let_in_but_not_onto_the_desk():
    client = client_for(make_user("robo", "api-client"))
    assert client.get("/api/v1/documents/").status_code == 200
    assert client.get("/api/v1/queue/").status_code == 403


def test_groups_that_are_not_roles_give_nothing():
    client = client_for(make_user("nora", "newsletter"))
    assert client.get("/api/v1/documents/").status_code == 403


def test_a_superuser_without_groups_counts_as_an_editor():
    boss = User.objects.create_superuser("bea", "bea@factdesk.example", "pw-bea-12345")
    assert client_for(boss).get("/api/v1/reviews/export.csv").status_code == 200


def test_a_deleted_token_or_an_inactive_user_is_refused_at_once():
    user = make_user("tess", "reviewer")
    client = client_for(user)
    assert client.get("/api/v1/queue/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/api/v1/queue/").status_code == 401
    User.objects.filter(pk=user.pk).update(is_active=True)
    Token.objects.filter(user=user).delete()
    assert client.get("/api/v1/queue/").status_code == 401
    assert client.get("/api/v1/queue/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401


def test_a_token_call_skips_the_session_stack_but_keeps_the_headers():
    client = Client(enforce_csrf_checks=True)
    user = make_user("sami", "reviewer")
    response = client_for(user).get("/api/v1/queue/")
    assert response.status_code == 200
    assert not response.cookies and "Cookie" not in response.get("Vary", "")
    assert response["X-Request-ID"] and response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # A signed-in browser (session cookie) still works the API through the full stack.
    client.force_login(user)
    assert client.get("/api/v1/queue/").status_code == 200
    assert client.post("/api/v1/queue/claim-next/").status_code == 403  # no CSRF token
