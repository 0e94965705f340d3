"""Logins are throttled and locked out; a user with no role gets nothing; API clients ingest;
users make and revoke their own API tokens in the admin."""

import re

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from claims.models import Document
from conftest import client_for, make_user

pytestmark = pytest.mark.django_db

ARTICLE = "The ferry company said 48,000 passengers crossed in July, 9 percent more than last year."


def _login(client, username: str, password: str):
    page = client.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
    )


def test_repeated_wrong_passwords_lock_the_account_out_even_for_the_right_one(settings):
    from django.test import Client

    make_user("edna", "editor").__class__.objects.filter(username="edna").update(is_staff=True)
    client = Client(enforce_csrf_checks=True)
    statuses = [_login(client, "edna", f"wrong-{i}").status_code for i in range(12)]

    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    right = _login(client, "edna", "pw-edna-12345")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_follows_the_account_across_addresses(settings):
    from django.test import Client

    make_user("rita", "reviewer").__class__.objects.filter(username="rita").update(is_staff=True)
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(REMOTE_ADDR=f"198.51.100.{i + 1}"), "rita", "wrong")

    elsewhere = Client(REMOTE_ADDR="203.0.113.77")
    assert _login(elsewhere, "rita", "pw-rita-12345").status_code == 429


def test_a_right_password_before_the_limit_signs_in_and_resets_the_count(settings):
    from django.test import Client

    make_user("omar", "reviewer").__class__.objects.filter(username="omar").update(is_staff=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "omar", "wrong")

    assert _login(client, "omar", "pw-omar-12345").status_code == 302
    client.logout()
    assert _login(client, "omar", "wrong").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/documents/"),
        ("get", "/api/v1/documents/"),
        ("get", "/api/v1/claims/"),
        ("get", "/api/v1/document-fetches/"),
        ("get", "/api/v1/ratings/"),
    ],
)
def test_a_user_with_no_role_gets_nothing(method, path):
    nobody = client_for(make_user("nobody"))

    response = getattr(nobody, method)(path, {"text": ARTICLE}, format="json")

    assert response.status_code == 403
    assert "no role" in response.json()["detail"]
    assert not Document.objects.exists()


def test_an_api_client_ingests_and_reads_but_does_not_work_the_desk():
    program = client_for(make_user("cms", "api-client"))

    created = program.post(
        "/api/v1/documents/", {"text": ARTICLE, "title": "Ferries"}, format="json"
    )

    assert created.status_code == 201
    assert program.get(f"/api/v1/documents/{created.json()['id']}/").status_code == 200
    assert program.get("/api/v1/claims/").status_code == 200
    assert program.get("/api/v1/queue/").status_code == 403
    assert program.post("/api/v1/queue/claim-next/").status_code == 403


def test_staff_users_create_see_and_revoke_only_their_own_token(client):
    own = make_user("rita", "reviewer")
    other = make_user("ravi", "reviewer")
    User.objects.filter(pk__in=[own.pk, other.pk]).update(is_staff=True)
    others_token = Token.objects.create(user=other)
    client.force_login(own)

    listing = client.get("/admin/authtoken/tokenproxy/")
    added = client.post("/admin/authtoken/tokenproxy/add/", {"user": other.pk})

    assert listing.status_code == 200
    assert added.status_code == 302
    mine = Token.objects.get(user=own)  # made for the signed-in user, whatever was posted
    assert Token.objects.get(user=other).key == others_token.key
    page = client.get(f"/admin/authtoken/tokenproxy/{mine.key}/change/")
    assert mine.key in page.content.decode()
    assert client.get(f"/admin/authtoken/tokenproxy/{others_token.key}/change/").status_code in (
        302,
        403,
    )
    assert client.post(f"/admin/authtoken/tokenproxy/{others_token.key}/delete/", {"post": "yes"})
    assert Token.objects.filter(user=other).exists()

    revoked = client.post(f"/admin/authtoken/tokenproxy/{mine.key}/delete/", {"post": "yes"})
    assert revoked.status_code == 302
    assert not Token.objects.filter(user=own).exists()
    api = client_for(own)
    api.credentials(HTTP_AUTHORIZATION=f"Token {mine.key}")
    assert api.get("/api/v1/claims/").status_code == 401
